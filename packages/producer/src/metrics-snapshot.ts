/** Builds the `producer.metrics()` snapshot from the live counters of each part. */
import type { BufferAccountant } from './buffer-accountant.js';
import type { EventHub } from './events.js';
import type { FlowGate } from './flow-gate.js';
import type { HotKeyMonitor } from './hot-key-monitor.js';
import type { MetricsRecorder, ProducerMetrics, ShardMetrics } from './metrics.js';
import { measureSkew } from './partition/index.js';
import type { Pipeline } from './pipeline.js';

export interface SnapshotSources {
  readonly metrics: MetricsRecorder;
  readonly buffer: BufferAccountant;
  readonly pipeline: Pipeline;
  readonly gate: FlowGate;
  readonly events: EventHub;
  readonly hotKeys: HotKeyMonitor;
}

export function snapshotMetrics(s: SnapshotSources): ProducerMetrics {
  const m = s.metrics;
  const flows = s.gate.snapshot();
  const shards: Record<string, ShardMetrics> = {};
  const openIds = s.pipeline.shardMap?.shards.map((x) => x.shardId) ?? [];
  for (const id of new Set([...openIds, ...m.shardIds()])) {
    const c = m.shard(id);
    const flow = flows[id];
    const buffer = s.pipeline.accumulator?.buffer(id);
    shards[id] = {
      kinesisRecordsPut: c.kinesisRecordsPut,
      bytesPut: c.bytesPut,
      throttledRecords: c.throttledRecords,
      retries: c.retries,
      allowedRecordsPerSec: flow?.allowedRecordsPerSec ?? Infinity,
      allowedBytesPerSec: flow?.allowedBytesPerSec ?? Infinity,
      queuedKinesisRecords: buffer === undefined ? 0 : buffer.sealed.length - buffer.head,
      queuedBytes: buffer?.sealedBytes ?? 0,
    };
  }
  const perOpenShard = openIds.map((id) => m.shard(id).bytesPut);
  const skew = perOpenShard.length > 0 ? measureSkew(perOpenShard) : undefined;
  return {
    userRecordsPut: m.userRecordsPut,
    userRecordsFailed: m.userRecordsFailed,
    userRecordsExpired: m.userRecordsExpired,
    userRecordsWaiting: s.buffer.waiting,
    kinesisRecordsPut: m.kinesisRecordsPut,
    putRecordsRequests: m.putRecordsRequests,
    bytesPut: m.bytesPut,
    userRecordsPerKinesisRecord: m.kinesisRecordsPut === 0 ? 0 : m.userRecordsInKinesisRecords / m.kinesisRecordsPut,
    kinesisRecordsPerRequest: m.putRecordsRequests === 0 ? 0 : m.kinesisRecordsPut / m.putRecordsRequests,
    bufferedRecords: s.buffer.records,
    bufferedBytes: s.buffer.bytes,
    inFlightRequests: s.pipeline.inFlightRequests,
    throttledRecords: m.throttledRecords,
    retries: m.retries,
    errorsByCode: { ...m.errorsByCode },
    bufferingTimeMs: m.bufferingTime.summary(),
    requestLatencyMs: m.requestLatency.summary(),
    tokenWaitMs: s.gate.waitedMs,
    listenerErrors: s.events.listenerErrors,
    shards,
    hotKeys: s.hotKeys.top(10),
    shardSkew: skew === undefined ? undefined : { maxOverMean: skew.maxOverMean, coefficientOfVariation: skew.coefficientOfVariation },
  };
}

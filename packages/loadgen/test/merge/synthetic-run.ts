/**
 * A deterministic synthetic run for merge, histogram-file and HTML tests: records every 2 ms with
 * varied latencies, a warmup, failures, losses, throttles, eight keys on four shards, replayed
 * through the real run recorder. `keep` selects a worker's share (by key), so the halves of a run
 * account for the same records as the whole.
 */
import { createRunRecorder } from '../../src/metrics/run-recorder.js';
import type { RunResult } from '../../src/metrics/run-result.js';
import { evaluateThresholds, parseThresholds } from '../../src/metrics/thresholds.js';

export interface SyntheticRunOptions {
  runId?: string;
  /** Wall-clock µs of the run start. @default 1_700_000_000_000_000 */
  startUs?: number;
  /** Records scheduled. @default 2000 */
  count?: number;
  /** Which seqs this worker sends. @default all */
  keep?: (seq: number) => boolean;
  /** @default 1000 */
  intervalMs?: number;
}

const SPACING_US = 2000;
export const keyOf = (seq: number): string => `user-${seq % 8}`;
export const shardOf = (seq: number): string => `shardId-00000000000${seq % 4}`;

export function syntheticRun(options: SyntheticRunOptions = {}): RunResult {
  const { runId = 'synthetic', startUs = 1_700_000_000_000_000, count = 2000, keep = () => true, intervalMs = 1000 } = options;
  let nowUs = startUs;
  const recorder = createRunRecorder({ runId, intervalMs, now: () => nowUs });
  const events: { at: number; order: number; run: () => void }[] = [];
  const shards: Record<string, { kinesisRecordsPut: number; bytesPut: number; throttledRecords: number; retries: number }> = {};
  for (let seq = 0; seq < count; seq++) {
    if (!keep(seq)) continue;
    const intended = startUs + seq * SPACING_US;
    const sent = intended + ((seq * 31) % 900);
    const measured = seq >= 50;
    const publishUs = 800 + ((seq * 7919) % 60_000) + (seq % 250 === 0 ? 400_000 : 0);
    const arrival = sent + Math.floor(publishUs / 2);
    const consumed = sent + publishUs + 15_000 + ((seq * 104_729) % 300_000);
    const key = keyOf(seq);
    events.push({ at: intended, order: 0, run: () => recorder.onScheduled(seq, intended, measured) });
    if (seq % 89 === 7) {
      const error = { code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded for shard' };
      events.push({ at: sent, order: 1, run: () => recorder.onFailed(seq, intended, error, measured) });
      continue;
    }
    events.push({ at: sent, order: 1, run: () => recorder.onSent(seq, intended, sent, measured) });
    const throttled = seq % 13 === 0;
    const attempts = throttled ? [{ errorCode: 'ProvisionedThroughputExceededException' }, {}] : [{}];
    const ack = { shardId: shardOf(seq), sequenceNumber: String(seq), attempts };
    events.push({ at: sent + publishUs, order: 2, run: () => recorder.onAcked(seq, intended, sent, sent + publishUs, ack, key, measured) });
    const shard = (shards[shardOf(seq)] ??= { kinesisRecordsPut: 0, bytesPut: 0, throttledRecords: 0, retries: 0 });
    shard.kinesisRecordsPut++;
    shard.bytesPut += 500 + (seq % 3) * 100;
    if (throttled) shard.throttledRecords++;
    if (seq % 97 === 5) continue; // lost: acked, never consumed
    const envelope = { runId, seq, intendedAtUs: intended };
    const meta = { receivedUs: consumed, arrivalUs: arrival, shardId: shardOf(seq), sequenceNumber: String(seq), partitionKey: key };
    events.push({ at: consumed, order: 3, run: () => recorder.onConsumed(envelope, meta) });
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const event of events) {
    nowUs = event.at;
    event.run();
  }
  recorder.onProducerMetrics({ userRecordsPut: Object.values(shards).reduce((n, s) => n + s.kinesisRecordsPut, 0), shards });
  nowUs = startUs + count * SPACING_US + 400_000;
  const consumer = { invocations: 40, maxIteratorAgeMs: 310, shards: Object.keys(shards).map((shardId) => ({ shardId, iteratorAgeMs: 120 })) };
  const result = recorder.finish({ meta: { scenario: 'synthetic' }, consumer });
  result.thresholds = evaluateThresholds(parseThresholds(['e2e.p99 < 2000ms', 'lost == 0']), result);
  return result;
}

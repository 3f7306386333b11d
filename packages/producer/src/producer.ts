/**
 * `createProducer`: the public face of the producer. Wiring only — validation at the edge,
 * admission through the buffer accountant, flush/close bookkeeping and the metrics snapshot; the
 * record's journey itself lives in pipeline.ts.
 *
 * Invariant: every call to `put` returns a promise that settles exactly once (settle.ts).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { BufferAccountant } from './buffer-accountant.js';
import { CallbackBatches } from './callback-batches.js';
import { PromiseBatches } from './promise-batches.js';
import { BufferFullError, ProducerClosedError } from './errors.js';
import { EventHub, type Listener, type ProducerEventName } from './events.js';
import { createFixedRateFlow } from './flow/fixed-rate-flow.js';
import { createShardFlow } from './flow/shard-flow.js';
import { FlowGate, unlimitedFlow, type ShardFlowLike } from './flow-gate.js';
import { HotKeyMonitor } from './hot-key-monitor.js';
import { MetricsRecorder, type ProducerMetrics } from './metrics.js';
import { snapshotMetrics } from './metrics-snapshot.js';
import { resolveOptions, type ProducerOptions, type ResolvedOptions } from './options.js';
import { OutputSlabs } from './output-slabs.js';
import { Partitioner } from './partitioner.js';
import type { ShardLoad } from './partition/index.js';
import { createPutBatch, type PendingRecord, type PutBatch, type Settler } from './pending.js';
import { Pipeline } from './pipeline.js';
import { createSettle } from './settle.js';
import type { PutOutcome, PutResult, UserRecord } from './types.js';
import { ABSOLUTE_MAX_RECORD_BYTES, emptyValidRecord, KEY_BYTES_NOT_COUNTED, validateRecord, type ValidRecord } from './validate.js';
import { utf8Bytes } from './aggregation/kpl-format.js';
import type { KeyRoute } from './hash-key.js';

export interface Producer {
  /** Writes one record; resolves with where it landed or rejects with a typed error. */
  put(record: UserRecord): Promise<PutResult>;
  /** Writes many records; settles every one, in input order. */
  putMany(records: readonly UserRecord[]): Promise<PutOutcome[]>;
  /**
   * Writes one record and calls `callback(error, result, token)` once when it settles — never
   * before `putWithCallback` returns. For callers that put one record at a time at high rates: no
   * promise, and with one long-lived callback and a number as `token` (an index into the caller's
   * own bookkeeping) no allocation of the caller's per record either. A callback that throws
   * surfaces as an uncaught exception.
   */
  putWithCallback(record: UserRecord, callback: PutCallback, token?: number): void;
  /** Resolves when every record put before this call has settled. */
  flush(): Promise<void>;
  /** Flushes, then refuses new puts with `ProducerClosedError`. */
  close(): Promise<void>;
  metrics(): ProducerMetrics;
  on<K extends ProducerEventName>(name: K, listener: Listener<K>): () => void;
  off<K extends ProducerEventName>(name: K, listener: Listener<K>): void;
  /** Resolves once the stream's shards are known (puts before that are buffered). */
  readonly ready: Promise<void>;
}

function defaultClient(options: ProducerOptions, maxSockets: number): KinesisClient {
  const handler = new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
  });
  return new KinesisClient({
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    requestHandler: handler,
    // The producer retries failed requests itself, with per-shard pacing; SDK retries would hide them.
    maxAttempts: 1,
  });
}

function createFlowFactory(o: ResolvedOptions): (shardId: string) => ShardFlowLike {
  const common = { recordsPerSec: o.shardRecordsPerSec, bytesPerSec: o.shardBytesPerSec, burstMs: o.shardBurstMs, now: o.now, random: o.random };
  switch (o.rateControl) {
    case 'off':
      return () => unlimitedFlow();
    case 'kpl':
      return () => createFixedRateFlow({ ...common });
    default:
      return () => createShardFlow({ ...common, backoff: { baseMs: o.backoffBaseMs, capMs: o.backoffCapMs } });
  }
}

/** `putWithCallback`'s callback: exactly one of `error` and `result` is set. */
export type PutCallback = (error: Error | undefined, result: PutResult | undefined, token: number) => void;

// put()'s promise executor, a module-level function so that no closure is allocated per put: it
// hands the new promise's resolve and reject over through these two slots, read right after.
let handedResolve: ((result: PutResult) => void) | undefined;
let handedReject: ((error: Error) => void) | undefined;
function takeResolvers(resolve: (result: PutResult) => void, reject: (error: Error) => void): void {
  handedResolve = resolve;
  handedReject = reject;
}

export function createProducer(options: ProducerOptions): Producer {
  const o = resolveOptions(options);
  const ownsClient = options.client === undefined;
  const client = options.client ?? defaultClient(options, o.maxInFlightRequests);
  const metrics = new MetricsRecorder();
  const events = new EventHub();
  const buffer = new BufferAccountant(o.maxBufferedRecords, o.maxBufferedBytes);
  const gate = new FlowGate(createFlowFactory(o), o.now);
  // Unsettled records per flush() generation: the current one as a plain counter (hot path), older
  // ones (only while a flush waits for them) in a map.
  const epochCounts = new Map<number, number>();
  let currentEpochCount = 0;
  const flushWaiters: { target: number; resolve: () => void }[] = [];
  const hotKeys = new HotKeyMonitor({
    now: o.now,
    shardRecordsPerSec: o.shardRecordsPerSec,
    shardBytesPerSec: o.shardBytesPerSec,
    aggregateBytes: o.aggregation.enabled ? o.aggregation.maxBytes : undefined,
    onOversized: (k) => events.emit('hot-key', { partitionKey: k.key, recordsPerSec: k.recordsPerSec, bytesPerSec: k.bytesPerSec, message: k.message }),
  });
  let epoch = 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  const settle = createSettle({
    onSettled(batch, error) {
      if (error === undefined) metrics.userRecordsPut++;
      else metrics.userRecordsFailed++;
      uncount(batch.epoch);
    },
    onReleased(records, bytes) {
      buffer.release(records, bytes);
    },
    onDoubleSettle() {
      metrics.error('DoubleSettle');
    },
    admitting: () => admitting,
  });

  // The partitioner reads shard load (tokens, queue, throttles) for keyless switching.
  const partitioner: Partitioner = new Partitioner({
    keyHashing: o.keyHashing,
    random: o.random,
    stickyBytes: o.aggregation.enabled ? o.aggregation.maxBytes : 64 * 1024,
    aggregated: o.aggregation.enabled,
    load: (map, index): ShardLoad => {
      const shardId = map.shards[index]?.shardId ?? '';
      const capacity = gate.flow(shardId).capacity();
      return {
        spareRecords: capacity.records,
        spareBytes: capacity.bytes,
        queuedBytes: pipeline.accumulator?.buffer(shardId)?.sealedBytes ?? 0,
        throttledRecently: gate.throttledWithin(shardId, 1_000),
      };
    },
  });
  // The SDK's client serializes a request's Data during send and keeps no reference after it, so
  // aggregate memory can be reused; any other client (a test double) may keep what it was sent.
  const slabs = client instanceof KinesisClient ? new OutputSlabs() : undefined;
  const pipeline: Pipeline = new Pipeline({ options: o, client, settle, metrics, events, gate, partitioner, slabs });

  /** One record of flush generation `recordEpoch` is done (settled, or refused without being held). */
  function uncount(recordEpoch: number): void {
    if (recordEpoch === epoch) {
      currentEpochCount--;
      return;
    }
    const left = (epochCounts.get(recordEpoch) ?? 1) - 1;
    if (left > 0) epochCounts.set(recordEpoch, left);
    else {
      epochCounts.delete(recordEpoch);
      releaseFlushes();
    }
  }

  function releaseFlushes(): void {
    let lowest = Infinity;
    for (const e of epochCounts.keys()) if (e < lowest) lowest = e;
    for (let i = flushWaiters.length - 1; i >= 0; i--) {
      const w = flushWaiters[i] as (typeof flushWaiters)[number];
      if (lowest > w.target) {
        flushWaiters.splice(i, 1);
        pipeline.flushing--;
        w.resolve();
      }
    }
  }

  /** What the records of one putMany call share: its settler, put now, in the current flush generation. */
  function newBatch(settler: Settler): PutBatch {
    return createPutBatch(settler, o.now(), o.recordTtlMs, epoch);
  }

  const callbackBatches = new CallbackBatches({ now: o.now, recordTtlMs: o.recordTtlMs });
  const promiseBatches = new PromiseBatches({ now: o.now, recordTtlMs: o.recordTtlMs });
  /** True during putWithCallback's own admission (see settle.ts). */
  let admitting = false;

  // Every admitted record is drafted into this one object; the pipeline copies what it keeps.
  const draft: PendingRecord = {
    user: { data: '' },
    userKey: undefined,
    userExplicitHashKey: undefined,
    data: new Uint8Array(0),
    partitionKey: '',
    explicitHashKey: undefined,
    hashKey: 0n,
    partitionKeyBytes: 0,
    keySlot: undefined,
    batch: createPutBatch(() => undefined, 0, Infinity, 0),
    index: 0,
    priorAttempts: undefined,
    settled: false,
  };

  function admit(user: UserRecord, valid: ValidRecord, batch: PutBatch, index: number): void {
    let partitionKeyBytes = valid.partitionKeyBytes;
    let keyRoute: KeyRoute | undefined;
    if (partitionKeyBytes === KEY_BYTES_NOT_COUNTED) {
      // The key cache knows the length of a key it has seen; the partitioner then skips its own lookup.
      const key = valid.partitionKey as string;
      keyRoute = partitioner.keyRoute(key);
      partitionKeyBytes = keyRoute?.keyBytes ?? utf8Bytes(key);
    }
    const bufferBytes = valid.data.length + partitionKeyBytes;
    const explicitHash = valid.explicitHash;
    // Counted in the batch's flush generation before a 'hot-key' listener may call flush().
    currentEpochCount++;
    // Before the draft is filled: a 'hot-key' listener may put records of its own.
    if (valid.partitionKey !== undefined) hotKeys.add(valid.partitionKey, bufferBytes, batch.putAtMs);
    const record = draft;
    record.user = user;
    record.userKey = valid.partitionKey;
    record.userExplicitHashKey = valid.explicitHashKey;
    record.data = valid.data;
    record.partitionKey = valid.partitionKey ?? '';
    record.explicitHashKey = valid.explicitHashKey;
    record.hashKey = 0n;
    record.partitionKeyBytes = partitionKeyBytes;
    record.keySlot = keyRoute;
    record.batch = batch;
    record.index = index;
    record.settled = false;
    if (buffer.tryAdmit(bufferBytes)) return pipeline.submit(record, explicitHash);
    if (o.onBufferFull === 'reject') {
      uncount(batch.epoch);
      metrics.userRecordsFailed++;
      // The draft itself: refuse reads its batch and index at once, and admit refills it.
      settle.refuse(record, new BufferFullError(user, `${buffer.records} records, ${buffer.bytes} bytes held`));
      return;
    }
    const waiting: PendingRecord = { ...record };
    buffer.enqueue({ bytes: bufferBytes, admit: () => pipeline.submit(waiting, explicitHash) });
  }

  // Every put validates into this one object; admit() copies what the record keeps, synchronously.
  const scratch = emptyValidRecord();

  function check(record: UserRecord): ValidRecord {
    if (closed) throw new ProducerClosedError(record);
    return validateRecord(record, pipeline.maxRecordBytes ?? ABSOLUTE_MAX_RECORD_BYTES, scratch, false);
  }

  function put(record: UserRecord): Promise<PutResult> {
    let valid: ValidRecord;
    try {
      valid = check(record);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const promise = new Promise<PutResult>(takeResolvers);
    const resolve = handedResolve as (result: PutResult) => void;
    const reject = handedReject as (error: Error) => void;
    try {
      const batch = promiseBatches.batchFor(resolve, reject, epoch);
      admit(record, valid, batch, promiseBatches.index);
    } catch (error) {
      reject(error as Error);
    }
    return promise;
  }

  // Not a closure inside putWithCallback: V8 would allocate its context on every call.
  function refuseLater(callback: PutCallback, error: Error, token: number): void {
    queueMicrotask(() => callback(error, undefined, token));
  }

  function putWithCallback(record: UserRecord, callback: PutCallback, token = 0): void {
    if (typeof callback !== 'function') {
      // A programming error, refused at once (as Node's own APIs do), not a record's outcome.
      throw new TypeError(`Expected \`callback\` to be a function, got ${callback === null ? 'null' : typeof callback}`);
    }
    let valid: ValidRecord;
    try {
      valid = check(record);
    } catch (error) {
      // Settle later, like every other outcome: the caller's code after this call runs first.
      refuseLater(callback, error as Error, token);
      return;
    }
    admitting = true;
    try {
      admit(record, valid, callbackBatches.batchFor(callback, epoch), token);
    } finally {
      admitting = false;
    }
  }

  function putMany(records: readonly UserRecord[]): Promise<PutOutcome[]> {
    const outcomes: PutOutcome[] = new Array(records.length);
    if (records.length === 0) return Promise.resolve(outcomes);
    return new Promise<PutOutcome[]>((resolve) => {
      let left = records.length;
      const settler: Settler = (error, result, i) => {
        outcomes[i] = error === undefined ? { status: 'fulfilled', value: result as PutResult } : { status: 'rejected', reason: error };
        if (--left === 0) resolve(outcomes);
      };
      const batch = newBatch(settler);
      for (let i = 0; i < records.length; i++) {
        const record = records[i] as UserRecord;
        let valid: ValidRecord;
        try {
          valid = check(record);
        } catch (error) {
          settler(error as Error, undefined, i);
          continue;
        }
        admit(record, valid, batch, i);
      }
    });
  }

  function flush(): Promise<void> {
    const target = epoch++;
    if (currentEpochCount > 0) epochCounts.set(target, currentEpochCount);
    currentEpochCount = 0;
    let outstanding = false;
    for (const e of epochCounts.keys()) if (e <= target) outstanding = true;
    if (!outstanding) return Promise.resolve();
    pipeline.flushing++;
    pipeline.scheduleDrain();
    return new Promise((resolve) => flushWaiters.push({ target, resolve }));
  }

  async function close(): Promise<void> {
    closed = true;
    closing ??= (async () => {
      await flush();
      pipeline.stop();
      if (ownsClient) client.destroy();
    })();
    return closing;
  }

  return {
    put,
    putMany,
    putWithCallback,
    flush,
    close,
    metrics: () => snapshotMetrics({ metrics, buffer, pipeline, gate, events, hotKeys }),
    on: (name, listener) => events.on(name, listener),
    off: (name, listener) => events.off(name, listener),
    ready: pipeline.ready,
  };
}

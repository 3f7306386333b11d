import { afterEach, describe, expect, it } from 'vitest';
import type { HandlerResponse, KinesisEvent } from '../../src/consumer/lambda-event.js';
import { fail, fillShard, startHarness, type Harness } from './harness.js';
import { MemorySource } from './memory-source.js';

let running: Harness | undefined;
afterEach(async () => {
  await running?.mapping.stop();
  running = undefined;
});

async function run(
  source: MemorySource,
  config: Parameters<typeof startHarness>[1],
  respond?: (event: KinesisEvent, call: number) => Promise<HandlerResponse> | HandlerResponse,
  nowUs?: () => number,
): Promise<Harness> {
  running = await startHarness(source, config, respond, nowUs);
  return running;
}

describe('event source mapping: batching', () => {
  it('reads and measures every record with no handler', async () => {
    const source = new MemorySource().addShard('shard-0').addShard('shard-1');
    fillShard(source, 'shard-0', 5);
    fillShard(source, 'shard-1', 7);
    const h = await run(source, {});
    await h.settle(() => h.consumed.length === 12);
    expect(h.consumed.every((r) => !r.redelivery)).toBe(true);
    expect(new Set(h.consumed.map((r) => r.shardId))).toEqual(new Set(['shard-0', 'shard-1']));
    expect(h.mapping.stats()).toMatchObject({ recordsRead: 12, userRecordsRead: 12, functionErrors: 0 });
  });

  it.each([
    [3, 7, [3, 3, 1]],
    [100, 7, [7]],
    [1, 3, [1, 1, 1]],
  ])('cuts batches of at most batchSize %i from %i records: %j', async (batchSize, n, sizes) => {
    const source = new MemorySource().addShard('shard-0');
    fillShard(source, 'shard-0', n);
    const h = await run(source, { batchSize }, () => undefined);
    await h.settle(() => h.consumed.length === n);
    expect(h.invocations.map((b) => b.length)).toEqual(sizes);
  });
});

describe('event source mapping: batch limits', () => {
  it('waits up to maxBatchingWindowMs to fill a batch', async () => {
    const source = new MemorySource().addShard('shard-0');
    fillShard(source, 'shard-0', 3);
    const h = await run(source, { batchSize: 10, maxBatchingWindowMs: 1000 }, () => undefined);
    await new Promise((r) => setTimeout(r, 100));
    fillShard(source, 'shard-0', 3);
    await h.settle(() => h.invocations.length === 1);
    expect(h.invocations[0]).toHaveLength(6);
  });

  it('keeps an invocation under 6 MB of payload: 1 MiB records go 4 to a batch', async () => {
    const source = new MemorySource().addShard('shard-0');
    for (let i = 0; i < 9; i++) source.put('shard-0', `k${i}`, new Uint8Array(1024 * 1024));
    const h = await run(source, { batchSize: 100 }, () => undefined);
    await h.settle(() => h.consumed.length === 9);
    // base64 of 1 MiB is 1,398,104 bytes: 4 records are 5.6 MB, a 5th would pass 6 MB.
    expect(h.invocations.map((b) => b.length)).toEqual([4, 4, 1]);
  });
});

describe('event source mapping: function errors', () => {
  it.each([
    { maximumRetryAttempts: 0, invocations: 1 + 1, discarded: 1 },
    { maximumRetryAttempts: 2, invocations: 3 + 1, discarded: 1 },
  ])('retries a failing batch $maximumRetryAttempts times, discards it, then moves on', async (c) => {
    const source = new MemorySource().addShard('shard-0');
    const seqs = fillShard(source, 'shard-0', 4);
    const h = await run(source, { batchSize: 2, maximumRetryAttempts: c.maximumRetryAttempts }, (e) =>
      e.Records[0]?.kinesis.sequenceNumber === seqs[0] ? fail() : undefined,
    );
    await h.settle(() => h.invocations.length === c.invocations);
    const stats = h.mapping.stats();
    expect(stats.discardedBatches).toBe(c.discarded);
    expect(stats.discarded[0]).toMatchObject({
      condition: 'RetryAttemptsExhausted',
      shardId: 'shard-0',
      startSequenceNumber: seqs[0],
      endSequenceNumber: seqs[1],
      batchSize: 2,
      retryAttempts: c.maximumRetryAttempts,
      errorMessage: 'Error: handler failed',
    });
    expect(h.invocations.at(-1)).toEqual([seqs[2], seqs[3]]);
  });

  it('retries until success with -1, blocking later batches of the shard, and flags redeliveries', async () => {
    const source = new MemorySource().addShard('shard-0');
    const seqs = fillShard(source, 'shard-0', 4);
    const h = await run(source, { batchSize: 2 }, (_e, call) => (call <= 3 ? fail() : undefined));
    await h.settle(() => h.invocations.length === 5);
    expect(h.invocations).toEqual([
      [seqs[0], seqs[1]],
      [seqs[0], seqs[1]],
      [seqs[0], seqs[1]],
      [seqs[0], seqs[1]],
      [seqs[2], seqs[3]],
    ]);
    expect(h.consumed.filter((r) => r.redelivery)).toHaveLength(6);
    expect(h.mapping.stats()).toMatchObject({
      functionErrors: 3,
      retries: 3,
      discardedBatches: 0,
      lastFunctionError: 'Error: handler failed',
    });
  });

  it('bisects to isolate a poison record, without counting splits as retries', async () => {
    const source = new MemorySource().addShard('shard-0');
    const seqs = fillShard(source, 'shard-0', 4);
    const poison = seqs[2];
    const h = await run(source, { batchSize: 4, bisectBatchOnFunctionError: true, maximumRetryAttempts: 0 }, (e) =>
      e.Records.some((r) => r.kinesis.sequenceNumber === poison) ? fail() : undefined,
    );
    await h.settle(() => h.invocations.length === 5);
    const [a, b, c, d] = seqs;
    expect(h.invocations).toEqual([[a, b, c, d], [a, b], [c, d], [c], [d]]);
    const stats = h.mapping.stats();
    expect(stats).toMatchObject({ bisections: 2, retries: 0, discardedRecords: 1 });
    expect(stats.discarded[0]).toMatchObject({ startSequenceNumber: c, endSequenceNumber: c, retryAttempts: 0 });
  });

  it('fails an invocation that outlives the function timeout', async () => {
    const source = new MemorySource().addShard('shard-0');
    fillShard(source, 'shard-0', 1);
    const h = await run(source, { functionTimeoutSeconds: 1, maximumRetryAttempts: 0 }, () => new Promise(() => {}));
    await h.settle(() => h.mapping.stats().discardedBatches === 1);
    expect(h.mapping.stats().discarded[0]?.errorMessage).toBe('FunctionTimeoutError: Task timed out after 1.00 seconds');
  });
});

describe('event source mapping: partial batch failures', () => {
  it.each([
    ['the lowest of several failures', (s: string[]) => [s[3], s[1]], 1],
    ['an unknown identifier (whole batch)', () => ['nope'], 0],
    ['an empty identifier (whole batch)', () => [''], 0],
    ['a non-string identifier (whole batch)', () => [42], 0],
  ])('retries from %s', async (_name, failed, from) => {
    const source = new MemorySource().addShard('shard-0');
    const seqs = fillShard(source, 'shard-0', 5);
    const h = await run(source, { batchSize: 5, reportBatchItemFailures: true }, (_e, call) =>
      call === 1 ? { batchItemFailures: failed(seqs).map((itemIdentifier) => ({ itemIdentifier })) } : { batchItemFailures: [] },
    );
    await h.settle(() => h.invocations.length === 2);
    expect(h.invocations[1]).toEqual(seqs.slice(from));
    expect(h.mapping.stats()).toMatchObject({ partialFailures: 1, retries: 1 });
    expect(h.consumed.filter((r) => r.redelivery).map((r) => r.sequenceNumber)).toEqual(seqs.slice(from));
  });

  it('ignores batchItemFailures unless reportBatchItemFailures is on', async () => {
    const source = new MemorySource().addShard('shard-0');
    const seqs = fillShard(source, 'shard-0', 3);
    const h = await run(source, { batchSize: 3 }, () => ({ batchItemFailures: [{ itemIdentifier: seqs[0] }] }));
    await h.settle(() => h.consumed.length === 3);
    await h.mapping.drain({ until: () => false, timeoutMs: 50 });
    expect(h.invocations).toHaveLength(1);
  });
});

describe('event source mapping: record age', () => {
  it('discards records older than maximumRecordAgeSeconds instead of delivering them', async () => {
    const nowMs = 1_800_000_000_000;
    const source = new MemorySource().addShard('shard-0');
    const old = source.put('shard-0', 'k', 'old', nowMs - 120_000);
    const fresh = source.put('shard-0', 'k', 'fresh', nowMs - 1_000);
    const h = await run(source, { maximumRecordAgeSeconds: 60 }, () => undefined, () => nowMs * 1000);
    await h.settle(() => h.invocations.length === 1);
    expect(h.invocations).toEqual([[fresh]]);
    expect(h.mapping.stats().discarded).toMatchObject([{ condition: 'RecordAgeExceeded', startSequenceNumber: old, batchSize: 1 }]);
    // IteratorAge at the read: now − arrival of the last record read (the fresh one, 1 s old).
    await h.settle(() => h.mapping.stats().shards[0]?.iteratorAgeMs === 0);
    expect(h.mapping.stats().maxIteratorAgeMs).toBe(1000);
  });
});

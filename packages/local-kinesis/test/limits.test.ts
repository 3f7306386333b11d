/**
 * Per-shard limits against the real server. Each run offers 3× the limit for 3 s and reads the
 * shard's saturation window from the server: the writes granted between its first and its last
 * throttled entry, when the bucket was empty at both ends. That leaves out the burst (the bucket
 * starts with 1,000 ms of capacity, which would inflate a 3 s measurement by a third) and does not
 * depend on how late the client saw the answers on a busy machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis, type ShardStats } from '../src/index.js';
import { drive, entries, type DriveResult } from './helpers.js';

const MiB = 1024 * 1024;

describe('limits: aws', () => {
  let local: LocalKinesis;
  beforeAll(async () => {
    local = await startLocalKinesis();
    // Warm the client and the server's code paths on another stream, so the measured runs are not
    // dominated by first-call costs (a cold first PutRecords can take 700 ms on a busy machine).
    await local.createStream({ name: 'warm-up', shardCount: 1 });
    await drive(local.endpoint, 'warm-up', { recordsPerSec: 3000, dataBytes: 100, durationMs: 300, inFlight: 1 });
    await drive(local.endpoint, 'warm-up', { recordsPerSec: 300, dataBytes: 10_000, durationMs: 300, inFlight: 1 });
  });
  afterAll(() => local.stop());

  it.each([
    // 3,000 records/s of 100 B (≈ 0.3 MiB/s): the record limit binds.
    { limit: '1,000 records/s', stream: 'records', recordsPerSec: 3000, dataBytes: 100, perSec: 1000, unit: 'acceptedRecords' },
    // ≈ 314 records/s of 10,000 B = 3 MiB/s: the byte limit binds (≈ 105 records/s).
    { limit: '1 MiB/s', stream: 'bytes', recordsPerSec: (3 * MiB) / 10_007, dataBytes: 10_000, perSec: MiB, unit: 'acceptedBytes' },
  ] as const)(
    'accepts $limit ±10% from one shard driven at 3× ($dataBytes B records), throttling the rest per entry',
    async ({ stream, recordsPerSec, dataBytes, perSec, unit }) => {
      // Valid only if the server kept up with 3× long enough to stay saturated for 1.5 s. On a
      // starved machine (other processes holding both cores) it may not: such an attempt is
      // repeated on a fresh stream, at most three times, and the rate asserted on the first
      // attempt whose saturation window is long enough.
      let result: DriveResult | undefined;
      let shard: ShardStats | undefined;
      for (let attempt = 0; attempt < 3; attempt++) {
        const name = `${stream}-${attempt}`;
        await local.createStream({ name, shardCount: 1 });
        result = await drive(local.endpoint, name, { recordsPerSec, dataBytes, durationMs: 3000 });
        shard = local.stats().streams[name]?.shards[0];
        const window = shard?.saturation;
        if (window !== undefined && window.toMs - window.fromMs > 1500) break;
      }
      const window = shard?.saturation;
      expect(window).toBeDefined();
      const spanSec = ((window?.toMs ?? 0) - (window?.fromMs ?? 0)) / 1000;
      expect(spanSec).toBeGreaterThan(1.5);
      const rate = (window?.[unit] ?? 0) / spanSec;
      expect(rate).toBeGreaterThan(0.9 * perSec);
      expect(rate).toBeLessThan(1.1 * perSec);
      // At 3× the limit most of what was offered is throttled, each entry with the AWS code.
      expect(result?.throttled).toBeGreaterThan(result?.accepted ?? 0);
      expect((result?.throttled ?? 0) + (result?.accepted ?? 0)).toBe(result?.offered);
      expect([...(result?.errorCodes ?? [])]).toEqual(['ProvisionedThroughputExceededException']);
      expect(shard).toMatchObject({ acceptedRecords: result?.accepted, throttledRecords: result?.throttled });
    },
  );

  it('throttles GetRecords past 5 calls/s per shard with the AWS error', async () => {
    await local.createStream({ name: 'reads', shardCount: 1 });
    const client = local.client({ maxAttempts: 1 });
    await client.send(new PutRecordsCommand({ StreamName: 'reads', Records: entries(10, 10) }));
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: 'reads', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    // 20 calls/s for 2 s: a full bucket of 5 plus 5/s × ~2 s ≈ 15 pass.
    let passed = 0;
    const errors = new Set<string>();
    const startMs = performance.now();
    for (let call = 0; call < 40; call++) {
      const waitMs = startMs + call * 50 - performance.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      try {
        await client.send(new GetRecordsCommand({ ShardIterator }));
        passed++;
      } catch (error) {
        errors.add((error as Error).name);
        expect((error as Error).message).toMatch(/^Rate exceeded for Shard - shardId-000000000000 in stream reads/);
      }
    }
    const elapsedSec = (performance.now() - startMs) / 1000;
    expect(passed).toBeGreaterThanOrEqual(5 + Math.floor(5 * elapsedSec * 0.8));
    expect(passed).toBeLessThanOrEqual(5 + Math.ceil(5 * elapsedSec) + 1);
    expect([...errors]).toEqual(['ProvisionedThroughputExceededException']);
    expect(local.stats().streams['reads']?.totals).toMatchObject({ readCalls: passed, readCallsThrottled: 40 - passed });
  });
});

describe('limits: off', () => {
  it('throttles nothing of a burst that AWS limits would throttle', async () => {
    const local = await startLocalKinesis({ limits: 'off' });
    try {
      await local.createStream({ name: 'free', shardCount: 1 });
      const client = local.client({ maxAttempts: 1 });
      const startMs = performance.now();
      let failed = 0;
      for (let request = 0; request < 10; request++) {
        const answer = await client.send(new PutRecordsCommand({ StreamName: 'free', Records: entries(500, 100) }));
        failed += answer.FailedRecordCount ?? 0;
      }
      const elapsedSec = (performance.now() - startMs) / 1000;
      expect(failed).toBe(0);
      expect(local.stats().streams['free']?.totals).toMatchObject({ acceptedRecords: 5000, throttledRecords: 0 });
      // The premise: one AWS shard would have accepted at most its 1,000-record burst plus
      // 1,000 records/s, fewer than the 5,000 sent.
      expect(1000 + 1000 * elapsedSec).toBeLessThan(5000);
    } finally {
      await local.stop();
    }
  });
});

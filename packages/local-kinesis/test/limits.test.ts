/**
 * Per-shard limits against the real server. Each run uses up the shard's burst first (the bucket
 * starts with 1,000 ms of capacity, which would otherwise inflate a 3 s measurement by a third),
 * then offers 3× the limit for 3 s and measures the steady rate between throttled requests (see
 * `steadyRate`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '../src/index.js';
import { drainBurst, drive, entries, steadyRate } from './helpers.js';

const MiB = 1024 * 1024;

describe('limits: aws', () => {
  let local: LocalKinesis;
  beforeAll(async () => {
    local = await startLocalKinesis();
    // Warm the client and the server's code paths on another stream, so the measured runs are not
    // dominated by first-call costs (a cold first PutRecords can take 700 ms on a busy machine).
    await local.createStream({ name: 'warm-up', shardCount: 1 });
    await drive(local.client(), 'warm-up', { recordsPerSec: 3000, dataBytes: 100, durationMs: 300 });
    await drive(local.client(), 'warm-up', { recordsPerSec: 300, dataBytes: 10_000, durationMs: 300 });
  });
  afterAll(() => local.stop());

  it.each([
    // 3,000 records/s of 100 B (≈ 0.3 MiB/s): the record limit binds.
    { limit: '1,000 records/s', stream: 'records', recordsPerSec: 3000, dataBytes: 100, drain: 500, perSec: 1000, unit: 'accepted' },
    // ≈ 314 records/s of 10,000 B = 3 MiB/s: the byte limit binds (≈ 105 records/s).
    { limit: '1 MiB/s', stream: 'bytes', recordsPerSec: (3 * MiB) / 10_007, dataBytes: 10_000, drain: 100, perSec: MiB, unit: 'acceptedBytes' },
  ] as const)(
    'accepts $limit ±10% from one shard driven at 3× ($dataBytes B records), throttling the rest per entry',
    async ({ stream, recordsPerSec, dataBytes, drain, perSec, unit }) => {
      await local.createStream({ name: stream, shardCount: 1 });
      const client = local.client({ maxAttempts: 1 });
      await drainBurst(client, stream, drain, dataBytes);
      const result = await drive(client, stream, { recordsPerSec, dataBytes, durationMs: 3000 });
      const rate = steadyRate(result.samples, (sample) => sample[unit]);
      expect(rate.spanSec).toBeGreaterThan(2);
      expect(rate.maxGapMs).toBeLessThan(900);
      expect(rate.perSec).toBeGreaterThan(0.9 * perSec);
      expect(rate.perSec).toBeLessThan(1.1 * perSec);
      // About two thirds of what was offered at 3× is throttled, each entry with the AWS code.
      expect(result.throttled).toBeGreaterThan(result.accepted);
      expect([...result.errorCodes]).toEqual(['ProvisionedThroughputExceededException']);
      const shard = local.stats().streams[stream]?.shards[0];
      expect(shard?.throttledRecords).toBeGreaterThanOrEqual(result.throttled);
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

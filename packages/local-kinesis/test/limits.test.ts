/**
 * Per-shard limits against the real server. Each run drives one shard at 3× its limit and measures
 * the steady rate with the burst left out (see `steadyRate`): the bucket starts with 1,000 ms of
 * capacity, which would otherwise inflate a 3 s measurement by a third.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '../src/index.js';
import { drive, entries, steadyRate } from './helpers.js';

const MiB = 1024 * 1024;

describe('limits: aws', () => {
  let local: LocalKinesis;
  beforeAll(async () => {
    local = await startLocalKinesis();
    // Warm the client and the server's code paths on another stream, so the measured runs are not
    // dominated by first-call costs (a cold first PutRecords can take 700 ms on a busy machine).
    await local.createStream({ name: 'warm-up', shardCount: 1 });
    await drive(local.client(), 'warm-up', () => entries(300, 100), 5, 0);
    await drive(local.client(), 'warm-up', () => entries(31, 10_000), 5, 0);
  });
  afterAll(() => local.stop());

  it.each([
    // 300 records of 100 B every 100 ms = 3,000 records/s; the record limit binds.
    { limit: '1,000 records/s', stream: 'records', count: 300, dataBytes: 100, perSec: 1000, unit: 'accepted' },
    // 31 records of 10,000 B every 100 ms ≈ 2.96 MiB/s; the byte limit binds (≈ 105 records/s).
    { limit: '1 MiB/s', stream: 'bytes', count: 31, dataBytes: 10_000, perSec: MiB, unit: 'acceptedBytes' },
  ] as const)(
    'accepts $limit ±10% from one shard driven at 3× ($dataBytes B records), throttling the rest per entry',
    async ({ stream, count, dataBytes, perSec, unit }) => {
      await local.createStream({ name: stream, shardCount: 1 });
      const result = await drive(local.client({ maxAttempts: 1 }), stream, () => entries(count, dataBytes), 30, 100);
      const rate = steadyRate(result.samples, (sample) => sample[unit]);
      expect(rate.spanSec).toBeGreaterThan(1.5);
      expect(rate.maxGapMs).toBeLessThan(900);
      expect(rate.perSec).toBeGreaterThan(0.9 * perSec);
      expect(rate.perSec).toBeLessThan(1.1 * perSec);
      expect(result.throttled).toBe(30 * count - result.accepted);
      expect(result.throttled).toBeGreaterThan(result.accepted);
      expect([...result.errorCodes]).toEqual(['ProvisionedThroughputExceededException']);
      expect(local.stats().streams[stream]?.totals).toMatchObject({
        acceptedRecords: result.accepted,
        acceptedBytes: result.acceptedBytes,
        throttledRecords: result.throttled,
      });
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
  it('throttles nothing at 3× the AWS record limit', async () => {
    const local = await startLocalKinesis({ limits: 'off' });
    try {
      await local.createStream({ name: 'free', shardCount: 1 });
      const result = await drive(local.client({ maxAttempts: 1 }), 'free', () => entries(300, 100), 10, 100);
      expect(result.accepted).toBe(3000);
      expect(result.throttled).toBe(0);
      expect(local.stats().streams['free']?.totals).toMatchObject({ acceptedRecords: 3000, throttledRecords: 0 });
    } finally {
      await local.stop();
    }
  });
});

/**
 * A throttled entry is paced by its shard's flow control, not by its own backoff: throttles must
 * not raise the exponent of the backoff the entry takes after another failure. When they did, an
 * entry throttled a few times and then refused once with InternalFailure waited seconds at the
 * head of its shard's queue, and nothing behind it was sent.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { oneShardClient, ONE_SHARD_ID } from './one-shard-stream.js';
import { createProducer } from '../src/index.js';

/** One shard; the first `throttles` attempts throttle every entry, the next fails it with InternalFailure, then all succeed. */
function scriptedClient(throttles: number): KinesisClient {
  let attempt = 0;
  return oneShardClient(
    (entries) => {
      const this_ = attempt++;
      return entries.map((_, i) =>
        this_ < throttles
          ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard shardId-000000000000' }
          : this_ === throttles
            ? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' }
            : { ShardId: ONE_SHARD_ID, SequenceNumber: String(1000 + i) },
      );
    },
    { sdk: false },
  );
}

describe('per-entry retry backoff', () => {
  it('after 8 throttles, an InternalFailure backs off like a first failure: < 2 × backoffBaseMs', async () => {
    // Seeded: with throttles counted, this draw is ~0.9 of [0, 2^9 × 100 ms) ≈ 46 s.
    let x = 1;
    const random = () => {
      x = (x * 48271) % 2147483647;
      return 0.9 + (x / 2147483647) * 0.09;
    };
    const producer = createProducer({ streamName: 's', client: scriptedClient(8), rateControl: 'off', lingerMs: 0, backoffBaseMs: 100, random });
    const result = await producer.put({ data: 'x', partitionKey: 'k' });
    await producer.close();
    const attempts = result.attempts;
    expect(attempts.map((a) => a.errorCode ?? 'ok')).toEqual([...Array(8).fill('ProvisionedThroughputExceededException'), 'InternalFailure', 'ok']);
    const failed = attempts[8]!;
    const retried = attempts[9]!;
    const waitedMs = retried.startedAt - (failed.startedAt + failed.durationMs);
    expect(waitedMs).toBeLessThan(2 * 100 + 50);
  }, 10_000);
});

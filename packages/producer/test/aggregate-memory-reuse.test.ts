/**
 * With an SDK client the producer writes aggregates into reused memory (output-slabs.ts). Reuse is
 * only safe if an aggregate's memory is never handed out again while the aggregate may still be
 * sent: this drives a producer through random throttles, internal failures and fatal entry errors
 * (so entries wait, retry and are dropped in every order) and checks that every send of an
 * aggregate carried the same bytes, and that every resolved record is found, byte for byte, at the
 * shard, sequence number and subsequence number it was resolved with.
 */
import { describe, expect, it } from 'vitest';
import { deaggregate } from '../src/aggregation/index.js';
import { oneShardClient, ONE_SHARD_ID, type EntryAnswer } from './one-shard-stream.js';
import { createProducer, type PutOutcome } from '../src/index.js';

/** An SDK client (so the producer reuses memory) whose PutRecords answers come from a seeded script. */
function scriptedSdkClient(seed: number) {
  let x = seed;
  const random = () => (x = (x * 48271) % 2147483647) / 2147483647;
  const firstSend = new Map<string, Buffer>();
  const stored = new Map<string, Buffer>();
  const buffers = new Set<ArrayBufferLike>();
  let mismatches = 0;
  let seq = 0;
  const client = oneShardClient(
    async (entries) => {
      await new Promise((resolve) => setImmediate(resolve));
      return entries.map((e): EntryAnswer => {
        // Each aggregate's outer key is its first record's key, unique in this test.
        const bytes = Buffer.from(e.Data);
        buffers.add(e.Data.buffer);
        const first = firstSend.get(e.PartitionKey);
        if (first === undefined) firstSend.set(e.PartitionKey, bytes);
        else if (!first.equals(bytes)) mismatches++;
        const roll = random();
        if (roll < 0.03) return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded' };
        if (roll < 0.08) return { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };
        if (roll < 0.09) return { ErrorCode: 'KMSAccessDeniedException', ErrorMessage: 'denied' };
        const SequenceNumber = String(seq++);
        stored.set(SequenceNumber, bytes);
        return { ShardId: ONE_SHARD_ID, SequenceNumber };
      });
    },
    { sdk: true },
  );
  return { client, stored, buffers, mismatches: () => mismatches };
}

describe('aggregate memory reuse', () => {
  it('never changes an aggregate that may still be sent, through retries and failures', async () => {
    const { client, stored, buffers, mismatches } = scriptedSdkClient(11);
    const producer = createProducer({ streamName: 's', client, rateControl: 'off', lingerMs: 5, backoffBaseMs: 100, backoffCapMs: 200 });
    const records = Array.from({ length: 60_000 }, (_, i) => ({ partitionKey: `key-${i}`, data: Buffer.alloc(80 + (i % 200), i % 251) }));
    // A steady feed (500 records every 2 ms) so new aggregates keep leasing memory while older
    // ones back off: memory released too early would be written over before the resend.
    const waves: Promise<PutOutcome[]>[] = [];
    for (let i = 0; i < records.length; i += 500) {
      waves.push(producer.putMany(records.slice(i, i + 500)));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const outcomes = (await Promise.all(waves)).flat();
    await producer.close();

    expect(mismatches()).toBe(0);
    let resolved = 0;
    let rejected = 0;
    outcomes.forEach((o, i) => {
      if (o.status === 'rejected') {
        rejected++;
        return;
      }
      resolved++;
      const bytes = stored.get(o.value.sequenceNumber);
      if (bytes === undefined) throw new Error(`record ${i}: sequence number ${o.value.sequenceNumber} was never stored`);
      const users = deaggregate({ Data: bytes, PartitionKey: 'x', SequenceNumber: o.value.sequenceNumber });
      const user = users[o.value.subSequenceNumber ?? 0];
      expect(user?.partitionKey).toBe(records[i]?.partitionKey);
      expect(Buffer.from(user?.data ?? []).equals(records[i]!.data)).toBe(true);
    });
    expect(resolved).toBeGreaterThan(50_000);
    expect(rejected).toBeGreaterThan(0); // the fatal KMS errors
    // Reuse happened: ~240 aggregates (~11 MB) went out of a few 1 MiB slabs, not a buffer each.
    expect(stored.size).toBeGreaterThan(200);
    expect(buffers.size).toBeLessThan(12);
  }, 60_000);
});

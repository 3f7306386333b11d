/**
 * `ordering: 'per-shard'` under InternalFailure faults: what a consumer reads from each shard is in
 * put order, even though one in ten Kinesis records fails and is retried.
 *
 * Why it holds: with per-shard ordering a shard has at most one request in flight carrying one
 * Kinesis record of it (PutRecords does not order entries within a request), and a failed record
 * goes back to the front of its shard's queue, so nothing behind it can overtake it. The price is
 * throughput: one Kinesis record per shard per round trip (see the README's ordering trade-off).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '@shardline/producer';
import { seededRandom, tagOf, taggedData, userRecordsOf } from '../helpers/records.js';
import { checkReadBack, feed } from './harness.js';

let local: LocalKinesis;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'aws' });
});
afterAll(async () => {
  await local.stop();
});

/** Orders (sequenceNumber, subSequenceNumber) pairs as a consumer reads them. */
function compareLocation(a: { sequenceNumber: string; subSequenceNumber?: number }, b: typeof a): number {
  const x = BigInt(a.sequenceNumber);
  const y = BigInt(b.sequenceNumber);
  if (x !== y) return x < y ? -1 : 1;
  return (a.subSequenceNumber ?? 0) - (b.subSequenceNumber ?? 0);
}

describe("ordering: 'per-shard' with InternalFailure 10%", () => {
  it.each([
    { aggregation: true, count: 3_000, seed: 31 },
    { aggregation: false, count: 400, seed: 32 },
  ])('read-back order per shard equals put order (aggregation $aggregation)', async ({ aggregation, count, seed }) => {
    const stream = `ordering-${String(aggregation)}`;
    await local.createStream({ name: stream, shardCount: 2 });
    local.setFaults({ seed, internalFailureRate: 0.1, operations: ['PutRecords'] });
    const random = seededRandom(seed);
    const producer = createProducer({
      streamName: stream,
      client: local.client({ maxAttempts: 1 }),
      ordering: 'per-shard',
      aggregation: aggregation && { maxBytes: 4_096 },
      lingerMs: 10,
      backoffBaseMs: 10,
      random,
    });
    await producer.ready;
    const fed = await feed({
      producer,
      ratePerSec: count,
      durationMs: 30_000,
      maxRecords: count,
      maxOutstanding: count,
      makeRecord: (id) => ({ data: taggedData(id, 20 + Math.floor(random() * 100)), partitionKey: `k${Math.floor(random() * 500)}` }),
    });
    await producer.close();
    const injected = local.stats().faults.internalFailures;
    local.setFaults({});

    expect(fed.errors.size).toBe(0);
    expect(injected).toBeGreaterThan(0);
    expect([...fed.results.values()].some((r) => r.attempts.length > 1)).toBe(true);
    const users = userRecordsOf(await readAllRecords(local.client(), stream));
    const report = checkReadBack(users, fed);
    expect(report.missing).toEqual([]);
    expect([...report.duplicates.keys()]).toEqual([]);
    expect(report.misplaced).toEqual([]);

    // Read-back order per shard (GetRecords order, then subSequenceNumber) equals put order (id order).
    const readOrder = new Map<string, number[]>();
    for (const u of users) readOrder.set(u.shardId, [...(readOrder.get(u.shardId) ?? []), tagOf(u.data)]);
    expect(readOrder.size).toBe(2);
    for (const ids of readOrder.values()) expect(ids).toEqual([...ids].sort((a, b) => a - b));

    // The results say the same: per shard, locations increase with put order.
    const byShard = new Map<string, { sequenceNumber: string; subSequenceNumber?: number }[]>();
    for (let id = 0; id < fed.count; id++) {
      const r = fed.results.get(id)!;
      byShard.set(r.shardId, [...(byShard.get(r.shardId) ?? []), r]);
    }
    for (const locations of byShard.values()) {
      for (let i = 1; i < locations.length; i++) expect(compareLocation(locations[i - 1]!, locations[i]!)).toBeLessThan(0);
    }
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, md5HashKey, type PutResult } from '@shardline/producer';
import { seededRandom, tagOf, taggedData, userRecordsOf } from '../helpers/records.js';

let local: LocalKinesis;

beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'off' });
});
afterAll(async () => {
  await local.stop();
});

async function shardRanges(stream: string) {
  const out = await local.client().send(new ListShardsCommand({ StreamName: stream }));
  return (out.Shards ?? []).map((s) => ({
    shardId: s.ShardId as string,
    start: BigInt(s.HashKeyRange?.StartingHashKey as string),
    end: BigInt(s.HashKeyRange?.EndingHashKey as string),
  }));
}

describe('producer end to end against local-kinesis', () => {
  it.each([
    { aggregation: true, count: 20_000, seed: 1 },
    { aggregation: false, count: 3_000, seed: 2 },
  ])('every user record is read back exactly once where its result says (aggregation $aggregation)', async ({ aggregation, count, seed }) => {
    const stream = `e2e-${seed}`;
    await local.createStream({ name: stream, shardCount: 4 });
    const random = seededRandom(seed);
    const client = local.client();
    // A generous request timeout: a request that times out after the server stored it is legitimately
    // written twice on retry, which is not what this test is about (test/flow-control/faults covers it).
    const producer = createProducer({ streamName: stream, client, aggregation, lingerMs: 20, random, requestTimeoutMs: 60_000 });
    const expected = new Map<number, { partitionKey: string; explicitHashKey: string | undefined; bytes: number }>();
    const pending: Promise<PutResult>[] = [];
    for (let id = 0; id < count; id++) {
      // sizes from a few bytes to near the 1 MiB record limit (one in 5,000), mostly small
      const roll = random();
      const size = id % 5_000 === 17 ? 1_048_000 - 16 - Math.floor(random() * 50_000) : roll < 0.01 ? 2_000 + Math.floor(random() * 30_000) : 1 + Math.floor(random() * 300);
      const partitionKey = `k-${Math.floor(random() * 5_000)}`;
      const explicitHashKey = random() < 0.1 ? (BigInt(Math.floor(random() * 2 ** 52)) * 2n ** 76n).toString() : undefined;
      const data = taggedData(id, size);
      expected.set(id, { partitionKey, explicitHashKey, bytes: data.length });
      pending.push(producer.put({ data, partitionKey, explicitHashKey }));
    }
    const results = await Promise.all(pending);
    await producer.close();

    const ranges = await shardRanges(stream);
    const read = await readAllRecords(client, stream);
    const users = userRecordsOf(read);
    expect(users).toHaveLength(count);
    const seen = new Set<number>();
    for (const u of users) {
      const id = tagOf(u.data);
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      const want = expected.get(id)!;
      const result = results[id]!;
      expect(u.partitionKey).toBe(want.partitionKey);
      expect(u.data.length).toBe(want.bytes);
      expect(result.shardId).toBe(u.shardId);
      expect(result.sequenceNumber).toBe(u.sequenceNumber);
      expect(result.subSequenceNumber).toBe(u.subSequenceNumber);
      // the record hashes into the shard it was read from (KCL's rule for aggregates)
      const hash = want.explicitHashKey === undefined ? md5HashKey(want.partitionKey) : BigInt(want.explicitHashKey);
      const range = ranges.find((r) => r.shardId === u.shardId)!;
      expect(hash >= range.start && hash <= range.end).toBe(true);
    }
    const metrics = producer.metrics();
    expect(metrics.userRecordsPut).toBe(count);
    expect(metrics.userRecordsFailed).toBe(0);
    if (aggregation) expect(metrics.userRecordsPerKinesisRecord).toBeGreaterThan(5);
  }, 120_000);
});

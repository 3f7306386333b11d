/**
 * Keyed records with few keys: `keyHashing: 'balanced'` gives every shard of an 8-shard stream the
 * same number of keys (32 keys → exactly 4 each, ±1 allowed by its invariant), while MD5 routing —
 * what Kinesis itself does — lands the same keys wherever their hashes fall in the stream's real
 * ranges. The MD5 skew is printed for comparison and checked against the ranges read with
 * ListShards, so the test states what the stream really does rather than an assumed figure.
 * Both modes must keep each key on one shard (per-key ordering rests on it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, md5HashKey, type KeyHashing } from '@shardline/producer';
import { seededRandom, tagOf, taggedData, userRecordsOf } from '../helpers/records.js';
import { countPerShard, shardOfHash, shardRanges, type ShardRangeOf } from './stream-layout.js';

const SHARDS = 8;
const KEYS = Array.from({ length: 32 }, (_, i) => `device-${i}`);
const RECORDS_PER_KEY = 40;

let local: LocalKinesis;

beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'off' });
});
afterAll(async () => {
  await local.stop();
});

/** Puts RECORDS_PER_KEY records per key (uniformly interleaved) and returns each key's shard ids. */
async function shardsPerKey(stream: string, keyHashing: KeyHashing, seed: number): Promise<Map<string, Set<string>>> {
  const random = seededRandom(seed);
  const producer = createProducer({ streamName: stream, client: local.client(), keyHashing, lingerMs: 10, random });
  const records = Array.from({ length: KEYS.length * RECORDS_PER_KEY }, (_, id) => ({
    partitionKey: KEYS[id % KEYS.length] as string,
    data: taggedData(id, 50 + Math.floor(random() * 100)),
  }));
  const outcomes = await producer.putMany(records);
  await producer.close();
  const seen = new Map<string, Set<string>>(KEYS.map((k) => [k, new Set<string>()]));
  for (const [id, outcome] of outcomes.entries()) {
    if (outcome.status === 'rejected') throw outcome.reason;
    seen.get(records[id]?.partitionKey as string)?.add(outcome.value.shardId);
  }
  return seen;
}

function keysPerShard(ranges: readonly ShardRangeOf[], seen: Map<string, Set<string>>): number[] {
  for (const [key, shards] of seen) expect({ key, shards: shards.size }).toEqual({ key, shards: 1 });
  return countPerShard(ranges, [...seen.values()].map((shards) => [...shards][0] as string));
}

describe('32 uniform keys over an 8-shard stream', () => {
  it("'balanced' gives every shard 4 keys; MD5 follows the stream's real ranges", async () => {
    await local.createStream({ name: 'keyed-balanced', shardCount: SHARDS });
    await local.createStream({ name: 'keyed-md5', shardCount: SHARDS });
    const ranges = await shardRanges(local.client(), 'keyed-md5');
    expect(ranges).toHaveLength(SHARDS);

    const balancedRanges = await shardRanges(local.client(), 'keyed-balanced');
    const balanced = keysPerShard(balancedRanges, await shardsPerKey('keyed-balanced', 'balanced', 21));
    const md5 = keysPerShard(ranges, await shardsPerKey('keyed-md5', 'md5', 22));
    const md5Expected = countPerShard(ranges, KEYS.map((key) => shardOfHash(ranges, md5HashKey(key))));
    const mean = KEYS.length / SHARDS;
    console.log(
      `keys per shard — balanced: ${balanced.join(', ')} (max/mean ${(Math.max(...balanced) / mean).toFixed(2)}); ` +
        `md5: ${md5.join(', ')} (max/mean ${(Math.max(...md5) / mean).toFixed(2)}, ` +
        `so the stream saturates at ${((100 * mean) / Math.max(...md5)).toFixed(0)}% of its limit under uniform key load)`,
    );

    expect(Math.max(...balanced) - Math.min(...balanced)).toBeLessThanOrEqual(1);
    expect(balanced.reduce((a, b) => a + b, 0)).toBe(KEYS.length);
    expect(md5).toEqual(md5Expected);

    // Consumers of the balanced stream still see each record's own key, on the shard its result named.
    const read = userRecordsOf(await readAllRecords(local.client(), 'keyed-balanced'));
    expect(read).toHaveLength(KEYS.length * RECORDS_PER_KEY);
    for (const u of read) expect(u.partitionKey).toBe(KEYS[tagOf(u.data) % KEYS.length]);
    const readShardsPerKey = new Map<string, Set<string>>();
    for (const u of read) readShardsPerKey.set(u.partitionKey, (readShardsPerKey.get(u.partitionKey) ?? new Set()).add(u.shardId));
    expect(keysPerShard(balancedRanges, readShardsPerKey)).toEqual(balanced);
  }, 60_000);
});

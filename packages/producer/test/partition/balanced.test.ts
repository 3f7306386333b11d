import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { createBalancedRouter } from '../../src/partition/balanced.js';
import { md5HashKey, murmur3HashKey, type ShardRange } from '../../src/partition/hash-range.js';
import { measureSkew } from '../../src/partition/load-skew.js';
import { countPerShard, evenShardRanges, HASH_KEY_PATTERN, seededRandom, shardIndexOf } from './helpers.js';

/** `count` distinct keys that look like real ones (uuid-ish, seeded). */
function uniformKeys(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Math.floor(random() * 2 ** 48).toString(16).padStart(12, '0'));
}

describe('balanced key hashing', () => {
  it('puts 32 uniform keys on 8 shards 4 per shard; MD5 routing of the same keys is reported', () => {
    const shards = evenShardRanges(8);
    const keys = uniformKeys(32, 1);
    const router = createBalancedRouter({ shards });
    const balanced = countPerShard(keys.map((key) => router.route(key).shardIndex), 8);
    const md5 = countPerShard(keys.map((key) => shardIndexOf(shards, md5HashKey(key))), 8);
    const balancedSkew = measureSkew(balanced);
    const md5Skew = measureSkew(md5);
    console.log(
      `32 keys on 8 shards — balanced: [${balanced.join(', ')}] max/mean ${balancedSkew.maxOverMean.toFixed(2)}; ` +
        `MD5: [${md5.join(', ')}] max/mean ${md5Skew.maxOverMean.toFixed(2)}, CV ${md5Skew.coefficientOfVariation.toFixed(2)}`,
    );
    for (const count of balanced) expect(Math.abs(count - 4)).toBeLessThanOrEqual(1);
    expect(balanced).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(router.keysPerShard()).toEqual(balanced);
    expect(md5.reduce((a, b) => a + b)).toBe(32);
  });

  it.each([
    [1, 1],
    [7, 4],
    [100, 8],
    [1000, 3],
    [5000, 64],
  ])('%i keys on %i shards: tracked counts differ by at most one', (keyCount, shardCount) => {
    const router = createBalancedRouter({ shards: evenShardRanges(shardCount) });
    for (const key of uniformKeys(keyCount, keyCount)) router.route(key);
    const counts = router.keysPerShard();
    expect(counts.reduce((a, b) => a + b)).toBe(keyCount);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('balances by shard index, not by range width', () => {
    // One shard owns half the hash space; hashing by range would send it half of the keys.
    const half = 1n << 127n;
    const shards: ShardRange[] = [
      { shardId: 'wide', startingHashKey: 0n, endingHashKey: half - 1n },
      { shardId: 'narrow-a', startingHashKey: half, endingHashKey: half + 999n },
      { shardId: 'narrow-b', startingHashKey: half + 1000n, endingHashKey: (1n << 128n) - 1n },
    ];
    const router = createBalancedRouter({ shards });
    for (const key of uniformKeys(30, 3)) router.route(key);
    expect(router.keysPerShard()).toEqual([10, 10, 10]);
  });

  it('gives the same key the same shard and explicit hash key, inside that shard, every time', () => {
    const shards = evenShardRanges(8);
    const router = createBalancedRouter({ shards });
    const keys = uniformKeys(200, 5);
    const first = keys.map((key) => router.route(key));
    for (const key of [...keys].reverse()) router.route(key);
    keys.forEach((key, i) => {
      const route = router.route(key);
      expect(route).toEqual(first[i]);
      expect(route.explicitHashKey).toMatch(HASH_KEY_PATTERN);
      expect(route.hashKey).toBe(BigInt(route.explicitHashKey));
      expect(shardIndexOf(shards, route.hashKey)).toBe(route.shardIndex);
    });
    expect(router.trackedKeys()).toBe(200);
  });

  it('the explicit hash key fits a one-key-wide shard', () => {
    const shards: ShardRange[] = [
      { shardId: 'point', startingHashKey: 42n, endingHashKey: 42n },
      { shardId: 'rest', startingHashKey: 43n, endingHashKey: (1n << 128n) - 1n },
    ];
    const router = createBalancedRouter({ shards });
    const routes = uniformKeys(10, 9).map((key) => router.route(key));
    const onPoint = routes.filter((route) => route.shardIndex === 0);
    expect(onPoint).toHaveLength(5);
    for (const route of onPoint) expect(route.explicitHashKey).toBe('42');
  });

  it('once maxTrackedKeys are remembered, new keys go to murmur3 mod N, stable and uncounted', () => {
    const shards = evenShardRanges(4);
    const router = createBalancedRouter({ shards, maxTrackedKeys: 8 });
    const keys = uniformKeys(40, 11);
    const routes = keys.map((key) => router.route(key));
    expect(router.trackedKeys()).toBe(8);
    expect(router.keysPerShard()).toEqual([2, 2, 2, 2]);
    keys.slice(8).forEach((key, i) => {
      const expected = Number(murmur3HashKey(key) % 4n);
      expect(routes[i + 8]?.shardIndex).toBe(expected);
      expect(router.route(key)).toEqual(routes[i + 8]);
    });
  });

  it('maxTrackedKeys 0 is pure murmur3 mod N', () => {
    const router = createBalancedRouter({ shards: evenShardRanges(3), maxTrackedKeys: 0 });
    expect(router.route('order-17').shardIndex).toBe(Number(murmur3HashKey('order-17') % 3n));
    expect(router.keysPerShard()).toEqual([0, 0, 0]);
  });

  it.each([
    [{ shards: [] }, /Expected `shards` to hold at least one open shard, got 0/],
    [{ shards: evenShardRanges(2), maxTrackedKeys: -1 }, /Expected `maxTrackedKeys` to be an integer ≥ 0, got -1/],
    [{ shards: evenShardRanges(2), maxTrackedKeys: 1.5 }, /got 1.5/],
  ])('refuses bad options before routing anything', (options, message) => {
    expect(() => createBalancedRouter(options)).toThrow(message);
    expect(() => createBalancedRouter(options)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidOption }));
  });
});

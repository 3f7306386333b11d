import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import type { ShardLoad } from '../../src/partition/adaptive-choice.js';
import { createKeylessPartitioner, type KeylessRoute } from '../../src/partition/keyless.js';
import { countPerShard, evenShardRanges, HASH_KEY_PATTERN, idleShard, seededRandom, shardIndexOf } from './helpers.js';

const shards = evenShardRanges(8);
const STICKY_BYTES = 51_200;

/** Routes `count` records of 10–2,000 bytes (seeded) and returns the routes. */
function routeMany(loadOf: (index: number) => ShardLoad, count: number, seed = 1): KeylessRoute[] {
  const random = seededRandom(seed);
  const sizes = seededRandom(seed + 1);
  const partitioner = createKeylessPartitioner({ random, stickyBytes: STICKY_BYTES, load: loadOf });
  return Array.from({ length: count }, () => partitioner.next(shards, 10 + Math.floor(sizes() * 1990)));
}

describe('keyless partitioner', () => {
  it('spreads 200,000 records over 8 equally loaded shards within ±5% of the mean', () => {
    const counts = countPerShard(
      routeMany(() => idleShard, 200_000).map((route) => route.shardIndex),
      8,
    );
    const mean = 200_000 / 8;
    console.log(`keyless, 200,000 records on 8 idle shards: [${counts.join(', ')}]`);
    for (const count of counts) expect(Math.abs(count - mean) / mean).toBeLessThanOrEqual(0.05);
  });

  it.each<[string, Partial<ShardLoad>]>([
    ['throttled recently', { throttledRecently: true }],
    ['no byte tokens left', { spareBytes: 0 }],
    ['no record tokens left', { spareRecords: 0 }],
    ['a queue longer than its tokens', { queuedBytes: 2_000_000 }],
  ])('a shard %s gets no keyless records while others have room', (_, hot) => {
    const counts = countPerShard(
      routeMany((index) => (index === 3 ? { ...idleShard, ...hot } : idleShard), 50_000).map((route) => route.shardIndex),
      8,
    );
    expect(counts[3]).toBe(0);
    for (const [index, count] of counts.entries()) if (index !== 3) expect(count).toBeGreaterThan(50_000 / 7 * 0.9);
  });

  it('a shard with half the spare bytes gets about half the share of the others', () => {
    const counts = countPerShard(
      routeMany((index) => (index === 0 ? { ...idleShard, spareBytes: 524_288 } : idleShard), 100_000).map((r) => r.shardIndex),
      8,
    );
    const othersMean = (100_000 - (counts[0] ?? 0)) / 7;
    expect((counts[0] ?? 0) / othersMean).toBeGreaterThan(0.4);
    expect((counts[0] ?? 0) / othersMean).toBeLessThan(0.6);
  });

  it.each([
    [100, 1000, 10],
    [300, 1000, 4],
    [1000, 1000, 1],
    [5000, 1000, 1],
  ])('with %i-byte records and stickyBytes %i, runs are %i records long', (recordBytes, stickyBytes, runLength) => {
    const partitioner = createKeylessPartitioner({ random: seededRandom(2), stickyBytes, load: () => idleShard });
    const routes = Array.from({ length: runLength * 40 }, () => partitioner.next(shards, recordBytes));
    routes.forEach((route, i) => {
      const runStart = routes[i - (i % runLength)] as KeylessRoute;
      expect(route.shardIndex).toBe(runStart.shardIndex);
      expect(route.explicitHashKey).toBe(runStart.explicitHashKey);
      if (i > 0 && i % runLength === 0) expect(route.explicitHashKey).not.toBe(routes[i - 1]?.explicitHashKey);
    });
    expect(new Set(routes.map((route) => route.shardIndex)).size).toBe(8);
  });

  it('reads shard load only when it switches', () => {
    let reads = 0;
    const partitioner = createKeylessPartitioner({
      random: seededRandom(4),
      stickyBytes: 1000,
      load: () => (reads++, idleShard),
    });
    for (let i = 0; i < 100; i++) partitioner.next(shards, 100);
    expect(reads).toBe(10 * 8); // 10 switches, each reading the 8 shards
  });

  it('generates short unique partition keys and explicit hash keys inside the chosen shard', () => {
    const routes = routeMany(() => idleShard, 5000, 6);
    expect(new Set(routes.map((route) => route.partitionKey)).size).toBe(5000);
    for (const route of routes) {
      expect(route.partitionKey.length).toBeGreaterThanOrEqual(1);
      expect(route.partitionKey.length).toBeLessThanOrEqual(8);
      expect(route.explicitHashKey).toMatch(HASH_KEY_PATTERN);
      expect(route.hashKey).toBe(BigInt(route.explicitHashKey));
      expect(shardIndexOf(shards, route.hashKey)).toBe(route.shardIndex);
    }
  });

  it('is deterministic for one seed', () => {
    expect(routeMany(() => idleShard, 3000, 8)).toEqual(routeMany(() => idleShard, 3000, 8));
  });

  it('follows a new shard map: keeps its run on a shard still open, switches when its shard closed', () => {
    const partitioner = createKeylessPartitioner({ random: seededRandom(5), stickyBytes: 10_000, load: () => idleShard });
    const first = partitioner.next(shards, 100);
    const current = shards[first.shardIndex];
    const reordered = [...shards].reverse().sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    expect(partitioner.next(reordered, 100).explicitHashKey).toBe(first.explicitHashKey);
    const withoutCurrent = shards.filter((shard) => shard !== current);
    const moved = partitioner.next(withoutCurrent, 100);
    expect(moved.shardIndex).toBeLessThan(7);
    expect(shardIndexOf(withoutCurrent, BigInt(moved.explicitHashKey))).toBe(moved.shardIndex);
  });

  it.each([[0], [-5], [Number.NaN], [Infinity]])('refuses stickyBytes %s', (stickyBytes) => {
    const create = (): unknown => createKeylessPartitioner({ random: Math.random, stickyBytes, load: () => idleShard });
    expect(create).toThrow(`Expected \`stickyBytes\` to be a finite number > 0, got ${stickyBytes}`);
    expect(create).toThrow(expect.objectContaining({ code: ErrorCode.InvalidOption }));
  });

  it('refuses an empty shard map and a negative record size', () => {
    const partitioner = createKeylessPartitioner({ random: Math.random, stickyBytes: 1000, load: () => idleShard });
    expect(() => partitioner.next([], 10)).toThrow('Expected at least one open shard, got 0');
    expect(() => partitioner.next(shards, -1)).toThrow('Expected `recordBytes` to be ≥ 0, got -1');
  });
});

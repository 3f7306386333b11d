/** Test helpers for partitioning: shard maps, MD5 routing, seeded randomness, a zipfian key source. */
import type { ShardLoad, ShardRange } from '../../src/partition/index.js';

/** `count` shards splitting 2^128 evenly, as CreateStream does (the last shard takes the remainder). */
export function evenShardRanges(count: number): ShardRange[] {
  const space = 1n << 128n;
  const width = space / BigInt(count);
  return Array.from({ length: count }, (_, index) => ({
    shardId: `shardId-${String(index).padStart(12, '0')}`,
    startingHashKey: BigInt(index) * width,
    endingHashKey: index === count - 1 ? space - 1n : BigInt(index + 1) * width - 1n,
  }));
}

/** Index of the shard holding `hashKey` (binary search over sorted ranges); -1 if none. */
export function shardIndexOf(shards: readonly ShardRange[], hashKey: bigint): number {
  let low = 0;
  let high = shards.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const shard = shards[middle] as ShardRange;
    if (hashKey < shard.startingHashKey) high = middle - 1;
    else if (hashKey > shard.endingHashKey) low = middle + 1;
    else return middle;
  }
  return -1;
}

/** Seeded uniform generator in [0, 1) (mulberry32), the one the embedded server's faults use. */
export { createPrng as seededRandom } from '../../../local-kinesis/src/prng.js';

export interface Zipf {
  /** A key drawn with P(rank r) ∝ 1 / r^s. */
  next(): string;
  /** The key of rank r (1 = heaviest). */
  keyOfRank(rank: number): string;
}

/**
 * Zipfian keys over `keyCount` ranks by inverse-CDF lookup. Key names are scrambled so that rank
 * order and name order differ (a sketch must not get the answer from sorting names).
 */
export function zipfKeys(keyCount: number, s: number, random: () => number): Zipf {
  const cumulative = new Float64Array(keyCount);
  let sum = 0;
  for (let rank = 1; rank <= keyCount; rank++) {
    sum += 1 / rank ** s;
    cumulative[rank - 1] = sum;
  }
  const names = Array.from({ length: keyCount }, (_, i) => `k${(((i + 1) * 2654435761) >>> 0).toString(36)}`);
  const keyOfRank = (rank: number): string => names[rank - 1] as string;
  return {
    keyOfRank,
    next() {
      const target = random() * sum;
      let low = 0;
      let high = keyCount - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if ((cumulative[middle] as number) < target) low = middle + 1;
        else high = middle;
      }
      return keyOfRank(low + 1);
    },
  };
}

/** Per-shard counts of how often each index occurs. */
export function countPerShard(indexes: Iterable<number>, shardCount: number): number[] {
  const counts = new Array<number>(shardCount).fill(0);
  for (const index of indexes) counts[index] = (counts[index] ?? 0) + 1;
  return counts;
}

/** A shard with full token buckets and an empty queue (1,000 records/s, 1 MiB/s). */
export const idleShard: ShardLoad = { spareRecords: 1000, spareBytes: 1_048_576, queuedBytes: 0, throttledRecently: false };

export const HASH_KEY_PATTERN = /^(0|[1-9]\d{0,38})$/;

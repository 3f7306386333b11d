/**
 * Arithmetic on the Kinesis hash-key space [0, 2^128 − 1] and hashing of partition keys onto it.
 *
 * Invariants: every bigint returned lies in [0, 2^128 − 1]; every point chosen "inside a shard"
 * lies in that shard's inclusive [startingHashKey, endingHashKey]; decimal strings match the
 * ExplicitHashKey pattern `0|([1-9]\d{0,38})`. Randomness comes only from the injected `random()`.
 */
import { createRequire } from 'node:module';
import { InvalidOptionError } from '../errors.js';
import { MAX_HASH_KEY } from '../hash-key.js';

export { MAX_HASH_KEY, md5HashKey } from '../hash-key.js';

/** One open shard of the stream, as ListShards reports it. */
export interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

interface Murmur3 {
  readonly x64: { hash128(bytes: Uint8Array, seed?: number): string };
}
// The package is CommonJS without type declarations; its x64 variant returns 32 hex digits.
const murmur3 = createRequire(import.meta.url)('murmurhash3js-revisited') as Murmur3;

/** MurmurHash3 x64 128-bit (seed 0) of the key's UTF-8 bytes, as an integer in [0, 2^128 − 1]. */
export function murmur3HashKey(partitionKey: string): bigint {
  return BigInt(`0x${murmur3.x64.hash128(Buffer.from(partitionKey, 'utf8'))}`);
}

/** A uniform 128-bit integer built from four 32-bit draws of `random()` (each in [0, 1)). */
export function random128(random: () => number): bigint {
  let value = 0n;
  for (let i = 0; i < 4; i++) {
    value = (value << 32n) | BigInt(Math.floor(random() * 0x1_0000_0000) >>> 0);
  }
  return value;
}

/**
 * Maps `u128` (any value in [0, 2^128 − 1]) into [start, end] by multiply-and-shift:
 * start + ⌊u · width / 2^128⌋. Unlike `u mod width` it never favours the low end of the range
 * (with width = 3·2^126, modulo would give the first quarter twice the weight of the rest).
 */
export function scaleIntoRange(start: bigint, end: bigint, u128: bigint): bigint {
  const width = end - start + 1n;
  return start + ((u128 * width) >> 128n);
}

/** A uniformly random hash key inside the shard. */
export function randomHashKeyIn(shard: ShardRange, random: () => number): bigint {
  return scaleIntoRange(shard.startingHashKey, shard.endingHashKey, random128(random));
}

/** Decimal form accepted as ExplicitHashKey; throws for values outside [0, 2^128 − 1]. */
export function formatHashKey(hashKey: bigint): string {
  if (hashKey < 0n || hashKey > MAX_HASH_KEY) {
    throw new RangeError(`Expected a hash key in [0, 2^128 − 1], got ${hashKey}`);
  }
  return hashKey.toString(10);
}

/**
 * Checks a shard map before a partitioner relies on it: at least one shard, every range inside the
 * hash space with start ≤ end, sorted by startingHashKey without overlap.
 */
export function assertShardRanges(shards: readonly ShardRange[], option = 'shards'): void {
  if (shards.length === 0) {
    throw new InvalidOptionError(option, `Expected \`${option}\` to hold at least one open shard, got 0`);
  }
  let previousEnd = -1n;
  for (const [index, shard] of shards.entries()) {
    const { startingHashKey: start, endingHashKey: end } = shard;
    if (start < 0n || end > MAX_HASH_KEY || start > end) {
      throw new InvalidOptionError(
        option,
        `Expected \`${option}[${index}]\` (${shard.shardId}) to span 0 ≤ start ≤ end ≤ 2^128 − 1, got [${start}, ${end}]`,
      );
    }
    if (start <= previousEnd) {
      throw new InvalidOptionError(
        option,
        `Expected \`${option}\` sorted by startingHashKey without overlap, but ${shard.shardId} starts at ${start} ≤ ${previousEnd}`,
      );
    }
    previousEnd = end;
  }
}

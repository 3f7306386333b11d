/**
 * How unevenly load falls on shards, and whether one key alone is more than a shard can take.
 *
 * A stream is only as fast as its hottest shard: with 8 shards and counts [300, 100 × 7], the mean
 * is 125 and max/mean is 2.4, so the stream saturates at 1 / 2.4 ≈ 42% of its total limit.
 * Pure functions: counts and rates in, figures and a message out.
 */

export interface LoadSkew {
  readonly total: number;
  readonly mean: number;
  readonly max: number;
  /** Hottest shard's load over the mean; 1 is perfectly even (also reported when nothing was sent). */
  readonly maxOverMean: number;
  /** Population standard deviation over the mean; 0 is perfectly even. */
  readonly coefficientOfVariation: number;
  /** Index of the shard with the most load (the first of equals); -1 for no shards. */
  readonly hottestShardIndex: number;
}

/** Skew of per-shard counts (records, bytes or throttles — any non-negative measure). */
export function measureSkew(perShard: readonly number[]): LoadSkew {
  if (perShard.length === 0) {
    return { total: 0, mean: 0, max: 0, maxOverMean: 1, coefficientOfVariation: 0, hottestShardIndex: -1 };
  }
  let total = 0;
  let hottestShardIndex = 0;
  for (const [index, value] of perShard.entries()) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`Expected per-shard load [${index}] to be a finite number ≥ 0, got ${value}`);
    }
    total += value;
    if (value > (perShard[hottestShardIndex] ?? 0)) hottestShardIndex = index;
  }
  const mean = total / perShard.length;
  const max = perShard[hottestShardIndex] ?? 0;
  if (total === 0) return { total, mean, max, maxOverMean: 1, coefficientOfVariation: 0, hottestShardIndex };
  const variance = perShard.reduce((sum, value) => sum + (value - mean) ** 2, 0) / perShard.length;
  return { total, mean, max, maxOverMean: max / mean, coefficientOfVariation: Math.sqrt(variance) / mean, hottestShardIndex };
}

export interface KeyRate {
  readonly key: string;
  /** Kinesis records per second this key alone produces (after aggregation, if any). */
  readonly recordsPerSec: number;
  /** Bytes (data + partition key) per second this key alone produces. */
  readonly bytesPerSec: number;
}

export interface ShardLimits {
  /** @default 1000 in Kinesis */
  readonly shardRecordsPerSec: number;
  /** @default 1048576 in Kinesis */
  readonly shardBytesPerSec: number;
}

export interface OversizedKey {
  readonly key: string;
  /** The key's rate over one shard's limit, by the tighter of records and bytes (> 1). */
  readonly loadFactor: number;
  /** Suggested salt count N: each salted key then needs ≤ 80% of a shard. */
  readonly saltBuckets: number;
  readonly message: string;
}

/** Headroom left per salted key, so a short burst does not throttle it again. */
const SALTED_KEY_UTILISATION = 0.8;

/**
 * `undefined` when the key fits in one shard, else what to tell the user. Example: 1,800 records/s
 * against 1,000 → loadFactor 1.8, saltBuckets ⌈1.8 / 0.8⌉ = 3 (600 records/s per salted key).
 */
export function findOversizedKey(rate: KeyRate, limits: ShardLimits): OversizedKey | undefined {
  const byRecords = rate.recordsPerSec / limits.shardRecordsPerSec;
  const byBytes = rate.bytesPerSec / limits.shardBytesPerSec;
  const loadFactor = Math.max(byRecords, byBytes);
  if (!(loadFactor > 1)) return undefined;
  const saltBuckets = Math.ceil(loadFactor / SALTED_KEY_UTILISATION);
  const need =
    byRecords >= byBytes
      ? `${Math.round(rate.recordsPerSec)} records/s, more than one shard takes (${limits.shardRecordsPerSec} records/s)`
      : `${Math.round(rate.bytesPerSec)} bytes/s, more than one shard takes (${limits.shardBytesPerSec} bytes/s)`;
  const message =
    `Partition key ${JSON.stringify(rate.key)} alone needs ${need}. ` +
    'Every record of one key goes to one shard, so no key hashing can spread it. ' +
    `Salt the key: append a suffix 0..${saltBuckets - 1} (e.g. "${rate.key}#${saltBuckets - 1}") to spread it over ` +
    `${saltBuckets} keys, at the cost of per-key ordering (readers must merge the salted keys).`;
  return { key: rate.key, loadFactor, saltBuckets, message };
}

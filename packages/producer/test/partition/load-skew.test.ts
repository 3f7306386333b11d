import { describe, expect, it } from 'vitest';
import { findOversizedKey, measureSkew } from '../../src/partition/load-skew.js';

const limits = { shardRecordsPerSec: 1000, shardBytesPerSec: 1_048_576 };

describe('measureSkew', () => {
  it.each([
    ['even', [100, 100, 100, 100], { maxOverMean: 1, coefficientOfVariation: 0, hottestShardIndex: 0, mean: 100 }],
    ['one hot shard of 8', [100, 100, 100, 300, 100, 100, 100, 100], { maxOverMean: 2.4, hottestShardIndex: 3, max: 300 }],
    ['two shards', [0, 10], { maxOverMean: 2, coefficientOfVariation: 1, hottestShardIndex: 1 }],
    ['nothing sent', [0, 0, 0], { maxOverMean: 1, coefficientOfVariation: 0, total: 0 }],
    ['no shards', [], { maxOverMean: 1, hottestShardIndex: -1 }],
  ])('%s', (_, counts, expected) => {
    const skew = measureSkew(counts);
    for (const [field, value] of Object.entries(expected)) {
      expect(skew[field as keyof typeof skew]).toBeCloseTo(value, 10);
    }
  });

  it('coefficient of variation of [1, 2, 3, 4] is √1.25 / 2.5', () => {
    expect(measureSkew([1, 2, 3, 4]).coefficientOfVariation).toBeCloseTo(Math.sqrt(1.25) / 2.5, 12);
  });

  it.each([[[-1]], [[Number.NaN, 1]]])('refuses %j', (counts) => {
    expect(() => measureSkew(counts)).toThrow(/Expected per-shard load \[0\] to be a finite number ≥ 0/);
  });
});

describe('findOversizedKey', () => {
  it.each([
    ['fits by records and bytes', 999, 1_000_000],
    ['exactly at the limit', 1000, 1_048_576],
  ])('%s: nothing to report', (_, recordsPerSec, bytesPerSec) => {
    expect(findOversizedKey({ key: 'k', recordsPerSec, bytesPerSec }, limits)).toBeUndefined();
  });

  it.each([
    ['records', 1800, 100_000, 1.8, 3, /alone needs 1800 records\/s, more than one shard takes \(1000 records\/s\)/],
    ['bytes', 10, 3_145_728, 3, 4, /alone needs 3145728 bytes\/s, more than one shard takes \(1048576 bytes\/s\)/],
  ])('too many %s: explains that hashing cannot help and suggests salting', (_, recordsPerSec, bytesPerSec, factor, buckets, need) => {
    const found = findOversizedKey({ key: 'user-42', recordsPerSec, bytesPerSec }, limits);
    expect(found?.key).toBe('user-42');
    expect(found?.loadFactor).toBeCloseTo(factor, 10);
    expect(found?.saltBuckets).toBe(buckets);
    expect(found?.message).toMatch(need);
    expect(found?.message).toMatch(/no key hashing can spread it/);
    expect(found?.message).toContain(`append a suffix 0..${buckets - 1} (e.g. "user-42#${buckets - 1}")`);
    expect(found?.message).toMatch(/at the cost of per-key ordering/);
  });
});

import { describe, expect, it } from 'vitest';
import { planCapacity, planWrites } from '../../src/plan/capacity-plan.js';
import { formatPlan } from '../../src/plan/format-plan.js';
import { PlanInputError, validatePlanInput } from '../../src/plan/plan-input.js';

describe('planWrites (worked examples)', () => {
  it.each([
    // 5,000 × 1,000 B: 5 shards by records, ⌈5,000,000 ÷ 1,048,576⌉ = 5 by bytes (a tie reads as records).
    { rate: 5000, bytes: 1000, agg: false, k: 1, recPerSec: 5000, bytesPerSec: 5_000_000, forRecords: 5, forBytes: 5, binding: 'records' },
    // ⌊51,180 ÷ 1,008⌋ = 50 per aggregate of 20 + 50 × 1,008 = 50,420 B: 100 records/s, 5,042,000 B/s.
    { rate: 5000, bytes: 1000, agg: true, k: 50, recPerSec: 100, bytesPerSec: 5_042_000, forRecords: 1, forBytes: 5, binding: 'bytes' },
    // Small records: the record limit binds (10 shards) until aggregation packs 473 per aggregate.
    { rate: 10_000, bytes: 100, agg: false, k: 1, recPerSec: 10_000, bytesPerSec: 1_000_000, forRecords: 10, forBytes: 1, binding: 'records' },
    { rate: 10_000, bytes: 100, agg: true, k: 473, recPerSec: 10_000 / 473, bytesPerSec: (10_000 / 473) * 51_104, forRecords: 1, forBytes: 2, binding: 'bytes' },
    // A 60 kB record does not fit an aggregate: sent raw, 100 × 60,000 B = 6,000,000 B/s → 6 shards.
    { rate: 100, bytes: 60_000, agg: true, k: 1, recPerSec: 100, bytesPerSec: 6_000_000, forRecords: 1, forBytes: 6, binding: 'bytes' },
  ])('$rate/s × $bytes B, aggregation $agg → $forRecords/$forBytes shards', (c) => {
    const w = planWrites(c.rate, c.bytes, c.agg);
    expect(w.userRecordsPerKinesisRecord).toBe(c.k);
    expect(w.kinesisRecordsPerSec).toBeCloseTo(c.recPerSec, 6);
    expect(w.bytesPerSec).toBeCloseTo(c.bytesPerSec, 3);
    expect([w.shardsForRecords, w.shardsForBytes, w.binding]).toEqual([c.forRecords, c.forBytes, c.binding]);
    expect(w.shardsNeeded).toBe(Math.max(c.forRecords, c.forBytes));
  });
});

describe('planCapacity consumer (worked examples)', () => {
  it.each([
    // 2,000/s over 4 shards = 500/s each; 100 records per 200 ms = 500/s: exactly keeps up.
    { rate: 2000, bytes: 1000, shards: 4, fn: 200, batch: 100, p: 1, cap: 500, keepsUp: true, growth: 0, need: 4, by: 'function' },
    // 300 ms: 333.3/s; IteratorAge grows 1 − 333.3 ÷ 500 = 1/3 s per s; 6 shards would keep up.
    { rate: 2000, bytes: 1000, shards: 4, fn: 300, batch: 100, p: 1, cap: 1000 / 3, keepsUp: false, growth: 1 / 3, need: 6, by: 'function' },
    // ParallelizationFactor 2 doubles it: 666.7/s per shard.
    { rate: 2000, bytes: 1000, shards: 4, fn: 300, batch: 100, p: 2, cap: 2000 / 3, keepsUp: true, growth: 0, need: 3, by: 'function' },
    // 200 kB records: the 6 MB payload caps a batch at 23, and the 2 MiB/s read limit at 10.49/s.
    { rate: 20, bytes: 200_000, shards: 2, fn: 100, batch: 100, p: 1, cap: 2_097_152 / 200_000, keepsUp: true, growth: 0, need: 2, by: 'read-bytes' },
  ])('$rate/s on $shards shards, batch $batch in $fn ms, P $p → $cap/s per shard', (c) => {
    const plan = planCapacity({ rate: c.rate, recordBytes: c.bytes, shards: c.shards, functionMs: c.fn, batchSize: c.batch, parallelizationFactor: c.p });
    const consumer = plan.consumer;
    expect(consumer).toBeDefined();
    expect(consumer?.capacityPerShard).toBeCloseTo(c.cap, 6);
    expect(consumer?.limitedBy).toBe(c.by);
    expect(consumer?.keepsUp).toBe(c.keepsUp);
    expect(consumer?.iteratorAge.growthSecondsPerSecond).toBeCloseTo(c.growth, 9);
    expect(consumer?.shardsNeeded).toBe(c.need);
  });

  it('states the IteratorAge trend: flat under one poll plus one invocation, or hours until expiry', () => {
    const flat = planCapacity({ rate: 2000, recordBytes: 1000, shards: 4, functionMs: 200 }).consumer;
    expect(flat?.iteratorAge).toEqual({ trend: 'flat', growthSecondsPerSecond: 0, steadyMaxMs: 1200, hoursToRetention: undefined });
    // Growing 1/3 s per s, a 24 h retention is reached after 72 h.
    const growing = planCapacity({ rate: 2000, recordBytes: 1000, shards: 4, functionMs: 300 }).consumer;
    expect(growing?.iteratorAge.trend).toBe('growing');
    expect(growing?.iteratorAge.hoursToRetention).toBeCloseTo(72, 9);
  });

  it('caps a batch of aggregates by the 6 MB payload and counts the user records inside', () => {
    // 473 records of 100 B per 51,104 B aggregate; 4⌈51,104/3⌉ + 350 = 68,490 B each in the event.
    const plan = planCapacity({ rate: 10_000, recordBytes: 100, aggregation: true, shards: 2, functionMs: 1000 });
    expect(plan.consumer?.batchKinesisRecords).toBe(Math.floor(6_291_456 / 68_490));
    expect(plan.consumer?.batchUserRecords).toBe(91 * 473);
  });

  it('recommends the larger of the write and consumer shard counts and uses the write shards by default', () => {
    const plan = planCapacity({ rate: 2000, recordBytes: 1000, functionMs: 1000 });
    expect(plan.shards).toBe(2);
    expect(plan.consumer?.capacityPerShard).toBe(100);
    expect(plan.recommendedShards).toBe(20);
    expect(plan.perShard.recordsUtilization).toBe(1);
  });
});

describe('formatPlan', () => {
  it('shows each formula with its value and the verdict', () => {
    const lines = formatPlan(planCapacity({ rate: 2000, recordBytes: 1000, shards: 4, functionMs: 300 })).join('\n');
    expect(lines).toContain('Plan for R = 2,000 records/s of B = 1,000 bytes');
    expect(lines).toMatch(/shards for bytes\s+2\s+⌈bytes\/s ÷ 1,048,576⌉/);
    expect(lines).toMatch(/IteratorAge\s+\+0\.33 s\/s\s+grows 1 − capacity ÷ ingest s per s/);
    expect(lines).toMatch(/records expire after\s+72 h\s+retention 24 h ÷ growth/);
    expect(lines).toContain('Recommended shards: 6');
    expect(lines).toContain('The consumer falls behind at 4 shards');
  });

  it('shows the aggregation rows only with aggregation', () => {
    expect(formatPlan(planCapacity({ rate: 5000, recordBytes: 1000, aggregation: true })).join('\n')).toMatch(/records per aggregate\s+50\s+k = ⌊/);
    expect(formatPlan(planCapacity({ rate: 5000, recordBytes: 1000 })).join('\n')).not.toContain('aggregate');
  });
});

describe('validatePlanInput', () => {
  it.each([
    [{ rate: 0, recordBytes: 100 }, 'Expected `--rate` to be > 0 and ≤ 9,007,199,254,740,991, got 0'],
    [{ rate: 10, recordBytes: 1.5 }, 'Expected `--record-bytes` to be an integer ≥ 1 and ≤ 10,485,760, got 1.5'],
    [{ rate: 10, recordBytes: 10, shards: 0 }, 'Expected `--shards` to be an integer ≥ 1 and ≤ 100,000, got 0'],
    [{ rate: 10, recordBytes: 10, functionMs: 10, batchSize: 20_000 }, 'Expected `--batch-size` to be an integer ≥ 1 and ≤ 10,000, got 20000'],
    [{ rate: 10, recordBytes: 10, functionMs: 10, parallelizationFactor: 11 }, 'Expected `--parallelization` to be an integer ≥ 1 and ≤ 10, got 11'],
    [{ rate: 10, recordBytes: 10, functionMs: Number.NaN }, 'Expected `--function-ms` to be > 0 and ≤ 900,000, got NaN'],
    [{ rate: 10, recordBytes: 10, batchSize: 10 }, 'Expected `--function-ms` with `--batch-size`, got no function duration'],
  ])('%o → %s', (input, message) => {
    expect(() => validatePlanInput(input)).toThrow(new PlanInputError(message));
    try {
      validatePlanInput(input);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_LOADGEN_USAGE', retriable: false });
    }
  });
});

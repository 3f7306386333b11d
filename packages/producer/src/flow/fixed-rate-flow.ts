/**
 * The KPL's flow policy behind the `ShardFlow` interface, as a benchmark baseline: two token
 * buckets at `ratePercent` of the shard's limits (the KPL's `RateLimit` defaults to 150, so a
 * 1,000 records/s shard is driven at 1,500 records/s), no adaptive rate and no backoff — a
 * throttled record may go again as soon as the buckets allow (kinesis-facts §3).
 *
 * Invariant: the allowed rates never change; onOutcome only counts.
 */
import { createShardBuckets } from './shard-buckets.js';
import { createOutcomeTotals, type ShardFlowSnapshot, type ShardOutcome, snapshotOf } from './flow-stats.js';
import type { ShardFlow } from './shard-flow.js';
import { requirePositive } from './validate.js';

export interface FixedRateFlowOptions {
  readonly recordsPerSec: number;
  readonly bytesPerSec: number;
  readonly burstMs: number;
  /** Percent of the limits the buckets allow. @default 150 (the KPL's RateLimit) */
  readonly ratePercent?: number;
  readonly now: () => number;
}

export const KPL_RATE_PERCENT = 150;

export function createFixedRateFlow(options: FixedRateFlowOptions): ShardFlow {
  const scale = requirePositive('ratePercent', options.ratePercent ?? KPL_RATE_PERCENT) / 100;
  const buckets = createShardBuckets({
    recordsPerSec: requirePositive('recordsPerSec', options.recordsPerSec) * scale,
    bytesPerSec: requirePositive('bytesPerSec', options.bytesPerSec) * scale,
    burstMs: options.burstMs,
    now: options.now,
  });
  const totals = createOutcomeTotals();
  let consecutiveThrottles = 0;

  return {
    delayMs: (records: number, bytes: number): number => buckets.waitMsFor(records, bytes),
    take: (records: number, bytes: number): void => buckets.take(records, bytes),
    capacity: () => buckets.available(),
    burstCapacity: () => buckets.burstCapacity(),
    onOutcome(outcome: ShardOutcome): void {
      totals.add(outcome);
      if (outcome.throttledRecords > 0) consecutiveThrottles += 1;
      else if (outcome.acceptedRecords > 0) consecutiveThrottles = 0;
    },
    snapshot: (): ShardFlowSnapshot => snapshotOf(buckets, totals, { consecutiveThrottles, backoffUntilMs: 0 }),
  };
}

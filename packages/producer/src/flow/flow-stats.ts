/**
 * The counters of one shard's flow and the snapshot shape, shared by every `ShardFlow` policy so
 * the adaptive and the fixed-rate flow report the same way. Totals only grow.
 */
import type { ShardBuckets } from './shard-buckets.js';

export interface ShardOutcome {
  /** Entries of this shard that Kinesis accepted in one response. */
  readonly acceptedRecords: number;
  /** Their bytes (data + partition key). */
  readonly acceptedBytes: number;
  /** Entries of this shard answered with ProvisionedThroughputExceededException. */
  readonly throttledRecords: number;
}

export interface OutcomeTotals {
  add(outcome: ShardOutcome): void;
  readonly acceptedRecordsTotal: number;
  readonly acceptedBytesTotal: number;
  readonly throttledRecordsTotal: number;
}

export function createOutcomeTotals(): OutcomeTotals {
  let acceptedRecordsTotal = 0;
  let acceptedBytesTotal = 0;
  let throttledRecordsTotal = 0;
  return {
    add(outcome: ShardOutcome): void {
      acceptedRecordsTotal += outcome.acceptedRecords;
      acceptedBytesTotal += outcome.acceptedBytes;
      throttledRecordsTotal += outcome.throttledRecords;
    },
    get acceptedRecordsTotal(): number {
      return acceptedRecordsTotal;
    },
    get acceptedBytesTotal(): number {
      return acceptedBytesTotal;
    },
    get throttledRecordsTotal(): number {
      return throttledRecordsTotal;
    },
  };
}

export interface ShardFlowSnapshot {
  readonly allowedRecordsPerSec: number;
  readonly allowedBytesPerSec: number;
  readonly throttledRecordsTotal: number;
  readonly acceptedRecordsTotal: number;
  readonly acceptedBytesTotal: number;
  readonly consecutiveThrottles: number;
  /** Clock time before which no request should go (≤ now when not backing off). */
  readonly backoffUntilMs: number;
}

export function snapshotOf(
  buckets: ShardBuckets,
  totals: OutcomeTotals,
  backoff: { consecutiveThrottles: number; backoffUntilMs: number },
): ShardFlowSnapshot {
  return {
    allowedRecordsPerSec: buckets.recordsPerSec,
    allowedBytesPerSec: buckets.bytesPerSec,
    throttledRecordsTotal: totals.throttledRecordsTotal,
    acceptedRecordsTotal: totals.acceptedRecordsTotal,
    acceptedBytesTotal: totals.acceptedBytesTotal,
    consecutiveThrottles: backoff.consecutiveThrottles,
    backoffUntilMs: backoff.backoffUntilMs,
  };
}

/**
 * Everything one shard needs to decide when a PutRecords request may go to it: two token
 * buckets (records/s, bytes/s), one AIMD controller, and a per-shard throttle backoff.
 *
 * Rate rule: one AIMD controller drives a single *fraction* of the shard's limits, applied to
 * both buckets. A throttled entry does not say which limit it broke ("Rate exceeded for shard"),
 * so two controllers would both have to react to every throttle anyway; one fraction says the
 * same thing with half the state. Whichever limit our traffic mix hits first is the one that
 * binds. Example: at fraction 0.9 a 1,000 records/s, 1 MiB/s shard allows 900 records/s and
 * 943,718 bytes/s.
 *
 * Backoff rule: a response with throttled entries is one throttle event; consecutive events back
 * the whole shard off with full jitter (attempt 0 in [0, baseMs), attempt 3 in [0, 8 × baseMs)),
 * capped at THROTTLE_BACKOFF_CAP_MS, and a fully accepted response resets the count. The cap is
 * one second because AWS counts a shard's limits per second: after a second the shard has a full
 * second of capacity again, so waiting longer only idles it (uncapped, eight escalations in a row
 * stalled a 5× overloaded shard for 25 s); a lasting overload is the AIMD rate's to follow. Responses that arrive while a backoff is still
 * pending, or within one reaction window of the last escalation, come from requests sent before
 * it and neither escalate nor reset it. While backing off the buckets keep refilling, so a short
 * backoff (≤ burstMs) costs the shard no goodput: the saved tokens go out right after it.
 *
 * Measured (test/flow/overload-simulation.test.ts: one shard fed at 3× for 60 simulated s
 * against a shard with its own 1 s burst bucket, jittered latency, 4 requests in flight): 100-byte
 * records or 50 KB aggregates reach 99–100% of the limit with 0–1% of records throttled; the
 * KPL policy (150%, no backoff) gets the same goodput with 33% throttled. Weak spot: when another
 * producer takes 40% of the shard and our Kinesis records are 50 KB aggregates, each probe above
 * the real capacity throttles whole aggregates (1/12 of a second's traffic each), so ~10% of
 * records are throttled (the KPL: 60%); with 100-byte records it is ~3%.
 *
 * Invariants: delayMs is finite and ≥ 0; the allowed rates stay within
 * [minFraction, 1] × the limits; totals only grow.
 */
import { AIMD_DEFAULTS, createAimdRateController } from './rate-controller.js';
import { type BackoffOptions, fullJitterDelayMs } from './backoff.js';
import { createOutcomeTotals, type ShardFlowSnapshot, type ShardOutcome, snapshotOf } from './flow-stats.js';
import { createShardBuckets } from './shard-buckets.js';
import { requireNonNegative, requirePositive } from './validate.js';

export type { ShardFlowSnapshot, ShardOutcome } from './flow-stats.js';

export interface ShardFlow {
  /** How long before a request with this many Kinesis records/bytes may go (0 = now); includes backoff. */
  delayMs(records: number, bytes: number): number;
  /** The request is being sent now. */
  take(records: number, bytes: number): void;
  /** One response's entries for this shard. */
  onOutcome(outcome: ShardOutcome): void;
  /** What could be sent right now without waiting (0 while backing off): use it to size a batch. */
  capacity(): { records: number; bytes: number };
  /**
   * The largest request that fits the full buckets at the current rate. Cap batches with it: a
   * larger batch is still sendable (it waits for full buckets, then overdraws), which is right for
   * one oversize record but would push a whole over-sized batch at the shard at once.
   */
  burstCapacity(): { records: number; bytes: number };
  snapshot(): ShardFlowSnapshot;
}

export interface ShardAimdOptions {
  /** Lowest fraction of the limits the shard may be driven down to. @default 0.05 */
  readonly minFraction?: number;
  /** Multiplier on a throttle. @default 0.9 */
  readonly decreaseFactor?: number;
  /** Fraction of the limits regained per second of accepted traffic. @default 0.1 */
  readonly increaseFractionPerSec?: number;
  /** At most one decrease (and one backoff escalation) per window. @default 250 */
  readonly reactionWindowMs?: number;
}

export interface ShardFlowOptions {
  /** The shard's records/s limit (1,000 on a provisioned shard). */
  readonly recordsPerSec: number;
  /** The shard's bytes/s limit (1,048,576 on a provisioned shard). */
  readonly bytesPerSec: number;
  /** Burst window of the buckets, in ms of traffic. Keep it ≤ the server's burst allowance. */
  readonly burstMs: number;
  readonly backoff: BackoffOptions;
  readonly now: () => number;
  readonly random: () => number;
  readonly aimd?: ShardAimdOptions;
}

/** Longest throttle backoff of a shard (see the backoff rule above). */
export const THROTTLE_BACKOFF_CAP_MS = 1_000;

export function createShardFlow(options: ShardFlowOptions): ShardFlow {
  const { now, random } = options;
  const backoff = { baseMs: options.backoff.baseMs, capMs: Math.min(options.backoff.capMs, THROTTLE_BACKOFF_CAP_MS) };
  const recordsLimit = requirePositive('recordsPerSec', options.recordsPerSec);
  const bytesLimit = requirePositive('bytesPerSec', options.bytesPerSec);
  const aimd = options.aimd ?? {};
  const reactionWindowMs = requireNonNegative(
    'aimd.reactionWindowMs',
    aimd.reactionWindowMs ?? AIMD_DEFAULTS.reactionWindowMs,
  );
  // The controller works in "fraction of the limits" scaled to records/s for readable numbers.
  const controller = createAimdRateController({
    limitPerSec: recordsLimit,
    minPerSec: recordsLimit * (aimd.minFraction ?? AIMD_DEFAULTS.minFraction),
    decreaseFactor: aimd.decreaseFactor ?? AIMD_DEFAULTS.decreaseFactor,
    increasePerSec: recordsLimit * (aimd.increaseFractionPerSec ?? AIMD_DEFAULTS.increaseFractionPerSec),
    reactionWindowMs,
    now,
  });
  const buckets = createShardBuckets({ recordsPerSec: recordsLimit, bytesPerSec: bytesLimit, burstMs: options.burstMs, now });
  fullJitterDelayMs(0, options.backoff, () => 0); // validates the backoff options now, not at the first throttle

  const totals = createOutcomeTotals();
  let consecutiveThrottles = 0;
  let backoffUntilMs = 0;
  let escalatedAtMs = -Infinity;

  function followController(): void {
    const fraction = controller.ratePerSec / recordsLimit;
    buckets.setRates(controller.ratePerSec, bytesLimit * fraction);
  }

  function onThrottleEvent(t: number): void {
    if (controller.onThrottled()) followController();
    if (t < backoffUntilMs || t - escalatedAtMs < reactionWindowMs) return;
    backoffUntilMs = t + fullJitterDelayMs(consecutiveThrottles, backoff, random);
    consecutiveThrottles += 1;
    escalatedAtMs = t;
  }

  return {
    delayMs(records: number, bytes: number): number {
      const backoffMs = Math.max(0, Math.ceil(backoffUntilMs - now()));
      return Math.max(backoffMs, buckets.waitMsFor(records, bytes));
    },
    take(records: number, bytes: number): void {
      buckets.take(records, bytes);
    },
    onOutcome(outcome: ShardOutcome): void {
      const t = now();
      totals.add(outcome);
      if (outcome.throttledRecords > 0) {
        onThrottleEvent(t);
      } else if (outcome.acceptedRecords > 0) {
        controller.onAccepted(outcome.acceptedRecords);
        followController();
        if (t >= backoffUntilMs) consecutiveThrottles = 0;
      }
    },
    capacity(): { records: number; bytes: number } {
      if (now() < backoffUntilMs) return { records: 0, bytes: 0 };
      return buckets.available();
    },
    burstCapacity: () => buckets.burstCapacity(),
    snapshot: (): ShardFlowSnapshot => snapshotOf(buckets, totals, { consecutiveThrottles, backoffUntilMs }),
  };
}

/**
 * AIMD (additive increase, multiplicative decrease) of the write rate allowed to one shard.
 *
 * Rule: a throttled entry multiplies the allowed rate by `decreaseFactor`, at most once per
 * `reactionWindowMs` (the throttles of requests already in flight when the rate dropped report
 * the same congestion, and one PutRecords response may carry 300 throttled entries: that is one
 * decrease, not 300). Accepted traffic adds `increasePerSec` to the rate for every second elapsed
 * since the last change, up to `limitPerSec`. The rate never leaves [minPerSec, limitPerSec].
 *
 * Worked trajectory with the defaults at limitPerSec = 1,000 (decreaseFactor 0.9, increasePerSec
 * 100 = 10% of the limit per second, reactionWindowMs 250):
 *   t = 0 ms     throttled entry        1,000 → 900
 *   t = 0–250 ms 299 more throttled      900 (same window: no further decrease)
 *   t = 500 ms   accepted response       900 + 100 × 0.5 s = 950
 *   t = 1,000 ms accepted response       950 + 100 × 0.5 s = 1,000 (the limit; never above)
 * One throttle costs (1,000 − 900) × 1 s / 2 = 50 records, 5% of one second's goodput, while
 * the server's own bucket regains those 50 tokens of headroom to absorb timing jitter. A shard
 * whose real capacity is 600/s (shared with another producer) settles in a saw-tooth around 600
 * (between about 540 and 640 in the overload simulation), ~1 decrease per second.
 *
 * Credit per response is capped at 1 s so that a long silence (no traffic, or a long backoff)
 * is not mistaken for a long stretch of successful traffic.
 */
import { requireAtMost, requireNonNegative, requireOpenUnit, requirePositive } from './validate.js';

export interface AimdOptions {
  /** Ceiling: the shard's documented limit (per second). Must be > 0. */
  readonly limitPerSec: number;
  /** Floor, > 0 and ≤ the limit, so a shard is never starved. @default limitPerSec × 0.05 */
  readonly minPerSec?: number;
  /** Multiplier applied on a throttle, in (0, 1). @default 0.9 */
  readonly decreaseFactor?: number;
  /** Added per second of accepted traffic. @default limitPerSec × 0.1 (back to the limit 1 s after one decrease) */
  readonly increasePerSec?: number;
  /** At most one decrease per window. @default 250 */
  readonly reactionWindowMs?: number;
  /** Clock in milliseconds. */
  readonly now: () => number;
}

export interface AimdRateController {
  /** The rate currently allowed, in [minPerSec, limitPerSec]. */
  readonly ratePerSec: number;
  /** Reports a throttled entry; returns true if this call lowered the rate. */
  onThrottled(): boolean;
  /** Reports `count` accepted entries (0 is ignored). */
  onAccepted(count: number): void;
}

export const AIMD_DEFAULTS = {
  minFraction: 0.05,
  decreaseFactor: 0.9,
  increaseFractionPerSec: 0.1,
  reactionWindowMs: 250,
} as const;

/** Longest stretch of time one accepted response may credit to the additive increase. */
const MAX_CREDIT_MS = 1000;

export function createAimdRateController(options: AimdOptions): AimdRateController {
  const limitPerSec = requirePositive('limitPerSec', options.limitPerSec);
  const minPerSec = requirePositive('minPerSec', options.minPerSec ?? limitPerSec * AIMD_DEFAULTS.minFraction);
  requireAtMost('minPerSec', minPerSec, 'limitPerSec', limitPerSec);
  const decreaseFactor = requireOpenUnit('decreaseFactor', options.decreaseFactor ?? AIMD_DEFAULTS.decreaseFactor);
  const increasePerSec = requireNonNegative(
    'increasePerSec',
    options.increasePerSec ?? limitPerSec * AIMD_DEFAULTS.increaseFractionPerSec,
  );
  const reactionWindowMs = requireNonNegative('reactionWindowMs', options.reactionWindowMs ?? AIMD_DEFAULTS.reactionWindowMs);
  const { now } = options;

  let ratePerSec = limitPerSec;
  let changedAtMs = now();
  let decreasedAtMs = -Infinity;

  return {
    get ratePerSec(): number {
      return ratePerSec;
    },
    onThrottled(): boolean {
      const t = now();
      if (t - decreasedAtMs < reactionWindowMs) return false;
      ratePerSec = Math.max(minPerSec, ratePerSec * decreaseFactor);
      decreasedAtMs = t;
      changedAtMs = t;
      return true;
    },
    onAccepted(count: number): void {
      if (!(count > 0)) return;
      const t = now();
      const creditedMs = Math.min(MAX_CREDIT_MS, Math.max(0, t - changedAtMs));
      ratePerSec = Math.min(limitPerSec, ratePerSec + (increasePerSec * creditedMs) / 1000);
      changedAtMs = t;
    },
  };
}

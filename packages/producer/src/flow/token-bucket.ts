/**
 * A token bucket with continuous refill: the local model of one Kinesis write limit of one shard
 * (records/s or bytes/s).
 *
 * Invariants
 * - capacity = ratePerSec × burstMs / 1000, and tokens never exceed it. At 1,000 records/s with
 *   burstMs = 500 the bucket holds at most 500 tokens.
 * - Refill is continuous and computed lazily from the injected clock: tokens grow by
 *   ratePerSec × elapsedMs / 1000. A bucket emptied at t = 0 holds 250 tokens at t = 250 ms at
 *   1,000/s. A clock that steps backwards refills nothing (it never removes tokens).
 * - `take` always succeeds and may leave the bucket in debt (tokens < 0); the caller asks
 *   `waitMsFor` first. Debt is repaid by refill before anything else can go, so over any window
 *   of T ms the bucket lets through at most capacity + ratePerSec × T / 1000 + one request.
 * - Oversize requests (amount > capacity) are still sendable, never "wait forever": they wait
 *   until the bucket is full and then overdraw it. With capacity 500 at 1,000/s, an 800-record
 *   request goes once 500 tokens are there and leaves −300, so the next request waits ≥ 300 ms:
 *   the long-run rate still equals ratePerSec.
 * - `waitMsFor` never returns Infinity or NaN: the rate is validated > 0. It rounds up to a
 *   whole millisecond, so after waiting the returned time the request is available.
 */
import { requirePositive } from './validate.js';

export interface TokenBucketOptions {
  /** Refill rate, tokens per second. Must be > 0. */
  readonly ratePerSec: number;
  /** Burst window: the bucket holds `ratePerSec × burstMs / 1000` tokens at most. Must be > 0. */
  readonly burstMs: number;
  /** Clock in milliseconds (monotonic preferred). */
  readonly now: () => number;
}

export interface TokenBucket {
  /** Tokens that can be taken now without waiting (≥ 0; debt reads as 0). */
  available(): number;
  /** Milliseconds until `amount` may be taken: 0 if now; finite for any amount (see oversize rule). */
  waitMsFor(amount: number): number;
  /** Takes `amount` tokens; may overdraw (the debt delays later requests). */
  take(amount: number): void;
  /** Changes the rate from now on; tokens earned so far are kept (clipped to the new capacity). */
  setRatePerSec(ratePerSec: number): void;
  readonly ratePerSec: number;
  /** Current capacity in tokens: ratePerSec × burstMs / 1000. */
  readonly capacity: number;
}

/**
 * Float slack for "enough tokens": 1e-9 of a token. Without it a wait computed as
 * ceil(deficit × 1000 / rate) could, after rounding, leave the bucket 1 ulp short and ask for
 * another 1 ms wait.
 */
const EPSILON_TOKENS = 1e-9;

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const burstMs = requirePositive('burstMs', options.burstMs);
  const { now } = options;
  let ratePerSec = requirePositive('ratePerSec', options.ratePerSec);
  let capacity = (ratePerSec * burstMs) / 1000;
  let tokens = capacity;
  let updatedAtMs = now();

  function refill(): void {
    const t = now();
    const elapsedMs = t - updatedAtMs;
    if (elapsedMs > 0) {
      tokens = Math.min(capacity, tokens + (ratePerSec * elapsedMs) / 1000);
      updatedAtMs = t;
    }
  }

  return {
    available(): number {
      refill();
      return Math.max(0, tokens);
    },
    waitMsFor(amount: number): number {
      refill();
      const needed = Math.min(amount, capacity);
      const deficit = needed - tokens;
      if (deficit <= EPSILON_TOKENS) return 0;
      return Math.ceil((deficit * 1000) / ratePerSec);
    },
    take(amount: number): void {
      refill();
      tokens -= amount;
    },
    setRatePerSec(next: number): void {
      requirePositive('ratePerSec', next);
      refill();
      ratePerSec = next;
      capacity = (ratePerSec * burstMs) / 1000;
      tokens = Math.min(tokens, capacity);
    },
    get ratePerSec(): number {
      return ratePerSec;
    },
    get capacity(): number {
      return capacity;
    },
  };
}

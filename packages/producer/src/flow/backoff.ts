/**
 * Exponential backoff with full jitter, as in the AWS Architecture Blog post "Exponential Backoff
 * And Jitter" (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/):
 *
 *   delayMs = random() × min(capMs, baseMs × 2^attempt)
 *
 * Full jitter spreads retries of many producers over the whole window, so they do not hit a
 * recovering shard in lock-step. With baseMs = 100: attempt 0 waits in [0, 100) ms, attempt 3 in
 * [0, 800) ms (mean 400 ms), attempt 10 would be 102,400 ms and is capped at 60,000 ms.
 *
 * Invariants: the result is finite and in [0, capMs] for every attempt ≥ 0, including 1,000 or
 * Infinity (the exponent is clamped at 64, far past any cap, so 2^attempt never overflows to
 * Infinity and 0 × Infinity never makes NaN).
 */
import { requireNonNegative } from './validate.js';

export interface BackoffOptions {
  /** Ceiling of the first retry's delay; doubles per attempt. @default 100 */
  readonly baseMs: number;
  /** Largest delay. @default 60000 */
  readonly capMs: number;
}

export const BACKOFF_DEFAULTS: BackoffOptions = { baseMs: 100, capMs: 60_000 };

/** 2^64 × any sane baseMs exceeds any sane capMs; clamping keeps the arithmetic finite. */
const MAX_EXPONENT = 64;

/** Upper bound of the jitter window for `attempt` (0-based): min(capMs, baseMs × 2^attempt). */
export function backoffCeilingMs(attempt: number, options: BackoffOptions): number {
  if (Number.isNaN(attempt) || attempt < 0) requireNonNegative('attempt', attempt);
  const baseMs = requireNonNegative('baseMs', options.baseMs);
  const capMs = requireNonNegative('capMs', options.capMs);
  const exponent = Math.min(Math.floor(attempt), MAX_EXPONENT);
  return Math.min(capMs, baseMs * 2 ** exponent);
}

/** A delay drawn uniformly from [0, backoffCeilingMs(attempt)), using the injected `random()`. */
export function fullJitterDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const ceilingMs = backoffCeilingMs(attempt, options);
  const r = random();
  // A random() outside [0, 1) (a bad injection) must not push the delay out of range.
  const unit = r > 0 ? Math.min(r, 1) : 0;
  return unit * ceilingMs;
}

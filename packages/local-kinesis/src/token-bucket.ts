/**
 * A token bucket on an injected clock: refills continuously at `ratePerSec`, holds at most
 * `capacity` tokens, and starts full.
 *
 * Worked number: 1,000 records/s with a 1,000 ms burst gives capacity 1,000; after 250 ms idle
 * from empty the bucket holds 250 tokens, so a 300-record batch gets 250 through (`take` is
 * all-or-nothing per call, the caller asks once per record).
 * Invariant: 0 ≤ tokens ≤ capacity, except after `charge`, which may go below zero to record debt
 * (a GetRecords answer larger than the read allowance pays it back before the next call).
 */
export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    readonly ratePerSec: number,
    readonly capacity: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.updatedAtMs = now();
  }

  /** Takes `amount` tokens if all are available; returns whether it did. */
  take(amount: number): boolean {
    this.refill();
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Whether at least `amount` tokens are available, without taking them. */
  has(amount: number): boolean {
    this.refill();
    return this.tokens >= amount;
  }

  /** Takes `amount` unconditionally; the balance may become negative (debt). */
  charge(amount: number): void {
    this.refill();
    this.tokens -= amount;
  }

  /** Gives back tokens taken for work that was not done; never above capacity. */
  refund(amount: number): void {
    this.tokens = Math.min(this.capacity, this.tokens + amount);
  }

  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const nowMs = this.now();
    const elapsedMs = nowMs - this.updatedAtMs;
    if (elapsedMs > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + (elapsedMs * this.ratePerSec) / 1000);
      this.updatedAtMs = nowMs;
    }
  }
}

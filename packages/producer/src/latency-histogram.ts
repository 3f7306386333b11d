/**
 * A small fixed-memory histogram for the producer's own metrics (buffering time, request
 * latency), so the producer needs no histogram dependency.
 *
 * Log-linear buckets: values below 64 exact, then 32 sub-buckets per power of two, so any recorded value is reported within
 * 1/32 ≈ 3% of its true value. Values are integers in [0, 2^40); memory is 40 × 32 counters.
 */
const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
const MAGNITUDES = 40;

export class LatencyHistogram {
  readonly #counts = new Float64Array(2 * SUB + MAGNITUDES * SUB);
  #total = 0;
  #max = 0;

  record(value: number): void {
    const v = value < 0 ? 0 : Math.min(Math.round(value), 2 ** MAGNITUDES - 1);
    this.#counts[LatencyHistogram.#index(v)]! += 1;
    this.#total++;
    if (v > this.#max) this.#max = v;
  }

  static #index(v: number): number {
    if (v < 2 * SUB) return v;
    // floor(log2 v) without Math.log2 for the common case (record() runs once per user record).
    const log2 = v < 0x8000_0000 ? 31 - Math.clz32(v) : Math.floor(Math.log2(v));
    const shift = log2 - SUB_BITS;
    const sub = Math.min(2 * SUB - 1, Math.max(SUB, Math.floor(v / 2 ** shift)));
    return 2 * SUB + (shift - 1) * SUB + (sub - SUB);
  }

  static #valueAt(index: number): number {
    if (index < 2 * SUB) return index;
    const shift = Math.floor((index - 2 * SUB) / SUB) + 1;
    const sub = ((index - 2 * SUB) % SUB) + SUB;
    return sub * 2 ** shift;
  }

  get count(): number {
    return this.#total;
  }
  get max(): number {
    return this.#max;
  }

  /** Value at quantile q in [0, 1]: the lower edge of the bucket holding it (0 when empty). */
  quantile(q: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.#total));
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i] as number;
      if (seen >= rank) return Math.min(LatencyHistogram.#valueAt(i), this.#max);
    }
    return this.#max;
  }

  summary(): { count: number; p50: number; p90: number; p99: number; max: number } {
    return { count: this.#total, p50: this.quantile(0.5), p90: this.quantile(0.9), p99: this.quantile(0.99), max: this.#max };
  }
}

/**
 * Zipfian partition keys for the hot-key tests: rank k (0-based) is drawn with probability
 * ∝ 1/(k+1)^s, by exact inversion of the cumulative distribution (binary search over a
 * precomputed table), so the test knows each key's true weight, not just an approximation.
 *
 * Worked number: s = 0.99 over 100,000 keys gives a normaliser of Σ 1/i^0.99 ≈ 12.78, so rank 0
 * takes 1/12.78 ≈ 7.8% of the records, rank 1 ≈ 3.9% and rank 9 ≈ 0.8%.
 */

export interface ZipfKeys {
  /** Probability of rank `rank`. */
  probability(rank: number): number;
  /** A rank in [0, keys), drawn with the injected `random()`. */
  draw(): number;
  /** The partition key of a rank. */
  keyOf(rank: number): string;
}

export function createZipfKeys(keys: number, s: number, random: () => number): ZipfKeys {
  const cumulative = new Float64Array(keys);
  let sum = 0;
  for (let i = 0; i < keys; i++) {
    sum += 1 / Math.pow(i + 1, s);
    cumulative[i] = sum;
  }
  const total = sum;
  return {
    probability: (rank) => 1 / Math.pow(rank + 1, s) / total,
    draw() {
      const target = random() * total;
      let low = 0;
      let high = keys - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((cumulative[mid] as number) <= target) low = mid + 1;
        else high = mid;
      }
      return low;
    },
    keyOf: (rank) => `user-${rank}`,
  };
}

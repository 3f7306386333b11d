/**
 * Zipfian key ranks, as in YCSB's `ZipfianGenerator` (Gray et al., "Quickly Generating
 * Billion-Record Synthetic Databases", SIGMOD 1994).
 *
 * Invariants: rank 0 is the hottest key; P(rank k) ∝ 1/(k+1)^s; setup is O(keys) (the zeta sum),
 * each draw is O(1) and allocation-free. Valid for 0 < s < 1, which covers YCSB's default 0.99.
 * Worked number: with s = 0.99 and 100,000 keys, zeta ≈ 12.0, so key 0 gets 1/12.0 ≈ 8.3% of
 * records and the top 1% of keys about 60% — the skew that makes one shard hot.
 * https://github.com/brianfrankcooper/YCSB/blob/master/core/src/main/java/site/ycsb/generator/ZipfianGenerator.java
 */
import type { Random } from '../random.js';

/** Σ_{i=1..n} 1/i^s. */
export function zeta(n: number, s: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / Math.pow(i, s);
  return sum;
}

/** Returns a function drawing ranks in [0, keys) with Zipf exponent `s`. */
export function createZipfSampler(keys: number, s: number, random: Random): () => number {
  if (!(s > 0 && s < 1)) throw new RangeError(`Expected the zipf exponent to be > 0 and < 1, got ${s}`);
  if (!(Number.isInteger(keys) && keys >= 1)) throw new RangeError(`Expected keys to be an integer ≥ 1, got ${keys}`);
  if (keys === 1) return () => 0;
  const zetaN = zeta(keys, s);
  const zeta2 = zeta(2, s);
  const alpha = 1 / (1 - s);
  const eta = (1 - Math.pow(2 / keys, 1 - s)) / (1 - zeta2 / zetaN);
  const secondThreshold = 1 + Math.pow(0.5, s);
  return () => {
    const u = random();
    const uz = u * zetaN;
    if (uz < 1) return 0;
    if (uz < secondThreshold) return 1;
    const rank = Math.floor(keys * Math.pow(eta * u - eta + 1, alpha));
    return rank >= keys ? keys - 1 : rank;
  };
}

import { describe, expect, it } from 'vitest';
import { createKeyChooser } from '../../src/keys/key-chooser.js';
import { createZipfSampler, zeta } from '../../src/keys/zipf.js';
import { createRandom } from '../../src/random.js';
import type { KeyDistribution } from '../../src/scenario/key-distribution-schema.js';

function histogram(distribution: KeyDistribution, draws: number, seed = 1): number[] {
  const keys = distribution.kind === 'none' ? 0 : distribution.keys;
  const counts = new Array<number>(keys).fill(0);
  const choose = createKeyChooser(distribution, createRandom(seed));
  for (let i = 0; i < draws; i++) {
    const key = choose() as number;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('createKeyChooser', () => {
  it('draws uniform keys evenly', () => {
    const counts = histogram({ kind: 'uniform', keys: 10 }, 100_000);
    // Each key expects 10,000 with σ ≈ 95: ±5% is > 5σ.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('cycles round-robin keys in order', () => {
    const choose = createKeyChooser({ kind: 'roundRobin', keys: 3 }, createRandom(1));
    expect(Array.from({ length: 7 }, () => choose())).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('returns undefined for keyless runs', () => {
    const choose = createKeyChooser({ kind: 'none' }, createRandom(1));
    expect(choose()).toBeUndefined();
  });

  it('gives the hot set its share of traffic (20% of keys get 80%)', () => {
    const counts = histogram({ kind: 'hotspot', keys: 1_000, hotFraction: 0.2, hotTrafficFraction: 0.8 }, 200_000);
    const hot = counts.slice(0, 200).reduce((a, b) => a + b, 0);
    expect(hot / 200_000).toBeCloseTo(0.8, 2);
    expect(counts.every((c) => c > 0)).toBe(true);
  });

  it.each([0.5, 0.99])('follows Zipf with exponent %s: P(rank k) ∝ 1/(k+1)^s', (s) => {
    const keys = 1_000;
    const draws = 400_000;
    const counts = histogram({ kind: 'zipf', keys, exponent: s }, draws, 3);
    const z = zeta(keys, s);
    // The two exact ranks of Gray's method and a sample of the approximated tail.
    for (const rank of [0, 1]) expect(counts[rank]! / draws).toBeCloseTo(1 / Math.pow(rank + 1, s) / z, 2);
    // Rank 0 is the most frequent; the top 10% of keys take most of the traffic at s = 0.99.
    expect(Math.max(...counts)).toBe(counts[0]);
    const top = counts.slice(0, 100).reduce((a, b) => a + b, 0) / draws;
    const expectedTop = Array.from({ length: 100 }, (_, k) => 1 / Math.pow(k + 1, s)).reduce((a, b) => a + b, 0) / z;
    expect(top).toBeCloseTo(expectedTop, 1);
  });

  it('is reproducible per seed', () => {
    const a = histogram({ kind: 'zipf', keys: 100, exponent: 0.99 }, 1_000, 9);
    const b = histogram({ kind: 'zipf', keys: 100, exponent: 0.99 }, 1_000, 9);
    expect(a).toEqual(b);
  });

  it('rejects exponents outside (0, 1)', () => {
    expect(() => createZipfSampler(10, 1, createRandom(1))).toThrow('Expected the zipf exponent to be > 0 and < 1, got 1');
  });
});

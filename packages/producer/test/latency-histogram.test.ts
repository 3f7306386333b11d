import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/latency-histogram.js';

describe('LatencyHistogram', () => {
  it('is exact below 64 and within 1/32 above', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 100_000; v++) h.record(v);
    expect(h.quantile(0.0001)).toBe(10);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = q * 100_000;
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(1 / 32);
    }
    expect(h.max).toBe(100_000);
    expect(h.count).toBe(100_000);
  });

  it('reports zero when empty and clamps negatives to zero', () => {
    const h = new LatencyHistogram();
    expect(h.summary()).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
    h.record(-5);
    expect(h.quantile(1)).toBe(0);
  });

  it.each([63, 64, 65, 127, 128, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 35])('keeps %d within its bucket', (v) => {
    const h = new LatencyHistogram();
    h.record(v);
    const got = h.quantile(0.5);
    expect(got).toBeLessThanOrEqual(v);
    expect(v - got).toBeLessThanOrEqual(v / 32);
  });
});

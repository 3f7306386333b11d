import fc from 'fast-check';
import type { Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  addHistogram,
  createLatencyHistogram,
  encodeHistogram,
  HIGHEST_TRACKABLE_US,
  mergeEncodedHistograms,
  summarize,
} from '../../src/metrics/latency-histogram.js';

describe('latency histogram', () => {
  it('reports percentiles of 1..10,000 µs within HdrHistogram\'s 3 significant digits', () => {
    const h = createLatencyHistogram();
    for (let v = 1; v <= 10_000; v++) h.record(v);
    const s = summarize(h.histogram);
    expect(s.count).toBe(10_000);
    expect(s.minMs).toBeCloseTo(0.001, 6);
    expect(s.p50Ms).toBeCloseTo(5, 1);
    expect(s.p75Ms).toBeCloseTo(7.5, 1);
    expect(s.p95Ms).toBeCloseTo(9.5, 1);
    expect(s.p99Ms).toBeCloseTo(9.9, 1);
    expect(s.p999Ms).toBeCloseTo(9.99, 1);
    expect(s.maxMs).toBeCloseTo(10, 1);
    expect(s.meanMs).toBeCloseTo(5.0005, 1);
  });

  it("summarises exactly as the library's getValueAtPercentile and mean do (property)", () => {
    const reference = (histogram: Histogram) => {
      const ms = (us: number): number => Math.round(us) / 1000;
      const at = (p: number): number => ms(histogram.getValueAtPercentile(p));
      return { count: histogram.totalCount, minMs: at(0), meanMs: ms(histogram.mean), p50Ms: at(50), p75Ms: at(75), p95Ms: at(95), p99Ms: at(99), p999Ms: at(99.9), p9999Ms: at(99.99), maxMs: at(100) };
    };
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat({ max: 2_000 }), fc.nat({ max: HIGHEST_TRACKABLE_US })), { minLength: 1, maxLength: 3_000 }), (values) => {
        const h = createLatencyHistogram();
        for (const v of values) h.record(v);
        expect(summarize(h.histogram)).toEqual(reference(h.histogram));
      }),
      { numRuns: 200 },
    );
  });

  it("adds a histogram's occupied range exactly as the library's add does (property)", () => {
    const values = fc.array(fc.oneof(fc.nat({ max: 2_000 }), fc.nat({ max: HIGHEST_TRACKABLE_US })), { maxLength: 1_000 });
    fc.assert(
      fc.property(values, values, (totalValues, partValues) => {
        const [viaAdd, viaHelper, part] = [createLatencyHistogram(), createLatencyHistogram(), createLatencyHistogram()];
        for (const v of totalValues) {
          viaAdd.record(v);
          viaHelper.record(v);
        }
        for (const v of partValues) part.record(v);
        viaAdd.histogram.add(part.histogram);
        addHistogram(viaHelper.histogram, part.histogram);
        const state = (h: Histogram) => ({ total: h.totalCount, min: h.minNonZeroValue, max: h.maxValue, encoded: encodeHistogram(h) });
        expect(state(viaHelper.histogram)).toEqual(state(viaAdd.histogram));
      }),
      { numRuns: 200 },
    );
  });

  it('summarises an empty histogram as count 0', () => {
    expect(summarize(createLatencyHistogram().histogram)).toMatchObject({ count: 0, p99Ms: 0, maxMs: 0 });
  });

  it.each([
    ['negative (clock skew)', -5, 0, { clampedLow: 1, clampedHigh: 0 }],
    ['above one hour', HIGHEST_TRACKABLE_US * 2, HIGHEST_TRACKABLE_US / 1000, { clampedLow: 0, clampedHigh: 1 }],
    ['NaN', Number.NaN, 0, { clampedLow: 1, clampedHigh: 0 }],
  ])('clamps a %s value and counts it', (_name, value, expectedMaxMs, clamped) => {
    const h = createLatencyHistogram();
    h.record(value);
    expect(h).toMatchObject(clamped);
    expect(summarize(h.histogram).count).toBe(1);
    // Within the 3 significant digits (0.1%) HdrHistogram keeps.
    expect(Math.abs(summarize(h.histogram).maxMs - expectedMaxMs)).toBeLessThanOrEqual(expectedMaxMs * 0.001 + 0.001);
  });

  it('keeps a fixed footprint however many values it records', () => {
    const h = createLatencyHistogram();
    const before = h.histogram.estimatedFootprintInBytes;
    for (let i = 0; i < 100_000; i++) h.record((i * 7919) % HIGHEST_TRACKABLE_US);
    expect(h.histogram.estimatedFootprintInBytes).toBe(before);
  });

  it('merges encoded histograms into the same distribution as one histogram of all values', () => {
    const parts = [createLatencyHistogram(), createLatencyHistogram(), createLatencyHistogram()];
    const all = createLatencyHistogram();
    for (let i = 0; i < 30_000; i++) {
      const v = 100 + ((i * 2654435761) % 900_000);
      parts[i % 3]?.record(v);
      all.record(v);
    }
    const merged = mergeEncodedHistograms(parts.map((p) => encodeHistogram(p.histogram)));
    expect(summarize(merged)).toEqual(summarize(all.histogram));
  });

  it('rejects text that is not an encoded histogram', () => {
    expect(() => mergeEncodedHistograms(['not-base64!'])).toThrow(/histogram 0/);
  });
});

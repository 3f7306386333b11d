import { describe, expect, it } from 'vitest';
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { INTERVAL_HISTOGRAMS, type IntervalSample } from '../../src/metrics/interval-series.js';
import { HISTOGRAM_NAMES, type RunResult } from '../../src/metrics/run-result.js';
import { MergeError, mergeIntervals, type MergedIntervalSample } from '../../src/merge/merge-intervals.js';
import { mergeResults } from '../../src/merge/merge-results.js';
import { sumSnapshots } from '../../src/merge/sum-sections.js';
import { syntheticRun } from './synthetic-run.js';

const PERCENTILES = ['p50Ms', 'p75Ms', 'p95Ms', 'p99Ms', 'p999Ms', 'p9999Ms', 'maxMs'] as const;
const lowKeys = (seq: number): boolean => seq % 8 < 4;

describe('mergeResults: a run split in two and merged equals the whole', () => {
  const whole = syntheticRun();
  const halves = [syntheticRun({ runId: 'w0', keep: lowKeys }), syntheticRun({ runId: 'w1', keep: (s) => !lowKeys(s) })];
  const merged = mergeResults(halves);

  it('adds the accounting, throttling and rates', () => {
    expect(halves[0]?.accounting.scheduled).toBe(1000);
    expect(merged.accounting).toEqual(whole.accounting);
    expect(merged.accounting.lost).toBeGreaterThan(0);
    expect(merged.throttling).toEqual(whole.throttling);
    expect(merged.rates).toEqual(whole.rates);
    expect([merged.startedAtUs, merged.endedAtUs, merged.durationMs]).toEqual([whole.startedAtUs, whole.endedAtUs, whole.durationMs]);
  });

  it.each(HISTOGRAM_NAMES)('merges %s by the encoded histograms: same count and percentiles', (name) => {
    expect(merged.latency[name].count).toBeGreaterThan(0);
    expect(merged.latency[name]).toEqual(whole.latency[name]);
    const a = decodeFromCompressedBase64(merged.histograms[name]);
    const b = decodeFromCompressedBase64(whole.histograms[name]);
    expect([a.totalCount, a.getValueAtPercentile(99.99)]).toEqual([b.totalCount, b.getValueAtPercentile(99.99)]);
  });

  it('aligns the interval series: counts and rates per interval equal the whole', () => {
    expect(merged.intervals).toHaveLength(whole.intervals.length);
    for (const [i, sample] of merged.intervals.entries()) {
      const w = whole.intervals[i] as IntervalSample;
      expect([sample.startUs, sample.endUs, sample.counts, sample.publishRate, sample.backlog]).toEqual([w.startUs, w.endUs, w.counts, w.publishRate, w.backlog]);
      // Without interval histograms each percentile is the larger part's: never below the true one.
      for (const h of INTERVAL_HISTOGRAMS) {
        expect(sample.latency[h].count).toBe(w.latency[h].count);
        for (const p of PERCENTILES) expect(sample.latency[h][p]).toBeGreaterThanOrEqual(w.latency[h][p]);
      }
    }
    expect((merged.intervals[1] as MergedIntervalSample).latencyBound).toBe('upper');
  });

  it('sums the producer per shard, keeps the largest iterator age and judges the thresholds again', () => {
    expect(merged.producer).toEqual(whole.producer);
    expect(merged.consumer).toMatchObject({ invocations: 80, maxIteratorAgeMs: 310 });
    expect(merged.thresholds?.map((t) => [t.expression, t.ok])).toEqual([
      ['e2e.p99 < 2000ms', true],
      ['lost == 0', false],
    ]);
    expect(merged.runId).toBe('w0+w1');
    expect(merged.meta.mergedFrom).toEqual(halves.map((h) => ({ runId: h.runId, startedAtUs: h.startedAtUs, endedAtUs: h.endedAtUs })));
  });
});

describe('merged meta of a split run', () => {
  it('is the whole run: no part\'s worker share at the top, each part\'s share in mergedFrom', () => {
    const a = syntheticRun({ runId: 'a-w0of2', count: 10 });
    const b = syntheticRun({ runId: 'b-w1of2', count: 10 });
    a.meta = { ...a.meta, worker: { index: 0, count: 2 } };
    b.meta = { ...b.meta, worker: { index: 1, count: 2 } };
    const merged = mergeResults([a, b]);
    expect(merged.meta['worker']).toBeUndefined();
    expect((merged.meta['mergedFrom'] as { worker?: unknown }[]).map((p) => p.worker)).toEqual([
      { index: 0, count: 2 },
      { index: 1, count: 2 },
    ]);
  });
});

describe('mergeIntervals', () => {
  it('aligns workers that started apart on the earliest start, by the nearest grid interval', () => {
    const a = syntheticRun({ runId: 'a', count: 1500 });
    const b = syntheticRun({ runId: 'b', count: 1500, startUs: a.startedAtUs + 300_000 });
    const merged = mergeResults([a, b]);
    expect(merged.intervals.map((s) => s.startUs - a.startedAtUs)).toEqual(merged.intervals.map((_, k) => k * 1_000_000));
    const scheduled = merged.intervals.reduce((n, s) => n + s.counts.scheduled, 0);
    expect(scheduled).toBe(3000);
    // Interval 1 holds a's second second and b's first: 500 + 500 scheduled over 1 s.
    expect(merged.intervals[1]?.counts.scheduled).toBe(1000);
    expect(merged.intervals[1]?.targetRate).toBe(1000);
  });

  it('is exact when every sample carries its interval histograms, and fills idle intervals', () => {
    const sample = (startUs: number, values: number[]): MergedIntervalSample => {
      const histograms: MergedIntervalSample['histograms'] = {};
      for (const name of [...INTERVAL_HISTOGRAMS, 'streamToConsumer']) {
        const h = build({ numberOfSignificantValueDigits: 3 });
        for (const v of values) h.recordValue(v);
        histograms[name] = encodeIntoCompressedBase64(h);
      }
      const base = syntheticRun({ count: 10 }).intervals[0] as IntervalSample;
      return { ...base, startUs, endUs: startUs + 1_000_000, histograms };
    };
    const merged = mergeIntervals([[sample(0, [1000, 2000])], [sample(0, [3000, 9000]), sample(2_000_000, [5000])]], 0);
    expect(merged.map((s) => s.startUs)).toEqual([0, 1_000_000, 2_000_000]);
    // Within HdrHistogram's 3 significant digits: 3,000 µs reads 3.001 ms.
    const publish = merged[0]?.latency.publish;
    expect(publish?.count).toBe(4);
    expect([publish?.p50Ms, publish?.p75Ms, publish?.maxMs].map((v) => Math.round((v ?? 0) * 100) / 100)).toEqual([2, 3, 9.01]);
    expect(merged[0]?.latencyBound).toBeUndefined();
    // Metrics beyond the per-interval summaries are added too, for the interval logs.
    expect(decodeFromCompressedBase64(merged[0]?.histograms?.streamToConsumer ?? '').totalCount).toBe(4);
    expect(merged[1]?.counts.scheduled).toBe(0);
    expect(merged[2]?.latency.endToEnd.count).toBe(1);
    expect(merged[2]?.latency.endToEnd.maxMs).toBeCloseTo(5, 2);
  });
});

describe('sumSnapshots', () => {
  it('adds numbers, keeps the largest max…, merges shards by id as a map or a list', () => {
    const producer = sumSnapshots([
      { userRecordsPut: 3, shards: { s0: { bytesPut: 10 } }, requestLatencyMs: { p99: 5 } },
      { userRecordsPut: 4, shards: { s0: { bytesPut: 5 }, s1: { bytesPut: 1 } } },
    ]);
    expect(producer).toEqual({ userRecordsPut: 7, shards: { s0: { bytesPut: 15 }, s1: { bytesPut: 1 } } });
    const consumer = sumSnapshots([
      { maxIteratorAgeMs: 50, shards: [{ shardId: 's0', recordsRead: 2, iteratorAgeMs: 5 }] },
      { maxIteratorAgeMs: 20, shards: [{ shardId: 's0', recordsRead: 3, iteratorAgeMs: 1 }] },
      undefined,
    ]);
    expect(consumer).toEqual({ maxIteratorAgeMs: 50, shards: [{ shardId: 's0', recordsRead: 5, iteratorAgeMs: 6 }] });
    expect(sumSnapshots([undefined, 'x'])).toBeUndefined();
  });
});

describe('mergeResults input', () => {
  it('rejects an empty list', () => {
    expect(() => mergeResults([] as RunResult[])).toThrow(new MergeError('Expected at least 1 result to merge, got 0'));
  });

  it('rejects results with different interval lengths as a user error', () => {
    const merge = (): RunResult => mergeResults([syntheticRun({ count: 1500 }), syntheticRun({ count: 1500, intervalMs: 500 })]);
    expect(merge).toThrow(/^Expected every result to use the same interval length \(run.reportInterval\), got (500 ms and 1000 ms|1000 ms and 500 ms)$/);
    expect(merge).toThrow(expect.objectContaining({ code: 'ERR_LOADGEN_USAGE' }) as Error);
  });
});

/**
 * Aligning the interval series of several runs (workers, machines) on one wall-clock grid and
 * summing them.
 *
 * Invariants:
 * - The grid starts at the earliest run start and steps by the runs' interval length; a sample
 *   joins the grid interval nearest its start, so workers started 300 ms apart with 10 s intervals
 *   still add up interval by interval.
 * - Counts and backlogs are summed; rates are recomputed from the summed counts over the grid
 *   interval's length (10 s holding 24,000 + 24,500 acks → 4,850 records/s).
 * - Latencies are exact (histograms added) when every sample of an interval carries its encoded
 *   histograms; otherwise each percentile is the largest of the parts — an upper bound, marked by
 *   `latencyBound: 'upper'` on the sample. Run-level percentiles are always exact (merge-results.ts).
 * - Idle grid intervals between samples become empty samples, so a stall stays visible.
 */
import type { IntervalCounter, IntervalHistogram, IntervalSample } from '../metrics/interval-series.js';
import { INTERVAL_COUNTERS, INTERVAL_HISTOGRAMS } from '../metrics/interval-series.js';
import { encodeHistogram, mergeEncodedHistograms, summarize, type LatencySummary } from '../metrics/latency-histogram.js';

/** An interval sample as merged results carry it. */
export interface MergedIntervalSample extends IntervalSample {
  /** Encoded interval histograms (any metric), kept for each metric every part had. */
  histograms?: Partial<Record<string, string>>;
  /** 'upper': the latency percentiles are the largest of the parts', not exact. */
  latencyBound?: 'upper';
}

/** The interval length of the runs: the most common sample length (the last one is often partial). */
export function intervalLengthUs(series: readonly (readonly IntervalSample[])[]): number | undefined {
  const counts = new Map<number, number>();
  for (const samples of series) {
    for (const s of samples) counts.set(s.endUs - s.startUs, (counts.get(s.endUs - s.startUs) ?? 0) + 1);
  }
  let best: number | undefined;
  for (const [length, count] of counts) {
    if (best === undefined || count > (counts.get(best) ?? 0) || (count === counts.get(best) && length > best)) best = length;
  }
  return best;
}

/** Results that cannot be merged (different interval lengths, none at all): the CLI exits 2. */
export class MergeError extends Error {
  override readonly name = 'MergeError';
  readonly code = 'ERR_LOADGEN_USAGE';
  readonly retriable = false;
}

export function mergeIntervals(series: readonly (readonly MergedIntervalSample[])[], baseUs: number): MergedIntervalSample[] {
  const intervalUs = intervalLengthUs(series);
  if (intervalUs === undefined || intervalUs <= 0) return [];
  // Only a run's last interval may be shorter (closed at the end of the run).
  for (const samples of series) {
    const odd = samples.slice(0, -1).find((s) => s.endUs - s.startUs !== intervalUs);
    if (odd !== undefined) {
      throw new MergeError(
        `Expected every result to use the same interval length (run.reportInterval), got ${(odd.endUs - odd.startUs) / 1000} ms and ${intervalUs / 1000} ms`,
      );
    }
  }
  const buckets = new Map<number, MergedIntervalSample[]>();
  for (const samples of series) {
    for (const sample of samples) {
      const k = Math.max(0, Math.round((sample.startUs - baseUs) / intervalUs));
      buckets.set(k, [...(buckets.get(k) ?? []), sample]);
    }
  }
  const last = Math.max(...buckets.keys());
  const merged: MergedIntervalSample[] = [];
  for (let k = 0; k <= last; k++) {
    const startUs = baseUs + k * intervalUs;
    const parts = buckets.get(k) ?? [];
    const endUs = parts.length === 0 ? startUs + intervalUs : Math.min(startUs + intervalUs, Math.max(...parts.map((p) => p.endUs)));
    merged.push(sumSamples(parts, startUs, endUs));
  }
  return merged;
}

function sumSamples(parts: readonly MergedIntervalSample[], startUs: number, endUs: number): MergedIntervalSample {
  const counts = Object.fromEntries(INTERVAL_COUNTERS.map((c) => [c, 0])) as Record<IntervalCounter, number>;
  for (const p of parts) for (const c of INTERVAL_COUNTERS) counts[c] += p.counts[c];
  const seconds = Math.max(endUs - startUs, 1) / 1e6;
  const perSecond = (n: number): number => Math.round((n / seconds) * 100) / 100;
  // Every metric all parts encoded is added exactly (the run's interval log reads them).
  const shared = parts.length === 0 ? [] : Object.keys(parts[0]?.histograms ?? {}).filter((k) => parts.every((p) => p.histograms?.[k] !== undefined));
  const totals = new Map(shared.map((k) => [k, mergeEncodedHistograms(parts.map((p) => p.histograms?.[k] ?? ''))]));
  const exact = parts.length > 0 && INTERVAL_HISTOGRAMS.every((h) => totals.has(h));
  const latency = {} as Record<IntervalHistogram, LatencySummary>;
  for (const name of INTERVAL_HISTOGRAMS) {
    const total = totals.get(name);
    latency[name] = exact && total !== undefined ? summarize(total) : upperBound(parts.map((p) => p.latency[name]));
  }
  const histograms = Object.fromEntries([...totals].map(([k, h]) => [k, encodeHistogram(h)]));
  const sample: MergedIntervalSample = {
    startUs,
    endUs,
    counts,
    targetRate: perSecond(counts.scheduled),
    publishRate: perSecond(counts.acked),
    publishErrorRate: perSecond(counts.failed),
    consumeRate: perSecond(counts.consumed),
    backlog: parts.reduce((n, p) => n + p.backlog, 0),
    latency,
  };
  if (totals.size > 0) sample.histograms = histograms;
  if (!exact && parts.length > 1) sample.latencyBound = 'upper';
  return sample;
}

/** Count and mean exact; every percentile the largest of the parts with samples. */
export function upperBound(summaries: readonly LatencySummary[]): LatencySummary {
  const measured = summaries.filter((s) => s.count > 0);
  const count = measured.reduce((n, s) => n + s.count, 0);
  if (count === 0) return { count, minMs: 0, meanMs: 0, p50Ms: 0, p75Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, p9999Ms: 0, maxMs: 0 };
  const max = (f: (s: LatencySummary) => number): number => Math.max(...measured.map(f));
  const meanMs = measured.reduce((sum, s) => sum + s.meanMs * s.count, 0) / count;
  return {
    count,
    minMs: Math.min(...measured.map((s) => s.minMs)),
    meanMs: Math.round(meanMs * 1000) / 1000,
    p50Ms: max((s) => s.p50Ms),
    p75Ms: max((s) => s.p75Ms),
    p95Ms: max((s) => s.p95Ms),
    p99Ms: max((s) => s.p99Ms),
    p999Ms: max((s) => s.p999Ms),
    p9999Ms: max((s) => s.p9999Ms),
    maxMs: max((s) => s.maxMs),
  };
}

/**
 * Merging the result.json of several workers or machines into the result of one run.
 *
 * Invariants:
 * - Histograms merge by their encoded form (decode + add), so the merged percentiles are the ones
 *   one histogram holding every sample would give — within HdrHistogram's 3 significant digits.
 * - Counts and accounting add; rates are recomputed over the merged span (earliest start to latest
 *   end), so two workers sending 1,000 records/s each for the same 60 s merge to 2,000 records/s.
 * - The interval series align by wall-clock interval start (merge-intervals.ts).
 * - Thresholds the parts were judged by are judged again on the merged result.
 * - Accounting assumes each part accounts its own records (its run id, its seqs); a record counted
 *   by two parts is counted twice.
 */
import { encodeHistogram, mergeEncodedHistograms, summarize } from '../metrics/latency-histogram.js';
import { HISTOGRAM_NAMES, ratesOver, type HistogramName, type RunResult } from '../metrics/run-result.js';
import { evaluateThresholds, parseThresholds } from '../metrics/thresholds.js';
import { MergeError, mergeIntervals, type MergedIntervalSample } from './merge-intervals.js';
import { sumAccounting, sumClamped, sumSnapshots, sumThrottling } from './sum-sections.js';

export interface MergeOptions {
  /** Run id of the merged result. @default the parts' ids joined by '+' */
  runId?: string;
}

function withoutKey(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _omitted, ...rest } = record;
  return rest;
}

export function mergeResults(parts: readonly RunResult[], options: MergeOptions = {}): RunResult {
  const first = parts[0];
  if (first === undefined) throw new MergeError('Expected at least 1 result to merge, got 0');
  const startedAtUs = Math.min(...parts.map((p) => p.startedAtUs));
  const endedAtUs = Math.max(...parts.map((p) => p.endedAtUs));
  const accounting = sumAccounting(parts.map((p) => p.accounting));
  const merged = Object.fromEntries(
    HISTOGRAM_NAMES.map((name) => [name, mergeEncodedHistograms(parts.map((p) => p.histograms[name]))]),
  ) as Record<HistogramName, ReturnType<typeof mergeEncodedHistograms>>;
  const mapNames = <T>(f: (name: HistogramName) => T): Record<HistogramName, T> =>
    Object.fromEntries(HISTOGRAM_NAMES.map((n) => [n, f(n)])) as Record<HistogramName, T>;
  const result: RunResult = {
    schemaVersion: 1,
    runId: options.runId ?? parts.map((p) => p.runId).join('+'),
    startedAtUs,
    endedAtUs,
    durationMs: Math.round((endedAtUs - startedAtUs) / 1000),
    // Part-specific meta (which share of a split run a part sent) moves into mergedFrom: the merged
    // result is the whole run, not part 0.
    meta: {
      ...withoutKey(first.meta, 'worker'),
      mergedFrom: parts.map((p) => ({
        runId: p.runId,
        startedAtUs: p.startedAtUs,
        endedAtUs: p.endedAtUs,
        ...(p.meta['worker'] === undefined ? {} : { worker: p.meta['worker'] }),
      })),
    },
    rates: ratesOver(accounting, startedAtUs, endedAtUs),
    latency: mapNames((n) => summarize(merged[n])),
    clamped: sumClamped(parts.map((p) => p.clamped)),
    throttling: sumThrottling(parts.map((p) => p.throttling)),
    accounting,
    intervals: mergeIntervals(parts.map((p) => p.intervals as MergedIntervalSample[]), startedAtUs),
    histograms: mapNames((n) => encodeHistogram(merged[n])),
  };
  const producer = sumSnapshots(parts.map((p) => p.producer));
  if (producer !== undefined) result.producer = producer;
  const consumer = sumSnapshots(parts.map((p) => p.consumer));
  if (consumer !== undefined) result.consumer = consumer;
  const expressions = [...new Set(parts.flatMap((p) => (p.thresholds ?? []).map((t) => t.expression)))];
  if (expressions.length > 0) result.thresholds = evaluateThresholds(parseThresholds(expressions), result);
  return result;
}

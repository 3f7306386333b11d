/**
 * The metrics a threshold can name, and how each is read from a RunResult.
 *
 * Invariant: every metric has one unit kind — `ms` (latencies, compared in ms), `ratio` (compared
 * as a fraction, or in % when the threshold writes `%`), `count` or `perSecond` — and a threshold's
 * unit must match it, so `lost < 5ms` is a user error, not a silent comparison.
 */
import type { LatencySummary } from './latency-histogram.js';
import type { HistogramName, RunResult } from './run-result.js';

export type MetricKind = 'ms' | 'ratio' | 'count' | 'perSecond';

export interface MetricRef {
  /** Canonical name, e.g. `endToEnd.p99`. */
  name: string;
  kind: MetricKind;
  /** The value, or null when nothing was measured (an empty histogram, a ratio over 0). */
  read(result: RunResult): number | null;
}

const HISTOGRAM_ALIASES: Record<string, HistogramName> = {
  e2e: 'endToEnd',
  endtoend: 'endToEnd',
  publish: 'publish',
  correctedpublish: 'correctedPublish',
  publishcorrected: 'correctedPublish',
  senddelay: 'sendDelay',
  publishdelay: 'sendDelay',
  producertostream: 'producerToStream',
  streamtoconsumer: 'streamToConsumer',
  iteratorage: 'streamToConsumer',
};

const STATS: Record<string, keyof LatencySummary> = {
  min: 'minMs',
  mean: 'meanMs',
  avg: 'meanMs',
  p50: 'p50Ms',
  med: 'p50Ms',
  p75: 'p75Ms',
  p95: 'p95Ms',
  p99: 'p99Ms',
  'p99.9': 'p999Ms',
  p999: 'p999Ms',
  'p99.99': 'p9999Ms',
  p9999: 'p9999Ms',
  max: 'maxMs',
};

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

const COUNTS: Record<string, { read: (r: RunResult) => number; rate: (r: RunResult) => number | null }> = {
  lost: { read: (r) => r.accounting.lost, rate: (r) => ratio(r.accounting.lost, r.accounting.acked) },
  failed: { read: (r) => r.accounting.failed, rate: (r) => ratio(r.accounting.failed, r.accounting.scheduled) },
  duplicated: { read: (r) => r.accounting.duplicated, rate: (r) => ratio(r.accounting.duplicated, r.accounting.consumed) },
  redelivered: {
    read: (r) => r.accounting.redelivered,
    rate: (r) => ratio(r.accounting.redelivered, r.accounting.consumed),
  },
  outoforder: { read: (r) => r.accounting.outOfOrder, rate: (r) => ratio(r.accounting.outOfOrder, r.accounting.consumed) },
  consumednotacked: {
    read: (r) => r.accounting.consumedNotAcked,
    rate: (r) => ratio(r.accounting.consumedNotAcked, r.accounting.consumed),
  },
  unresolved: {
    read: (r) => r.accounting.unresolved,
    rate: (r) => ratio(r.accounting.unresolved, r.accounting.scheduled),
  },
  throttled: {
    read: (r) => r.throttling.throttledAttempts,
    rate: (r) => ratio(r.throttling.throttledAttempts, r.throttling.attempts),
  },
  acked: { read: (r) => r.accounting.acked, rate: (r) => ratio(r.accounting.acked, r.accounting.scheduled) },
  consumed: { read: (r) => r.accounting.consumed, rate: (r) => ratio(r.accounting.consumed, r.accounting.acked) },
};

const PER_SECOND: Record<string, (r: RunResult) => number> = {
  publishrate: (r) => r.rates.publishRate,
  consumerate: (r) => r.rates.consumeRate,
  targetrate: (r) => r.rates.targetRate,
  publisherrorrate: (r) => r.rates.publishErrorRate,
};

/** Every name a threshold may use, for error messages. */
export const METRIC_HELP =
  '<histogram>.<stat> (histograms: e2e, publish, correctedPublish, sendDelay, producerToStream, ' +
  'streamToConsumer; stats: min, mean, p50, p75, p95, p99, p99.9, p99.99, max), ' +
  `<count> or <count>.rate (${Object.keys(COUNTS).join(', ')}), achieved, ` +
  'publishRate, consumeRate, targetRate, publishErrorRate';

/** Resolves a metric name (case-insensitive), or undefined when unknown. */
export function resolveMetric(raw: string): MetricRef | undefined {
  const name = raw.toLowerCase();
  if (name === 'achieved') {
    return { name: 'achieved', kind: 'ratio', read: (r) => (r.accounting.scheduled === 0 ? null : r.rates.achievedRatio) };
  }
  const perSecond = PER_SECOND[name];
  if (perSecond !== undefined) return { name: raw, kind: 'perSecond', read: perSecond };
  const count = COUNTS[name.endsWith('.rate') ? name.slice(0, -5) : name];
  if (count !== undefined) {
    return name.endsWith('.rate')
      ? { name: raw, kind: 'ratio', read: count.rate }
      : { name: raw, kind: 'count', read: count.read };
  }
  const dot = name.indexOf('.');
  const histogram = HISTOGRAM_ALIASES[name.slice(0, dot)];
  const stat = STATS[name.slice(dot + 1)];
  if (dot < 0 || histogram === undefined || stat === undefined) return undefined;
  return {
    name: `${histogram}.${name.slice(dot + 1)}`,
    kind: 'ms',
    read: (r) => (r.latency[histogram].count === 0 ? null : r.latency[histogram][stat]),
  };
}

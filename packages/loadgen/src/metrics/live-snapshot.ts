/**
 * The live progress snapshot: what the refreshing status line shows while a run goes on.
 *
 * Invariants: rates are measured over the running interval plus the previous closed one, so right
 * after a boundary the rate still covers ≥ one full interval instead of a noisy few milliseconds
 * (e.g. 2 s into interval 3 of 10 s: (acks in 2 s + acks of interval 2) / 12 s). A snapshot sums
 * two histograms of ~23k counters each for its percentiles: fine for a progress line, too much for a
 * loop polling every few ms, which reads `RunCounts` instead.
 */
import type { Histogram } from 'hdr-histogram-js';
import type { IntervalCounter, IntervalSample } from './interval-series.js';

/** What the drain and backlog pollers need, without percentiles: cheap enough to ask every few ms. */
export interface RunCounts {
  acked: number;
  consumed: number;
  /** Acked but not yet consumed. */
  consumerBacklog: number;
  /** The largest IteratorAge over shards at their latest delivery, ms. */
  iteratorAgeMs: number;
}

/** Counts of a run whose consumer side is split over several recorders (one per sending thread). */
export function combineRunCounts(parts: readonly RunCounts[]): RunCounts {
  const sum = (f: (c: RunCounts) => number): number => parts.reduce((n, c) => n + f(c), 0);
  return {
    acked: sum((c) => c.acked),
    consumed: sum((c) => c.consumed),
    consumerBacklog: sum((c) => c.consumerBacklog),
    iteratorAgeMs: Math.max(0, ...parts.map((c) => c.iteratorAgeMs)),
  };
}

/** A recorder's counts: acked and consumed records, what is acked but not consumed, the largest IteratorAge over shards. */
export function runCounts(counters: { readonly acked: number; readonly consumed: number }, iteratorAgeUsByShard: ReadonlyMap<string, number>): RunCounts {
  return {
    acked: counters.acked,
    consumed: counters.consumed,
    consumerBacklog: Math.max(0, counters.acked - counters.consumed),
    iteratorAgeMs: Math.round(Math.max(0, ...iteratorAgeUsByShard.values()) / 1000),
  };
}

export interface LiveSnapshot {
  elapsedMs: number;
  /** Records/s the schedule intended, recently. */
  targetRate: number;
  /** Acked records/s, recently. */
  achievedRate: number;
  /** Sent but neither acked nor failed. */
  inFlight: number;
  acked: number;
  failed: number;
  consumed: number;
  /** Throttled send attempts so far. */
  throttledAttempts: number;
  publishP50Ms: number;
  publishP99Ms: number;
  endToEndP50Ms: number;
  endToEndP99Ms: number;
  /** Acked but not yet consumed. */
  consumerBacklog: number;
  /** The largest IteratorAge over shards at their latest delivery (Lambda's metric), ms. */
  iteratorAgeMs: number;
}

export interface LiveInputs {
  nowUs: number;
  startedAtUs: number;
  counters: { sent: number; acked: number; failed: number; consumed: number };
  current: { counts: Readonly<Record<IntervalCounter, number>>; elapsedUs: number };
  previous: IntervalSample | undefined;
  throttledAttempts: number;
  latency: LiveLatency;
  iteratorAgeUsByShard: ReadonlyMap<string, number>;
}

/** The live line's percentiles, ms. */
export interface LiveLatency {
  publishP50Ms: number;
  publishP99Ms: number;
  endToEndP50Ms: number;
  endToEndP99Ms: number;
}

/** p50/p99 of the run-so-far publish and end-to-end histograms. */
export function liveLatency(publish: Histogram, endToEnd: Histogram): LiveLatency {
  const ms = (h: Histogram, p: number): number => (h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / 1000);
  return {
    publishP50Ms: ms(publish, 50),
    publishP99Ms: ms(publish, 99),
    endToEndP50Ms: ms(endToEnd, 50),
    endToEndP99Ms: ms(endToEnd, 99),
  };
}

export function buildLiveSnapshot(i: LiveInputs): LiveSnapshot {
  const windowUs = i.current.elapsedUs + (i.previous === undefined ? 0 : i.previous.endUs - i.previous.startUs);
  const rate = (counter: IntervalCounter): number => {
    if (windowUs <= 0) return 0;
    const n = i.current.counts[counter] + (i.previous?.counts[counter] ?? 0);
    return Math.round((n / windowUs) * 1e6);
  };
  const counts = runCounts(i.counters, i.iteratorAgeUsByShard);
  return {
    elapsedMs: Math.round((i.nowUs - i.startedAtUs) / 1000),
    targetRate: rate('scheduled'),
    achievedRate: rate('acked'),
    inFlight: Math.max(0, i.counters.sent - i.counters.acked - i.counters.failed),
    acked: i.counters.acked,
    failed: i.counters.failed,
    consumed: i.counters.consumed,
    throttledAttempts: i.throttledAttempts,
    ...i.latency,
    consumerBacklog: counts.consumerBacklog,
    iteratorAgeMs: counts.iteratorAgeMs,
  };
}

/**
 * The live view of a run whose producers run in other threads: producer-side figures (rates, in
 * flight, failures, throttles, publish latency) from each thread's latest snapshot, consumer-side
 * figures (acks as imported, consumption, backlog, end-to-end latency, iterator age) from the
 * consumer-side recorders. Counts and rates add; a percentile is the largest thread's (an upper
 * bound for the live line only — the final report merges the histograms exactly).
 */
export function combineLiveSnapshots(producers: readonly LiveSnapshot[], consumers: readonly LiveSnapshot[]): LiveSnapshot {
  const sum = (parts: readonly LiveSnapshot[], f: (s: LiveSnapshot) => number): number => parts.reduce((n, s) => n + f(s), 0);
  const max = (parts: readonly LiveSnapshot[], f: (s: LiveSnapshot) => number): number => Math.max(0, ...parts.map(f));
  return {
    elapsedMs: max(consumers, (s) => s.elapsedMs),
    targetRate: sum(producers, (s) => s.targetRate),
    achievedRate: sum(producers, (s) => s.achievedRate),
    inFlight: sum(producers, (s) => s.inFlight),
    acked: sum(consumers, (s) => s.acked),
    failed: sum(producers, (s) => s.failed),
    consumed: sum(consumers, (s) => s.consumed),
    throttledAttempts: sum(producers, (s) => s.throttledAttempts),
    publishP50Ms: max(producers, (s) => s.publishP50Ms),
    publishP99Ms: max(producers, (s) => s.publishP99Ms),
    endToEndP50Ms: max(consumers, (s) => s.endToEndP50Ms),
    endToEndP99Ms: max(consumers, (s) => s.endToEndP99Ms),
    consumerBacklog: sum(consumers, (s) => s.consumerBacklog),
    iteratorAgeMs: max(consumers, (s) => s.iteratorAgeMs),
  };
}

/**
 * The per-interval time series of a run (OMB's per-10-s rates and latency quantiles): counters and
 * latency histograms that are summarised and reset at each interval boundary.
 *
 * Invariants:
 * - Intervals are contiguous and aligned to the run start: [start + k·interval, start + (k+1)·interval).
 *   An event belongs to the interval in which it is recorded (by the injected clock), so a 10 s
 *   interval holding 48,500 acks reports publishRate 4,850 records/s.
 * - Idle stretches produce empty intervals rather than gaps, so a stall is visible in the series.
 * - Memory per interval is one small summary object; histograms are reused, never reallocated.
 */
import { createLatencyHistogram, summarize, type LatencyHistogram, type LatencySummary } from './latency-histogram.js';

export const INTERVAL_COUNTERS = ['scheduled', 'sent', 'acked', 'failed', 'consumed', 'throttled'] as const;
export type IntervalCounter = (typeof INTERVAL_COUNTERS)[number];

export const INTERVAL_HISTOGRAMS = ['sendDelay', 'publish', 'correctedPublish', 'endToEnd'] as const;
export type IntervalHistogram = (typeof INTERVAL_HISTOGRAMS)[number];

/** One entry of result.json's `intervals`. */
export interface IntervalSample {
  startUs: number;
  endUs: number;
  counts: Record<IntervalCounter, number>;
  /** Records the schedule intended per second. */
  targetRate: number;
  /** Acked records per second. */
  publishRate: number;
  /** Failed records per second. */
  publishErrorRate: number;
  /** Distinct records consumed per second. */
  consumeRate: number;
  /** Acked but not yet consumed at the end of the interval. */
  backlog: number;
  latency: Record<IntervalHistogram, LatencySummary>;
}

export class IntervalSeries {
  readonly samples: IntervalSample[] = [];
  private readonly counts = zeroCounts();
  private readonly histograms = Object.fromEntries(
    INTERVAL_HISTOGRAMS.map((name) => [name, createLatencyHistogram()]),
  ) as Record<IntervalHistogram, LatencyHistogram>;
  private startUs: number;
  private readonly intervalUs: number;

  constructor(startUs: number, intervalMs: number) {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`Expected \`intervalMs\` to be > 0, got ${intervalMs}`);
    }
    this.startUs = startUs;
    this.intervalUs = intervalMs * 1000;
  }

  count(counter: IntervalCounter, n = 1): void {
    this.counts[counter] += n;
  }

  record(name: IntervalHistogram, valueUs: number): void {
    this.histograms[name].record(valueUs);
  }

  /** True when `advance(nowUs)` would close an interval (cheap; called on every event). */
  isDue(nowUs: number): boolean {
    return nowUs >= this.startUs + this.intervalUs;
  }

  /** Closes every interval that ended at or before `nowUs`. */
  advance(nowUs: number, backlog: number): void {
    while (nowUs >= this.startUs + this.intervalUs) this.close(this.startUs + this.intervalUs, backlog);
  }

  /** Closes the running interval at `nowUs` if anything happened in it (end of run). */
  finish(nowUs: number, backlog: number): void {
    this.advance(nowUs, backlog);
    const busy = INTERVAL_COUNTERS.some((c) => this.counts[c] > 0);
    if (busy && nowUs > this.startUs) this.close(nowUs, backlog);
  }

  /** The running interval's counts and elapsed µs (for live progress). */
  current(nowUs: number): { counts: Readonly<Record<IntervalCounter, number>>; elapsedUs: number } {
    return { counts: this.counts, elapsedUs: Math.max(0, nowUs - this.startUs) };
  }

  private close(endUs: number, backlog: number): void {
    const seconds = (endUs - this.startUs) / 1e6;
    const perSecond = (n: number): number => Math.round((n / seconds) * 100) / 100;
    const latency = {} as Record<IntervalHistogram, LatencySummary>;
    for (const name of INTERVAL_HISTOGRAMS) {
      latency[name] = summarize(this.histograms[name].histogram);
      this.histograms[name].reset();
    }
    this.samples.push({
      startUs: this.startUs,
      endUs,
      counts: { ...this.counts },
      targetRate: perSecond(this.counts.scheduled),
      publishRate: perSecond(this.counts.acked),
      publishErrorRate: perSecond(this.counts.failed),
      consumeRate: perSecond(this.counts.consumed),
      backlog,
      latency,
    });
    for (const c of INTERVAL_COUNTERS) this.counts[c] = 0;
    this.startUs = endUs;
  }
}

function zeroCounts(): Record<IntervalCounter, number> {
  return { scheduled: 0, sent: 0, acked: 0, failed: 0, consumed: 0, throttled: 0 };
}

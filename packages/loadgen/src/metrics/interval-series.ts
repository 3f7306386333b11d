/**
 * The per-interval time series of a run (OMB's per-10-s rates and latency quantiles) and the
 * run-wide histograms built from it: counters and latency histograms are summarised, encoded and
 * folded into the run totals at each interval boundary, then reset.
 *
 * Invariants:
 * - Intervals are contiguous and aligned to the run start: [start + k·interval, start + (k+1)·interval).
 *   An event belongs to the interval in which it is recorded (by the injected clock), so a 10 s
 *   interval holding 48,500 acks reports publishRate 4,850 records/s.
 * - Idle stretches produce empty intervals rather than gaps, so a stall is visible in the series.
 * - A latency is recorded once, into its interval's histogram; the run total is the sum of the
 *   closed intervals (plus the running one, for live views). Adding ~23k counters every 10 s is
 *   cheaper than recording every value twice, and the encoded interval histograms let interval logs
 *   and merged runs sum exactly.
 * - Memory is fixed: 6 interval + 6 total histograms and one for warm-up values (~90 KiB each), and one small summary per
 *   interval (plus, when asked, six compressed histograms of typically well under 1 KiB each).
 */
import type { Histogram } from 'hdr-histogram-js';
import {
  addHistogram,
  createLatencyHistogram,
  encodeHistogram,
  summarize,
  type LatencyHistogram,
  type LatencySummary,
} from './latency-histogram.js';

export const INTERVAL_COUNTERS = ['scheduled', 'sent', 'acked', 'failed', 'consumed', 'throttled'] as const;
export type IntervalCounter = (typeof INTERVAL_COUNTERS)[number];

/** Every latency histogram of a run (see run-result.ts for what each measures). */
export const HISTOGRAM_NAMES = [
  'sendDelay',
  'publish',
  'correctedPublish',
  'endToEnd',
  'producerToStream',
  'streamToConsumer',
] as const;
export type HistogramName = (typeof HISTOGRAM_NAMES)[number];

/** The histograms whose percentiles each interval sample reports (OMB's per-interval set). */
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
  /**
   * Every tracked histogram of the interval, HdrHistogram compressed base64 — only when the
   * recorder was asked for them (`intervalHistograms: true`); they make interval logs and merges
   * of several runs exact.
   */
  histograms?: Partial<Record<HistogramName, string>>;
}

const perName = <T>(f: (name: HistogramName) => T): Record<HistogramName, T> =>
  Object.fromEntries(HISTOGRAM_NAMES.map((name) => [name, f(name)])) as Record<HistogramName, T>;

export class IntervalSeries {
  readonly samples: IntervalSample[] = [];
  /** Run-wide histograms: the sum of every closed interval. */
  readonly totals = perName(() => createLatencyHistogram());
  private readonly counts = zeroCounts();
  private readonly histograms = perName(() => createLatencyHistogram());
  private readonly scratch = new Map<HistogramName, LatencyHistogram>();
  private readonly warmupDiscard = createLatencyHistogram();
  private startUs: number;
  private readonly intervalUs: number;

  constructor(
    startUs: number,
    intervalMs: number,
    /** Attach each interval's encoded histograms to its sample. */
    private readonly encodeIntervals = false,
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`Expected \`intervalMs\` to be > 0, got ${intervalMs}`);
    }
    this.startUs = startUs;
    this.intervalUs = intervalMs * 1000;
  }

  count(counter: IntervalCounter, n = 1): void {
    this.counts[counter] += n;
  }

  /**
   * Records a latency of the running interval; a warm-up one (`measured` false) goes to a histogram
   * nobody reads, emptied at every interval boundary. Warm-up records thus take the same code path
   * as measured ones: a warm-up phase exists to let V8 optimise the hot path, and code optimised
   * while the histograms were never touched was deoptimised by the first measured record, which
   * ran the run's first ~0.1 s of measured records through unoptimised code.
   */
  record(name: HistogramName, valueUs: number, measured = true): void {
    // Both paths load the interval histogram, so neither meets a load it has no feedback for.
    const interval = this.histograms[name];
    (measured ? interval : this.warmupDiscard).record(valueUs);
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

  /** Run total including the running interval (for live views; reuses one scratch histogram per name). */
  liveTotal(name: HistogramName): Histogram {
    let scratch = this.scratch.get(name);
    if (scratch === undefined) {
      scratch = createLatencyHistogram();
      this.scratch.set(name, scratch);
    }
    scratch.histogram.reset();
    addHistogram(scratch.histogram, this.totals[name].histogram);
    addHistogram(scratch.histogram, this.histograms[name].histogram);
    return scratch.histogram;
  }

  private close(endUs: number, backlog: number): void {
    const seconds = (endUs - this.startUs) / 1e6;
    const perSecond = (n: number): number => Math.round((n / seconds) * 100) / 100;
    const latency = Object.fromEntries(
      INTERVAL_HISTOGRAMS.map((name) => [name, summarize(this.histograms[name].histogram)]),
    ) as Record<IntervalHistogram, LatencySummary>;
    const histograms = this.encodeIntervals ? perName((name) => encodeHistogram(this.histograms[name].histogram)) : undefined;
    for (const name of HISTOGRAM_NAMES) {
      const interval = this.histograms[name];
      const total = this.totals[name];
      addHistogram(total.histogram, interval.histogram);
      total.clampedLow += interval.clampedLow;
      total.clampedHigh += interval.clampedHigh;
      interval.reset();
    }
    this.warmupDiscard.reset();
    const sample: IntervalSample = {
      startUs: this.startUs,
      endUs,
      counts: { ...this.counts },
      targetRate: perSecond(this.counts.scheduled),
      publishRate: perSecond(this.counts.acked),
      publishErrorRate: perSecond(this.counts.failed),
      consumeRate: perSecond(this.counts.consumed),
      backlog,
      latency,
    };
    if (histograms !== undefined) sample.histograms = histograms;
    this.samples.push(sample);
    for (const c of INTERVAL_COUNTERS) this.counts[c] = 0;
    this.startUs = endUs;
  }
}

function zeroCounts(): Record<IntervalCounter, number> {
  return { scheduled: 0, sent: 0, acked: 0, failed: 0, consumed: 0, throttled: 0 };
}

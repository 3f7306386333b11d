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
 * - A boundary costs the event that crosses it next to nothing: the running interval's histograms
 *   are swapped for a spare set, and the closed ones are summarised, folded into the totals and
 *   reset one step per turn of the event loop (`defer`), 12 steps of ≲ 1 ms instead of one stall
 *   of 5-15 ms (the first time, unoptimised) that every record due meanwhile waited out. Reading
 *   `samples`, `totals` or a live total finishes a pending close first, so readers never see it
 *   half done.
 * - Memory is fixed: 6 interval histograms twice (running and spare), 6 totals and one for
 *   warm-up values (~90 KiB each), and one small summary per interval (plus, when asked, six
 *   compressed histograms of typically well under 1 KiB each).
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

/** A closed interval whose histograms are still being summarised and folded into the totals. */
interface PendingClose {
  startUs: number;
  endUs: number;
  counts: Record<IntervalCounter, number>;
  backlog: number;
  histograms: Record<HistogramName, LatencyHistogram>;
  latency: Partial<Record<IntervalHistogram, LatencySummary>>;
  encoded: Partial<Record<HistogramName, string>> | undefined;
  /** Steps done: step 2k summarises (and encodes) histogram k, step 2k + 1 folds and resets it. */
  stepsDone: number;
}

const CLOSE_STEPS = HISTOGRAM_NAMES.length * 2;
/** One function for every series, so the call site that defers a close step sees one target. */
const deferToNextTurn = (step: () => void): unknown => setImmediate(step);
const isIntervalHistogram = (name: HistogramName): name is IntervalHistogram => (INTERVAL_HISTOGRAMS as readonly string[]).includes(name);

export class IntervalSeries {
  private readonly closed: IntervalSample[] = [];
  /** Run-wide histograms: the sum of every closed interval. */
  private readonly runTotals = perName(() => createLatencyHistogram());
  private readonly counts = zeroCounts();
  private histograms = perName(() => createLatencyHistogram());
  /** Empty histograms to swap in at the next boundary; undefined while a close is pending. */
  private spare: Record<HistogramName, LatencyHistogram> | undefined = perName(() => createLatencyHistogram());
  private pending: PendingClose | undefined;
  private readonly scratch = new Map<HistogramName, LatencyHistogram>();
  private readonly warmupDiscard = createLatencyHistogram();
  private startUs: number;
  private readonly intervalUs: number;
  private readonly continueClose = (): void => {
    if (this.pending === undefined) return;
    this.closeStep(this.pending);
    if (this.pending !== undefined) this.defer(this.continueClose);
  };

  constructor(
    startUs: number,
    intervalMs: number,
    /** Attach each interval's encoded histograms to its sample. */
    private readonly encodeIntervals = false,
    /** Runs the next step of a close on a later turn of the event loop. @default setImmediate */
    private readonly defer: (step: () => void) => unknown = deferToNextTurn,
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
      throw new RangeError(`Expected \`intervalMs\` to be > 0, got ${intervalMs}`);
    }
    this.startUs = startUs;
    this.intervalUs = intervalMs * 1000;
  }

  /** The closed intervals, oldest first. */
  get samples(): IntervalSample[] {
    this.completeClose();
    return this.closed;
  }

  /** Run-wide histograms: the sum of every closed interval. */
  get totals(): Readonly<Record<HistogramName, LatencyHistogram>> {
    this.completeClose();
    return this.runTotals;
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

  /**
   * Closes every interval that ended at or before `nowUs`, taking the backlog from `counts` only
   * then (cheap otherwise: called on every event). The run recorder calls this on every event, so
   * the closing code is inlined into its hot path; see run-recorder.ts `rehearseBoundary` for why
   * it runs once before any run.
   */
  advanceIfDue(nowUs: number, counts: { readonly backlog: number }): void {
    if (nowUs >= this.startUs + this.intervalUs) this.advance(nowUs, counts.backlog);
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
    this.completeClose();
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

  /** Ends the running interval at `endUs`: swaps in the spare histograms and starts the close. */
  private close(endUs: number, backlog: number): void {
    this.completeClose();
    const spare = this.spare as Record<HistogramName, LatencyHistogram>;
    this.pending = {
      startUs: this.startUs,
      endUs,
      counts: { ...this.counts },
      backlog,
      histograms: this.histograms,
      latency: {},
      encoded: this.encodeIntervals ? {} : undefined,
      stepsDone: 0,
    };
    this.histograms = spare;
    this.spare = undefined;
    this.warmupDiscard.reset();
    for (const c of INTERVAL_COUNTERS) this.counts[c] = 0;
    this.startUs = endUs;
    this.defer(this.continueClose);
  }

  /** Finishes a pending close now. */
  private completeClose(): void {
    while (this.pending !== undefined) this.closeStep(this.pending);
  }

  private closeStep(pending: PendingClose): void {
    const name = HISTOGRAM_NAMES[pending.stepsDone >> 1] as HistogramName;
    const interval = pending.histograms[name];
    if (pending.stepsDone % 2 === 0) {
      if (isIntervalHistogram(name)) pending.latency[name] = summarize(interval.histogram);
      if (pending.encoded !== undefined) pending.encoded[name] = encodeHistogram(interval.histogram);
    } else {
      const total = this.runTotals[name];
      addHistogram(total.histogram, interval.histogram);
      total.clampedLow += interval.clampedLow;
      total.clampedHigh += interval.clampedHigh;
      interval.reset();
    }
    pending.stepsDone += 1;
    if (pending.stepsDone < CLOSE_STEPS) return;
    const { startUs, endUs, counts, backlog } = pending;
    const seconds = (endUs - startUs) / 1e6;
    const perSecond = (n: number): number => Math.round((n / seconds) * 100) / 100;
    const sample: IntervalSample = {
      startUs,
      endUs,
      counts,
      targetRate: perSecond(counts.scheduled),
      publishRate: perSecond(counts.acked),
      publishErrorRate: perSecond(counts.failed),
      consumeRate: perSecond(counts.consumed),
      backlog,
      latency: pending.latency as Record<IntervalHistogram, LatencySummary>,
    };
    if (pending.encoded !== undefined) sample.histograms = pending.encoded;
    this.closed.push(sample);
    this.spare = pending.histograms;
    this.pending = undefined;
  }
}

function zeroCounts(): Record<IntervalCounter, number> {
  return { scheduled: 0, sent: 0, acked: 0, failed: 0, consumed: 0, throttled: 0 };
}

/**
 * The shape of result.json (close to the OpenMessaging Benchmark's TestResult): what a run
 * measured, aggregated over the run and per interval, plus the account of every record.
 *
 * Invariants: every latency is in ms with µs resolution and covers measured (non-warmup) records
 * only; every count and the accounting cover all records, warmup included; the `histograms` are
 * HdrHistogram compressed base64 (V2) of the µs values, mergeable across runs and workers.
 */
import type { AccountingReport } from './accounting.js';
import type { BacklogReport } from './backlog-monitor.js';
import type { HistogramName, IntervalSample } from './interval-series.js';
import type { LatencySummary } from './latency-histogram.js';

/**
 * Every histogram of a run (`HISTOGRAM_NAMES`, defined with the interval series, which keeps each
 * per interval too):
 * - `sendDelay`: actual send − intended send (the scheduler or producer falling behind).
 * - `publish`: ack − actual send (service time; hides stalls on its own).
 * - `correctedPublish`: ack − intended send (what a user waiting at the intended time sees).
 * - `endToEnd`: consumer delivery − intended send.
 * - `producerToStream`: approximateArrivalTimestamp − intended send (ms resolution).
 * - `streamToConsumer`: consumer delivery − approximateArrivalTimestamp (Lambda's IteratorAge).
 */
export { HISTOGRAM_NAMES, type HistogramName } from './interval-series.js';

export interface ThresholdOutcome {
  /** The threshold as written, e.g. `e2e.p99 < 2000ms`. */
  expression: string;
  ok: boolean;
  /** The measured value in the threshold's unit (ms, %, count, records/s); null when not measured. */
  actual: number | null;
  /** One line for the console, e.g. `e2e.p99 = 2350.1ms, expected < 2000ms`. */
  message: string;
}

export interface RunResult {
  schemaVersion: 1;
  runId: string;
  startedAtUs: number;
  endedAtUs: number;
  durationMs: number;
  /** Scenario name, target, stream, phases… as given by the run command. */
  meta: Record<string, unknown>;
  rates: {
    /** Scheduled records per second over the whole run. */
    targetRate: number;
    /** Acked records per second. */
    publishRate: number;
    /** Failed records per second. */
    publishErrorRate: number;
    /** Distinct consumed records per second. */
    consumeRate: number;
    /** publishRate / targetRate (1 = the asked rate was reached). */
    achievedRatio: number;
  };
  latency: Record<HistogramName, LatencySummary>;
  /** Values outside the histograms' 0–1 h range, recorded at the nearest bound. */
  clamped: Record<HistogramName, { low: number; high: number }>;
  throttling: {
    /** Per-user-record send attempts, from each record's `attempts`. */
    attempts: number;
    /** Attempts answered with a throttling error code. */
    throttledAttempts: number;
    /** throttledAttempts / attempts, in %. */
    throttledPercent: number;
  };
  accounting: AccountingReport;
  intervals: IntervalSample[];
  histograms: Record<HistogramName, string>;
  /** The producer's last `metrics()` snapshot, when the run passed one. */
  producer?: unknown;
  /** The consumer's stats (shards, iterator age, invocations, discarded batches). */
  consumer?: unknown;
  /** Backlog mode only: how the backlog that built up before the consumer started drained. */
  backlog?: BacklogReport;
  /** Set by the run command after evaluating the scenario's thresholds. */
  thresholds?: ThresholdOutcome[];
}

/** The run-wide rates of an accounting over a span: records per second, 2 decimals. */
export function ratesOver(accounting: AccountingReport, startedAtUs: number, endedAtUs: number): RunResult['rates'] {
  const seconds = Math.max(endedAtUs - startedAtUs, 1) / 1e6;
  const perSecond = (n: number): number => Math.round((n / seconds) * 100) / 100;
  return {
    targetRate: perSecond(accounting.scheduled),
    publishRate: perSecond(accounting.acked),
    publishErrorRate: perSecond(accounting.failed),
    consumeRate: perSecond(accounting.consumed),
    achievedRatio: accounting.scheduled === 0 ? 0 : Math.round((accounting.acked / accounting.scheduled) * 10_000) / 10_000,
  };
}

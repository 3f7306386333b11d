/**
 * The run recorder: the one sink for every event of a run (scheduled, sent, acked, failed,
 * consumed), feeding the latency histograms, the interval series and the accounting, and producing
 * the live snapshot and the final result.
 *
 * Invariants:
 * - All timestamps are wall-clock µs since the epoch (clock.ts); `now` is injected and returns µs.
 * - Warmup events (`measured: false`) never reach a histogram that is reported (they go to a
 *   discarded one, through the same code as measured events) but always count in accounting.
 * - An end-to-end sample is taken once per record, at its first delivery; duplicates and
 *   redeliveries are counted, not measured again.
 * - Memory is fixed: the interval series' histograms (see interval-series.ts), bitsets by seq and
 *   one small summary per interval.
 */
import { decodeEnvelope, type Envelope } from '../envelope.js';
import { Accounting } from './accounting.js';
import { IntervalSeries } from './interval-series.js';
import { encodeHistogram, summarize, type LatencyHistogram } from './latency-histogram.js';
import { HISTOGRAM_NAMES, ratesOver, type HistogramName, type RunResult } from './run-result.js';
import { buildLiveSnapshot, liveLatency, runCounts, type LiveSnapshot, type RunCounts } from './live-snapshot.js';
import { countThrottled } from './throttling.js';

export interface RunRecorderOptions {
  runId: string;
  /** Length of one interval of the time series. @default 10000 */
  intervalMs?: number;
  /** Wall-clock µs since the epoch. */
  now: () => number;
  /**
   * Attach every interval's encoded histograms to its sample in result.json (exact interval logs
   * and exact merges of several runs, at typically a few KiB per interval). @default false
   */
  intervalHistograms?: boolean;
  /**
   * Whether a consumed record was scheduled in a warm-up phase. The default asks what
   * `onScheduled` recorded; a recorder that only sees the consumer side (records sent from worker
   * threads) derives it from the schedule instead, so no ack has to arrive first.
   */
  isWarmup?: (seq: number) => boolean;
  /**
   * Start of the run and of its first interval, wall-clock µs. Recorders of one run in several
   * threads share it, so their intervals fall on one grid and add exactly. @default now()
   */
  startedAtUs?: number;
}

/** A record another thread's producer failed, as shipped to the consumer side. */
export interface FailedSeq {
  seq: number;
  code: string;
  message: string;
}

/** What the producer resolved a record with. */
export interface AckResult {
  shardId: string;
  sequenceNumber: string;
  subSequenceNumber?: number;
  /** `[{ startedAt, durationMs, errorCode?, errorMessage? }]`; throttles are counted from these. */
  attempts: readonly unknown[];
}

/** Where and when the consumer saw a record. */
export interface ConsumedMeta {
  /** When the consumer delivered the record (handler invocation start), µs. */
  receivedUs: number;
  /** The stream's approximateArrivalTimestamp, µs (ms resolution). */
  arrivalUs: number;
  shardId: string;
  sequenceNumber: string;
  subSequenceNumber?: number;
  partitionKey: string;
  /** True when the consumer delivers the record again after a failed invocation. */
  redelivery?: boolean;
}

export interface RunRecorder {
  onScheduled(seq: number, intendedUs: number, measured: boolean): void;
  onSent(seq: number, intendedUs: number, sentUs: number, measured: boolean): void;
  onAcked(
    seq: number,
    intendedUs: number,
    sentUs: number,
    ackUs: number,
    result: AckResult,
    partitionKey: string,
    measured: boolean,
  ): void;
  /**
   * `error.attempts`: the attempts the producer made (RecordExpiredError and RecordFailedError
   * carry them); pass them so throttles of records that finally failed are counted too.
   */
  onFailed(
    seq: number,
    intendedUs: number,
    error: { code: string; message: string; attempts?: readonly unknown[] | undefined },
    measured: boolean,
  ): void;
  onConsumed(envelope: Envelope, meta: ConsumedMeta): void;
  /** Decodes the envelope of raw record data and records it; counts records of other runs as foreign. */
  onConsumedData(data: Uint8Array, meta: ConsumedMeta): void;
  /**
   * Accounts records a producer in another thread acked or failed (their latencies and interval
   * counts are recorded there), so this recorder knows what is lost, unacked or still in the stream.
   */
  onSettledElsewhere(acked: ArrayLike<number>, failed: readonly FailedSeq[]): void;
  onProducerMetrics(snapshot: unknown): void;
  live(): LiveSnapshot;
  /** Acked, consumed, backlog and iterator age only: for loops that poll every few ms. */
  counts(): RunCounts;
  finish(extra?: { meta?: Record<string, unknown>; consumer?: unknown }): RunResult;
}

let rehearsed = false;
const REHEARSED_BOUNDARIES = 32;

/**
 * Crosses interval boundaries on a throwaway series before the first recorder of the process
 * records anything (once per process, a few ms). The boundary code sits in every event's path (the
 * check is inlined into the send loop) but runs once per 10 s; V8 optimised the send loop without
 * ever having run it, so the first real boundary deoptimised the send loop, and the records due
 * while it ran unoptimised until V8 recompiled it turned late: 2,300-5,000 records more than 5 ms
 * late at 100,000 records/s, in the scheduler bench. Rehearsed here, the boundary code has type
 * feedback and is compiled with the rest. Class methods share their feedback between instances,
 * so the throwaway series and accounting stand for the real ones.
 */
function rehearseBoundary(): void {
  if (rehearsed) return;
  rehearsed = true;
  const series = new IntervalSeries(0, 1);
  const accounting = new Accounting();
  // V8 gives a function type feedback only after it has run a while (lazy feedback allocation:
  // a budget of ~8× its bytecode size), so the boundary is crossed REHEARSED_BOUNDARIES times.
  for (let i = 0; i < REHEARSED_BOUNDARIES; i++) {
    accounting.acked(i, true);
    series.record('sendDelay', 1 + i);
    series.record('sendDelay', 1 + i, false);
    series.count('sent');
    series.advanceIfDue(i * 1_000, accounting);
    series.advanceIfDue(i * 1_000 + 1_000, accounting);
  }
  series.finish(REHEARSED_BOUNDARIES * 1_000, 0);
}

export function createRunRecorder({ runId, intervalMs = 10_000, now, intervalHistograms = false, isWarmup, startedAtUs = now() }: RunRecorderOptions): RunRecorder {
  const accounting = new Accounting();
  // Decided once, not per consumed record.
  const warmupOf = isWarmup ?? ((seq: number): boolean => accounting.isWarmup(seq));
  const series = new IntervalSeries(startedAtUs, intervalMs, intervalHistograms);
  const attempts = { attempts: 0, throttledAttempts: 0 };
  const iteratorAgeUsByShard = new Map<string, number>();
  let producerSnapshot: unknown;

  rehearseBoundary();
  const tick = (): void => series.advanceIfDue(now(), accounting);

  const recorder: RunRecorder = {
    onScheduled(seq, _intendedUs, measured) {
      tick();
      accounting.scheduled(seq, measured);
      series.count('scheduled');
    },
    onSent(seq, intendedUs, sentUs, measured) {
      tick();
      accounting.sent(seq, measured);
      series.count('sent');
      series.record('sendDelay', sentUs - intendedUs, measured);
    },
    onAcked(seq, intendedUs, sentUs, ackUs, result, _partitionKey, measured) {
      tick();
      accounting.acked(seq, measured);
      series.count('acked');
      countSendAttempts(result.attempts);
      series.record('publish', ackUs - sentUs, measured);
      series.record('correctedPublish', ackUs - intendedUs, measured);
    },
    onFailed(seq, _intendedUs, error, measured) {
      tick();
      accounting.failed(seq, measured, error.code, error.message);
      series.count('failed');
      if (error.attempts !== undefined) countSendAttempts(error.attempts);
    },
    onConsumed(envelope, meta) {
      tick();
      if (envelope.runId !== runId) {
        accounting.foreignRecord();
        return;
      }
      const delivery = accounting.consumed(envelope.seq, meta.partitionKey, meta.redelivery === true);
      iteratorAgeUsByShard.set(meta.shardId, Math.max(0, meta.receivedUs - meta.arrivalUs));
      if (delivery !== 'first') return;
      series.count('consumed');
      const measured = !warmupOf(envelope.seq);
      series.record('endToEnd', meta.receivedUs - envelope.intendedAtUs, measured);
      series.record('producerToStream', meta.arrivalUs - envelope.intendedAtUs, measured);
      series.record('streamToConsumer', meta.receivedUs - meta.arrivalUs, measured);
    },
    onConsumedData(data, meta) {
      const envelope = decodeEnvelope(data);
      if (envelope === undefined) accounting.foreignRecord();
      else recorder.onConsumed(envelope, meta);
    },
    onSettledElsewhere(acked, failed) {
      tick();
      for (let i = 0; i < acked.length; i++) accounting.acked(acked[i] as number, true);
      for (const f of failed) accounting.failed(f.seq, true, f.code, f.message);
    },
    onProducerMetrics(snapshot) {
      producerSnapshot = snapshot;
    },
    live() {
      tick();
      const nowUs = now();
      return buildLiveSnapshot({
        nowUs,
        startedAtUs,
        counters: accounting.counters,
        current: series.current(nowUs),
        previous: series.samples.at(-1),
        throttledAttempts: attempts.throttledAttempts,
        latency: liveLatency(series.liveTotal('publish'), series.liveTotal('endToEnd')),
        iteratorAgeUsByShard,
      });
    },
    counts() {
      tick();
      return runCounts(accounting.counters, iteratorAgeUsByShard);
    },
    finish(extra = {}) {
      const endedAtUs = now();
      const accountingReport = accounting.report();
      series.finish(endedAtUs, accountingReport.acked - accountingReport.consumed);
      const result: RunResult = {
        schemaVersion: 1,
        runId,
        startedAtUs,
        endedAtUs,
        durationMs: Math.round((endedAtUs - startedAtUs) / 1000),
        meta: extra.meta ?? {},
        rates: ratesOver(accountingReport, startedAtUs, endedAtUs),
        latency: mapHistograms((h) => summarize(h.histogram)),
        clamped: mapHistograms((h) => ({ low: h.clampedLow, high: h.clampedHigh })),
        throttling: {
          ...attempts,
          throttledPercent:
            attempts.attempts === 0 ? 0 : Math.round((attempts.throttledAttempts / attempts.attempts) * 1e6) / 1e4,
        },
        accounting: accountingReport,
        intervals: series.samples,
        histograms: mapHistograms((h) => encodeHistogram(h.histogram)),
      };
      if (producerSnapshot !== undefined) result.producer = producerSnapshot;
      if (extra.consumer !== undefined) result.consumer = extra.consumer;
      return result;
    },
  };

  function countSendAttempts(list: readonly unknown[]): void {
    // Called for every ack: no result object per call (a record's attempts list is usually one entry).
    const throttled = countThrottled(list);
    attempts.attempts += list.length;
    attempts.throttledAttempts += throttled;
    if (throttled > 0) series.count('throttled', throttled);
  }

  function mapHistograms<T>(f: (h: LatencyHistogram) => T): Record<HistogramName, T> {
    return Object.fromEntries(HISTOGRAM_NAMES.map((n) => [n, f(series.totals[n])])) as Record<HistogramName, T>;
  }

  return recorder;
}

/**
 * One part's result from its two halves, measured in different threads: the producer side (a
 * worker thread's recorder: scheduled, sent, acked, failed, send delay, publish latency,
 * throttling, the producer's metrics) and the consumer side (the main thread's recorder for that
 * part's run id: consumption, loss, duplicates, order, end-to-end latency).
 *
 * Invariants: each field comes from the one half that measured it, never from a sum of both, so
 * nothing is counted twice; the consumer side must have been told every ack and failure
 * (`onSettledElsewhere`), which makes its lost, consumedNotAcked and failedButConsumed exact; the
 * interval series add (each half counts its own events) with the backlog from the consumer side.
 */
import { HISTOGRAM_NAMES, ratesOver, type HistogramName, type RunResult } from '../metrics/run-result.js';
import { mergeIntervals, type MergedIntervalSample } from './merge-intervals.js';

/** Histograms the producing thread records; the others are the consumer's. */
const PRODUCER_HISTOGRAMS: ReadonlySet<HistogramName> = new Set(['sendDelay', 'publish', 'correctedPublish']);

export function combineSides(producer: RunResult, consumer: RunResult): RunResult {
  const startedAtUs = Math.min(producer.startedAtUs, consumer.startedAtUs);
  const endedAtUs = Math.max(producer.endedAtUs, consumer.endedAtUs);
  const pick = <T>(f: (side: RunResult, name: HistogramName) => T): Record<HistogramName, T> =>
    Object.fromEntries(HISTOGRAM_NAMES.map((n) => [n, f(PRODUCER_HISTOGRAMS.has(n) ? producer : consumer, n)])) as Record<HistogramName, T>;
  const p = producer.accounting;
  const accounting = { ...consumer.accounting, scheduled: p.scheduled, sent: p.sent, unresolved: p.unresolved, warmup: p.warmup, failedByReason: p.failedByReason };
  // The producer side never sees a consumption, so its backlog would be every ack.
  const producerIntervals = producer.intervals.map((sample) => ({ ...sample, backlog: 0 }));
  const result: RunResult = {
    schemaVersion: 1,
    runId: producer.runId,
    startedAtUs,
    endedAtUs,
    durationMs: Math.round((endedAtUs - startedAtUs) / 1000),
    meta: producer.meta,
    rates: ratesOver(accounting, startedAtUs, endedAtUs),
    latency: pick((side, n) => side.latency[n]),
    clamped: pick((side, n) => side.clamped[n]),
    throttling: producer.throttling,
    accounting,
    intervals: mergeIntervals([producerIntervals as MergedIntervalSample[], consumer.intervals as MergedIntervalSample[]], startedAtUs),
    histograms: pick((side, n) => side.histograms[n]),
  };
  if (producer.producer !== undefined) result.producer = producer.producer;
  return result;
}

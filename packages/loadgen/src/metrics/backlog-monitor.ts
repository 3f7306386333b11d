/**
 * Backlog mode (`consumer.backlog`): the consumer waits until N acked records are waiting in the
 * stream (or the phases end), then starts at TRIM_HORIZON; this module measures how fast that
 * backlog drains and when the consumer has caught up.
 *
 * Invariants:
 * - The drain ends when the consumer has read as many distinct records of this run as were waiting
 *   when it started (it reads each shard oldest first, so that is when the backlog is gone);
 *   the drain rate is those records (and their bytes) over that time: 200,000 records of 1 KB in
 *   8 s drain at 25,000 records/s and 25.6 MB/s (MB = 10⁶ bytes).
 * - Caught up is the first observation after the drain with an IteratorAge below
 *   CAUGHT_UP_ITERATOR_AGE_MS (a reader about one poll behind the stream), or with nothing of this
 *   run left unread — whichever comes first.
 * - Times come from the injected clock (µs); nothing here reads the wall clock.
 */

/** IteratorAge below which a consumer counts as caught up: about one idle poll (1 s). */
export const CAUGHT_UP_ITERATOR_AGE_MS = 1_000;

/** The `backlog` section of result.json. */
export interface BacklogReport {
  /** The `consumer.backlog.records` asked for. */
  targetRecords: number;
  /** Why the consumer started: the backlog was reached, or the phases ended first. */
  startedBecause: 'records' | 'phasesEnded';
  /** Acked records of this run waiting in the stream when the consumer started. */
  recordsAtStart: number;
  /** From the start of sending to the start of the consumer. */
  waitedMs: number;
  /** From the consumer's start until it had read `recordsAtStart` records; null if it never did. */
  drainMs: number | null;
  drainRecordsPerSec: number | null;
  /** MB (10⁶ bytes) of record data per second during the drain. */
  drainMBPerSec: number | null;
  /** The largest IteratorAge the consumer reported (its peak is at the start of the drain). */
  maxIteratorAgeMs: number;
  /** From the consumer's start until it caught up (see CAUGHT_UP_ITERATOR_AGE_MS); null if it never did. */
  catchUpMs: number | null;
}

export interface BacklogObservation {
  /** Distinct records of this run consumed so far. */
  consumed: number;
  /** Acked, not yet consumed. */
  backlog: number;
  /** The largest current IteratorAge over shards, ms. */
  iteratorAgeMs: number;
}

export interface BacklogMonitor {
  /** The consumer starts now, with `recordsAtStart` acked records waiting. */
  start(recordsAtStart: number, startedBecause: BacklogReport['startedBecause']): void;
  readonly started: boolean;
  /** Bytes of record data delivered for the first time (call per delivered record). */
  onBytes(bytes: number): void;
  observe(observation: BacklogObservation): void;
  report(maxIteratorAgeMs: number): BacklogReport;
}

export function createBacklogMonitor(targetRecords: number, sendingStartUs: number, now: () => number): BacklogMonitor {
  let startUs: number | undefined;
  let startedBecause: BacklogReport['startedBecause'] = 'records';
  let recordsAtStart = 0;
  let bytes = 0;
  /** When the records waiting at the start were consumed; `bytes` stops growing then. */
  let drainedAtUs: number | undefined;
  let caughtUpAtUs: number | undefined;
  const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
  return {
    start(records, because) {
      startUs = now();
      recordsAtStart = records;
      startedBecause = because;
    },
    get started() {
      return startUs !== undefined;
    },
    onBytes(n) {
      if (startUs !== undefined && drainedAtUs === undefined) bytes += n;
    },
    observe({ consumed, backlog, iteratorAgeMs }) {
      if (startUs === undefined) return;
      const t = now();
      if (drainedAtUs === undefined && consumed >= recordsAtStart) drainedAtUs = t;
      if (drainedAtUs !== undefined && caughtUpAtUs === undefined && (iteratorAgeMs < CAUGHT_UP_ITERATOR_AGE_MS || backlog === 0)) caughtUpAtUs = t;
    },
    report(maxIteratorAgeMs) {
      const drainUs = drainedAtUs === undefined || startUs === undefined ? undefined : Math.max(drainedAtUs - startUs, 1);
      return {
        targetRecords,
        startedBecause,
        recordsAtStart,
        waitedMs: startUs === undefined ? 0 : Math.round((startUs - sendingStartUs) / 1000),
        drainMs: drainUs === undefined ? null : round(drainUs / 1000, 1),
        drainRecordsPerSec: drainUs === undefined ? null : round(recordsAtStart / (drainUs / 1e6), 1),
        drainMBPerSec: drainUs === undefined ? null : round(bytes / 1e6 / (drainUs / 1e6), 3),
        maxIteratorAgeMs,
        catchUpMs: caughtUpAtUs === undefined || startUs === undefined ? null : round((caughtUpAtUs - startUs) / 1000, 1),
      };
    },
  };
}

/**
 * The one place where a user record's promise is resolved or rejected (or its callback called).
 *
 * Invariants: every pending record settles exactly once. A second settle of the same record is a
 * bug in the pipeline; it is ignored here (and counted) rather than resolving a promise twice. A
 * user callback that throws cannot leave the producer half-way through a response: the error is
 * caught here and thrown again on the next tick, where it surfaces as an uncaught exception, as an
 * exception thrown by a callback of Node's own APIs does.
 *
 * Records settle one by one (a PendingRecord) or as the rest of a run (a RecordRun, in order — the
 * common case: every record of an answered Kinesis record at once, with one buffer release).
 */
import type { PendingRecord, PutBatch, RecordRun } from './pending.js';
import { bufferBytesOf } from './pending.js';
import type { PutResult } from './types.js';

export interface SettleHooks {
  /** Called after each record settles (flush bookkeeping, metrics). */
  readonly onSettled: (batch: PutBatch, error: Error | undefined) => void;
  /** Called after records settle with what they held in the buffer (once per run or record). */
  readonly onReleased: (records: number, bytes: number) => void;
  readonly onDoubleSettle: () => void;
  /**
   * True while a put call is still running: a record refused on the spot (full buffer, routing
   * failure, stream not found) is then settled on a microtask, so a callback never runs before
   * the call that handed it over has returned.
   */
  readonly admitting: () => boolean;
  /** Receives what a user callback threw. @default thrown again on the next tick */
  readonly onCallbackError?: (error: unknown) => void;
}

function throwOnNextTick(error: unknown): void {
  process.nextTick(() => {
    throw error;
  });
}

/** Buffer bytes of a run's records from `from` on. */
function runBytesFrom(run: RecordRun, from: number): number {
  if (from === 0) return run.bufferBytes;
  let bytes = 0;
  for (let i = from; i < run.count; i++) bytes += run.bufferBytesAt(i);
  return bytes;
}

export function createSettle(hooks: SettleHooks) {
  const onCallbackError = hooks.onCallbackError ?? throwOnNextTick;
  const invoke = (batch: PutBatch, error: Error | undefined, result: PutResult | undefined, index: number): void => {
    try {
      batch.settle(error, result, index);
    } catch (thrown) {
      onCallbackError(thrown);
    }
  };
  // The deferred form is a function of its own: a closure written inside `call` would have V8
  // allocate its context on every call, once per settled record.
  const defer = (batch: PutBatch, error: Error | undefined, result: PutResult | undefined, index: number): void => {
    queueMicrotask(() => invoke(batch, error, result, index));
  };
  const call = (batch: PutBatch, error: Error | undefined, result: PutResult | undefined, index: number): void => {
    if (hooks.admitting()) defer(batch, error, result, index);
    else invoke(batch, error, result, index);
  };
  const one = (record: PendingRecord, error: Error | undefined, result: PutResult | undefined): void => {
    if (record.settled) return hooks.onDoubleSettle();
    record.settled = true;
    call(record.batch, error, result, record.index);
    hooks.onSettled(record.batch, error);
    hooks.onReleased(1, bufferBytesOf(record));
  };
  /** Settles the run's unsettled records in order; `outcome(i)` gives record i's result or error. */
  const rest = (run: RecordRun, error: ((i: number) => Error) | undefined, result: ((i: number) => PutResult) | undefined): void => {
    const from = run.settled;
    const count = run.count;
    if (from >= count) return;
    const bytes = runBytesFrom(run, from);
    try {
      for (let i = from; i < count; i++) {
        // Built before the record counts as settled: if building throws (a bug), the caller's
        // fallback can still reject this record and the ones after it.
        const e = error?.(i);
        const r = e === undefined ? result?.(i) : undefined;
        run.settled = i + 1;
        const batch = run.batchAt(i);
        call(batch, e, r, run.indexAt(i));
        hooks.onSettled(batch, e);
      }
    } finally {
      const settled = run.settled - from;
      if (settled > 0) hooks.onReleased(settled, bytes - runBytesFrom(run, run.settled));
    }
  };
  return {
    resolve(record: PendingRecord, result: PutResult): void {
      one(record, undefined, result);
    },
    reject(record: PendingRecord, error: Error): void {
      one(record, error, undefined);
    },
    /** Rejects a record that was never admitted (full buffer): no hooks, it held nothing. */
    refuse(record: PendingRecord, error: Error): void {
      if (record.settled) return hooks.onDoubleSettle();
      record.settled = true;
      call(record.batch, error, undefined, record.index);
    },
    /** Resolves the run's unsettled records, record i with `resultOf(i)`. */
    resolveRun(run: RecordRun, resultOf: (i: number) => PutResult): void {
      rest(run, undefined, resultOf);
    },
    /** Rejects the run's unsettled records, record i with `errorOf(i)`. */
    rejectRun(run: RecordRun, errorOf: (i: number) => Error): void {
      rest(run, errorOf, undefined);
    },
  };
}
export type Settle = ReturnType<typeof createSettle>;

/**
 * The one place where a user record's promise is resolved or rejected (or its callback called).
 *
 * Invariants: every pending record settles exactly once. A second settle of the same record is a
 * bug in the pipeline; it is ignored here (and counted) rather than resolving a promise twice. A
 * user callback that throws cannot leave the producer half-way through a response: the error is
 * caught here and thrown again on the next tick, where it surfaces as an uncaught exception, as an
 * exception thrown by a callback of Node's own APIs does.
 */
import type { PendingRecord, Settler } from './pending.js';
import type { PutResult } from './types.js';

export interface SettleHooks {
  /** Called after a record settles (buffer release, flush bookkeeping, metrics). */
  readonly onSettled: (record: PendingRecord, error: Error | undefined) => void;
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

export function createSettle(hooks: SettleHooks) {
  const onCallbackError = hooks.onCallbackError ?? throwOnNextTick;
  const invoke = (settle: Settler, error: Error | undefined, result: PutResult | undefined, index: number): void => {
    try {
      settle(error, result, index);
    } catch (thrown) {
      onCallbackError(thrown);
    }
  };
  const call = (settle: Settler, error: Error | undefined, result: PutResult | undefined, index: number): void => {
    if (hooks.admitting()) queueMicrotask(() => invoke(settle, error, result, index));
    else invoke(settle, error, result, index);
  };
  return {
    resolve(record: PendingRecord, result: PutResult): void {
      if (record.settled) return hooks.onDoubleSettle();
      record.settled = true;
      call(record.batch.settle, undefined, result, record.index);
      hooks.onSettled(record, undefined);
    },
    reject(record: PendingRecord, error: Error): void {
      if (record.settled) return hooks.onDoubleSettle();
      record.settled = true;
      call(record.batch.settle, error, undefined, record.index);
      hooks.onSettled(record, error);
    },
    /** Rejects a record that was never admitted (full buffer): no `onSettled`, it held nothing. */
    refuse(record: PendingRecord, error: Error): void {
      if (record.settled) return hooks.onDoubleSettle();
      record.settled = true;
      call(record.batch.settle, error, undefined, record.index);
    },
  };
}
export type Settle = ReturnType<typeof createSettle>;

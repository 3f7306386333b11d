/**
 * The one place where a user record's promise is resolved or rejected.
 *
 * Invariant: every pending record settles exactly once. A second settle of the same record is a
 * bug in the pipeline; it is ignored here (and counted) rather than resolving a promise twice.
 */
import type { PendingRecord } from './pending.js';
import type { PutResult } from './types.js';

export interface SettleHooks {
  /** Called after a record settles (buffer release, flush bookkeeping, metrics). */
  readonly onSettled: (record: PendingRecord, error: Error | undefined) => void;
  readonly onDoubleSettle: () => void;
}

export function createSettle(hooks: SettleHooks) {
  return {
    resolve(record: PendingRecord, result: PutResult): void {
      if (record.settled) return hooks.onDoubleSettle();
      record.settled = true;
      record.batch.settle(record.index, undefined, result);
      hooks.onSettled(record, undefined);
    },
    reject(record: PendingRecord, error: Error): void {
      if (record.settled) return hooks.onDoubleSettle();
      record.settled = true;
      record.batch.settle(record.index, error, undefined);
      hooks.onSettled(record, error);
    },
  };
}
export type Settle = ReturnType<typeof createSettle>;

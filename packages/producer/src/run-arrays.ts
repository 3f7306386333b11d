/**
 * The per-record arrays of `RecordRun`s (pending.ts), reused from one run to the next.
 *
 * A run's arrays live as long as its records wait — linger, request, response — so a new set per
 * run outlives young-generation GCs and is promoted: the old generation then grows by ~40 bytes
 * per record until the next full GC, and each growth maps fresh pages (a page fault per 4 KiB).
 * Reused sets are promoted once. Measured on the encode path, alternating processes
 * (docs/benchmarks.md): young-generation GCs over 11 rounds 81–84 → 46, system time 0.079 →
 * 0.016 µs per record, CPU 1.05 → 0.87 µs per record.
 *
 * Invariants:
 * - a set is given back only when no run reads it again (every record settled or taken out);
 * - a set given back holds no reference to a user record, batch or payload (cleared first), so
 *   the pool keeps no user data alive;
 * - the pool holds at most `maxSlots` array slots in all (the producer passes
 *   `maxBufferedRecords`: never more than a full buffer's records had in use at once).
 */
import type { PutBatch } from './pending.js';
import type { UserRecord } from './types.js';

/** Records 1…count−1 of a run, at [i] (record 0 lives in fields of the run). */
export interface RunArrays {
  readonly users: UserRecord[];
  readonly batches: PutBatch[];
  /** Position of each record in its batch. */
  readonly indexes: number[];
  /** Payload of each record (a string's UTF-8 encoding). */
  readonly datas: Uint8Array[];
  /** The user's partition key of each record (see PendingRecord.userKey). */
  readonly keys: (string | undefined)[];
}

/** A new set, holey and `capacity` long (it grows past that if a run needs it). */
export function newRunArrays(capacity: number): RunArrays {
  return {
    users: new Array<UserRecord>(capacity),
    batches: new Array<PutBatch>(capacity),
    indexes: new Array<number>(capacity),
    datas: new Array<Uint8Array>(capacity),
    keys: new Array<string | undefined>(capacity),
  };
}

export class RunArraysPool {
  readonly #maxSlots: number;
  readonly #free: RunArrays[] = [];
  #slots = 0;

  /** `maxSlots`: array slots (records) the free sets may hold in all. */
  constructor(maxSlots: number) {
    this.#maxSlots = maxSlots;
  }

  /** Slots held by free sets (for tests). */
  get freeSlots(): number {
    return this.#slots;
  }

  /** A free set, or a new one of `capacity` slots. */
  take(capacity: number): RunArrays {
    const arrays = this.#free.pop();
    if (arrays === undefined) return newRunArrays(capacity);
    this.#slots -= arrays.users.length;
    return arrays;
  }

  /** Takes back a set whose slots below `used` were written; kept if the pool has room. */
  give(arrays: RunArrays, used: number): void {
    const slots = arrays.users.length;
    if (this.#slots + slots > this.#maxSlots) return;
    arrays.users.fill(undefined as unknown as UserRecord, 0, used);
    arrays.batches.fill(undefined as unknown as PutBatch, 0, used);
    arrays.datas.fill(undefined as unknown as Uint8Array, 0, used);
    arrays.keys.fill(undefined, 0, used);
    this.#slots += slots;
    this.#free.push(arrays);
  }
}

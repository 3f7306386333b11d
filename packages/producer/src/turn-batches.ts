/**
 * Batch sharing within one synchronous turn, for the put forms that settle record by record
 * (`putWithCallback`, see callback-batches.ts; `put`, see promise-batches.ts): consecutive calls
 * in one turn and one flush generation share a batch, up to `maxRecords` calls, so a caller
 * putting records one by one pays for no batch object and no clock read per record (a clock read
 * costs ~50 ns here: 5% of `putWithCallback`'s encode path, ~1% of `put`'s).
 *
 * Invariant: a shared batch's put time is its first call's, so a record's put time is early by
 * the time since that call, within one synchronous turn (whatever ran in between, for at most
 * `maxRecords − 1` calls). A microtask queued with the first batch of a turn ends the sharing when
 * the turn ends; a new flush generation ends it at once.
 */
import { createPutBatch, type PutBatch, type Settler } from './pending.js';

export interface TurnBatchesOptions {
  /** Clock in epoch milliseconds. */
  readonly now: () => number;
  readonly recordTtlMs: number;
  /** @default 64 */
  readonly maxRecords?: number;
  /** @default queueMicrotask */
  readonly atTurnEnd?: (task: () => void) => void;
}

export class TurnBatches {
  readonly #now: () => number;
  readonly #ttlMs: number;
  readonly #maxRecords: number;
  readonly #atTurnEnd: (task: () => void) => void;
  #current: PutBatch | undefined = undefined;
  #records = 0;
  // A bound method made once: a closure per turn would be allocated on the hot path.
  readonly #endTurn = (): void => {
    this.#current = undefined;
  };

  constructor(options: TurnBatchesOptions) {
    this.#now = options.now;
    this.#ttlMs = options.recordTtlMs;
    this.#maxRecords = options.maxRecords ?? 64;
    this.#atTurnEnd = options.atTurnEnd ?? queueMicrotask;
  }

  /** This turn's batch, if it can take one more record of flush generation `epoch`. */
  shareable(epoch: number): PutBatch | undefined {
    const current = this.#current;
    return current !== undefined && current.epoch === epoch && this.#records < this.#maxRecords ? current : undefined;
  }

  /** Counts one more record on `batch`, which `shareable` just returned. */
  take(batch: PutBatch): PutBatch {
    this.#records++;
    return batch;
  }

  /** A new batch, put now, settled by `settle`, holding its first record. */
  start(settle: Settler, epoch: number): PutBatch {
    // The clock first: if it throws, the current batch and its count stay as they were.
    const batch = createPutBatch(settle, this.#now(), this.#ttlMs, epoch);
    // A current batch means this turn's end is already queued (both end together).
    if (this.#current === undefined) this.#atTurnEnd(this.#endTurn);
    this.#records = 1;
    return (this.#current = batch);
  }

  /** Records in the current batch: the last record's index in it is `records − 1`. */
  get records(): number {
    return this.#records;
  }
}

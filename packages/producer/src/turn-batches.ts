/**
 * Batch sharing within one synchronous turn, for the put forms that settle record by record
 * (`putWithCallback`, see callback-batches.ts; `put`, see promise-batches.ts): consecutive calls
 * in one turn and one flush generation share a batch, up to `maxRecords` calls, so a caller
 * putting records one by one pays for no batch object and no clock read per record (a clock read
 * costs ~50 ns here, 5% of the encode path).
 *
 * Invariant: a shared batch's put time is its first call's, so a record's put time is early by at
 * most the time its caller took for the `maxRecords − 1` calls before it, within one turn. A
 * microtask queued with the first batch of a turn ends the sharing when the turn ends.
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
    // A current batch means this turn's end is already queued (both end together).
    if (this.#current === undefined) this.#atTurnEnd(this.#endTurn);
    this.#records = 1;
    return (this.#current = createPutBatch(settle, this.#now(), this.#ttlMs, epoch));
  }

  /** Records in the current batch: the last record's index in it is `records − 1`. */
  get records(): number {
    return this.#records;
  }
}

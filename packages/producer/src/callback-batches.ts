/**
 * The batches `putWithCallback` records share: consecutive calls with the same callback share a
 * batch within a turn (see turn-batches.ts for the sharing and its bounds). The callback is the
 * batch's settler, used as it is.
 */
import type { PutBatch, Settler } from './pending.js';
import { TurnBatches, type TurnBatchesOptions } from './turn-batches.js';

export type CallbackBatchesOptions = TurnBatchesOptions;

export class CallbackBatches {
  readonly #turns: TurnBatches;

  constructor(options: CallbackBatchesOptions) {
    this.#turns = new TurnBatches(options);
  }

  /** The batch for one more call with `callback` in flush generation `epoch`. */
  batchFor(callback: Settler, epoch: number): PutBatch {
    const shared = this.#turns.shareable(epoch);
    if (shared !== undefined && shared.settle === callback) return this.#turns.take(shared);
    return this.#turns.start(callback, epoch);
  }
}

/**
 * The batches `put` records share: consecutive `put` calls share a batch within a turn (see
 * turn-batches.ts for the sharing and its bounds), so a caller putting records one by one pays
 * for no batch object and no clock read per record, only for its promise. Measured here, a batch
 * object per `put` (with its two boxed times), kept alive until settlement, cost ~0.8 µs of CPU
 * per record, most of it in garbage collection, on top of ~2.2 µs for the promise itself.
 *
 * Invariant: record i of a batch settles through its own promise's resolvers, kept at 2i and
 * 2i + 1 of the batch's list and dropped once called, so a settled promise's resolvers are not
 * kept alive by the records still pending beside it.
 */
import type { PutBatch, Settler } from './pending.js';
import { TurnBatches, type TurnBatchesOptions } from './turn-batches.js';
import type { PutResult } from './types.js';

export type PromiseBatchesOptions = TurnBatchesOptions;

type Resolver = ((result: PutResult) => void) | ((error: Error) => void);

/**
 * A batch's settler: record i settles through resolvers 2i (resolve) and 2i + 1 (reject). A second
 * settle of one record (a bug, caught and counted before it gets here, see settle.ts) finds them
 * gone and does nothing, as a second resolve of a promise does.
 */
function promiseSettler(resolvers: (Resolver | undefined)[]): Settler {
  return (error, result, index) => {
    const at = 2 * index;
    const resolve = resolvers[at] as ((result: PutResult) => void) | undefined;
    const reject = resolvers[at + 1] as ((error: Error) => void) | undefined;
    if (resolve === undefined || reject === undefined) return;
    resolvers[at] = undefined;
    resolvers[at + 1] = undefined;
    if (error === undefined) resolve(result as PutResult);
    else reject(error);
  };
}

export class PromiseBatches {
  readonly #turns: TurnBatches;
  /** The current batch's resolvers, two per record. */
  #resolvers: (Resolver | undefined)[] = [];

  constructor(options: PromiseBatchesOptions) {
    this.#turns = new TurnBatches(options);
  }

  /**
   * The batch for one more `put` in flush generation `epoch`, its promise settled by `resolve` or
   * `reject`; the record's index in that batch is then `index`.
   */
  batchFor(resolve: (result: PutResult) => void, reject: (error: Error) => void, epoch: number): PutBatch {
    const shared = this.#turns.shareable(epoch);
    let batch: PutBatch;
    if (shared !== undefined) {
      batch = this.#turns.take(shared);
    } else {
      // Kept only once the batch exists: if starting it throws, the current pair stays intact.
      const resolvers: (Resolver | undefined)[] = [];
      batch = this.#turns.start(promiseSettler(resolvers), epoch);
      this.#resolvers = resolvers;
    }
    this.#resolvers.push(resolve, reject);
    return batch;
  }

  /** Index in its batch of the record `batchFor` was last asked about. */
  get index(): number {
    return this.#turns.records - 1;
  }
}

import { createPutBatch, type PendingRecord } from '../src/pending.js';

/**
 * A routed record as the producer's internals hold it (accumulator, runs, settling): key
 * `key-<id>` unless given, `dataBytes` (default 10) bytes of `id % 256`, index `id`, put at 1,000 + id ms and
 * due 30 s later, in a batch of its own.
 */
export function pendingRecord(id: number, dataBytes = 10, partitionKey = `key-${id}`): PendingRecord {
  return {
    user: { data: '', partitionKey },
    userKey: partitionKey,
    userExplicitHashKey: undefined,
    data: new Uint8Array(dataBytes).fill(id % 256),
    partitionKey,
    explicitHashKey: undefined,
    hashKey: BigInt(id),
    partitionKeyBytes: partitionKey.length,
    keySlot: undefined,
    batch: createPutBatch(() => undefined, 1_000 + id, 30_000, 0),
    priorAttempts: undefined,
    index: id,
    settled: false,
  };
}

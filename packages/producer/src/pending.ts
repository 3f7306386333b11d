/**
 * The producer's internal units of work.
 *
 * A `PutBatch` is what the records of one `put`/`putMany` call share: how they settle, when they
 * were put, when they expire, their flush generation. A `PendingRecord` is one user record from
 * admission until its promise settles; it holds only what differs per record, because up to
 * `rate × lingerMs` of them live at once (50,000 at 1 M records/s) and every field of a record that
 * outlives a young-generation GC is copied by it. A `KinesisEntry` is one Kinesis record on its way
 * out: a KPL aggregate of pending records that all hash into one shard, or a single record sent
 * raw. Entries are immutable once sealed except for their attempt history and retry time.
 */
import type { KeySlot } from './aggregation/index.js';
import type { Attempt, PutResult, UserRecord } from './types.js';

/**
 * Called exactly once per pending record (see settle.ts, the only caller), with the record's index
 * in its batch: the shape of `putWithCallback`'s callback, which is used as it is.
 */
export type Settler = (error: Error | undefined, result: PutResult | undefined, index: number) => void;

export interface PutBatch {
  readonly settle: Settler;
  readonly putAtMs: number;
  /** Epoch ms after which the records expire; Infinity when recordTtlMs is Infinity. */
  readonly deadlineMs: number;
  /** flush() generation the records belong to. */
  readonly epoch: number;
}

export interface PendingRecord {
  readonly user: UserRecord;
  readonly data: Uint8Array;
  /** Partition key sent with the record: the user's, or one the producer generated (keyless). */
  partitionKey: string;
  /** ExplicitHashKey sent with the record: the user's, or one the partitioner chose. */
  explicitHashKey: string | undefined;
  /** The 128-bit hash key Kinesis routes this record by. */
  hashKey: bigint;
  /** UTF-8 bytes of the partition key. */
  partitionKeyBytes: number;
  /** The key's slot in the aggregate key table, when the partitioner keeps one per distinct key. */
  keySlot: KeySlot | undefined;
  readonly batch: PutBatch;
  /** Attempts made by entries this record was in before it was re-routed. */
  priorAttempts: Attempt[] | undefined;
  /** Position in its batch (the index `batch.settle` is called with). */
  readonly index: number;
  settled: boolean;
}

/** Bytes a record holds in the buffer accountant: data + the user's partition key (none when keyless). */
export function bufferBytesOf(record: PendingRecord): number {
  return record.data.length + (record.user.partitionKey === undefined ? 0 : record.partitionKeyBytes);
}

export interface KinesisEntry {
  readonly shardId: string;
  readonly mapVersion: number;
  readonly data: Uint8Array;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  /** data + partition key bytes: what the shard's write limit counts. */
  readonly bytes: number;
  readonly records: PendingRecord[];
  readonly aggregated: boolean;
  readonly attempts: Attempt[];
  /** Earliest put time among its records (linger is measured from it). */
  readonly firstPutAtMs: number;
  /** Earliest deadline among its records. */
  readonly deadlineMs: number;
  /** Do not send before this time (retry backoff). */
  notBeforeMs: number;
  /** Failed attempts of this entry other than throttles (the shard's flow paces those), for backoff. */
  failures: number;
}

export function attemptsOf(record: PendingRecord, entry: KinesisEntry | undefined): Attempt[] {
  const own = entry?.attempts ?? [];
  return record.priorAttempts === undefined ? [...own] : [...record.priorAttempts, ...own];
}

/**
 * The producer's internal units of work.
 *
 * A `PendingRecord` is one user record from admission until its promise settles. A
 * `KinesisEntry` is one Kinesis record on its way out: a KPL aggregate of pending records that all
 * hash into one shard, or a single record sent raw. Entries are immutable once sealed except for
 * their attempt history and retry time.
 */
import type { Attempt, PutResult, UserRecord } from './types.js';

/** Called exactly once per pending record (see settle.ts, the only caller). */
export type Settler = (index: number, error: Error | undefined, result: PutResult | undefined) => void;

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
  /** Bytes this record holds in the buffer accountant (data + the user's partition key). */
  readonly bufferBytes: number;
  readonly putAtMs: number;
  /** Epoch ms after which the record expires; Infinity when recordTtlMs is Infinity. */
  readonly deadlineMs: number;
  /** Attempts made by entries this record was in before it was re-routed. */
  priorAttempts: Attempt[] | undefined;
  readonly settle: Settler;
  readonly index: number;
  /** flush() generation this record belongs to. */
  readonly epoch: number;
  settled: boolean;
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
  /** Consecutive failed attempts of this entry, for backoff. */
  failures: number;
}

export function attemptsOf(record: PendingRecord, entry: KinesisEntry | undefined): Attempt[] {
  const own = entry?.attempts ?? [];
  return record.priorAttempts === undefined ? [...own] : [...record.priorAttempts, ...own];
}

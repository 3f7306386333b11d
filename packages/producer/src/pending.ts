/**
 * The producer's internal units of work.
 *
 * A `PutBatch` is what the records of one `putMany` call, or of consecutive `put` or
 * `putWithCallback` calls in one turn, share: how they settle, when they were put, when they
 * expire, their flush generation. A `PendingRecord` is one user record on its
 * own: the draft being admitted (one reused object), or a record between routes (waiting for the
 * shard map or for buffer room, or being re-routed after a reshard or expiry). A `RecordRun` holds
 * the user records of one Kinesis record packed into parallel arrays: that is how a record waits in
 * a shard's buffer and travels in a request, because up to `rate × lingerMs` of them live at once
 * (50,000 at 1 M records/s) and an object per record costs its allocation and, for every
 * young-generation GC it outlives, a copy — four array slots cost neither. A `KinesisEntry` is one
 * Kinesis record on its way out: a KPL aggregate of a run whose records all hash into one shard, or
 * a single record sent raw. Entries are immutable once sealed except for their attempt history and
 * retry time.
 */
import { utf8Bytes } from './aggregation/kpl-format.js';
import type { KeyRoute } from './hash-key.js';
import type { Slab } from './output-slabs.js';
import type { RunArrays, RunArraysPool } from './run-arrays.js';
import type { Attempt, PutResult, UserRecord } from './types.js';

/**
 * Called exactly once per pending record (see settle.ts, the only caller), with the record's index
 * in its batch: the shape of `putWithCallback`'s callback, which is used as it is.
 */
export type Settler = (error: Error | undefined, result: PutResult | undefined, index: number) => void;

/**
 * What the records of one batch share: how they settle (a `putWithCallback` callback, a `putMany`
 * call's settler, or the settler of a turn's `put` calls, see promise-batches.ts), their put time
 * and their flush generation. Every batch is made by `createPutBatch`, so the settle path sees one
 * shape.
 */
export interface PutBatch {
  readonly settle: Settler;
  readonly putAtMs: number;
  /** Epoch ms after which the records expire; Infinity when recordTtlMs is Infinity. */
  readonly deadlineMs: number;
  /** flush() generation the records belong to. */
  readonly epoch: number;
}

/** A PutBatch; every batch is made here, so all have the one shape the settle path expects. */
export function createPutBatch(settle: Settler, putAtMs: number, recordTtlMs: number, epoch: number): PutBatch {
  return { settle, putAtMs, deadlineMs: putAtMs + recordTtlMs, epoch };
}

export interface PendingRecord {
  user: UserRecord;
  /**
   * The partition key and ExplicitHashKey the user gave, as validated at admission (undefined:
   * none). Kept here because the user's record object may be changed or reused after `put`.
   */
  userKey: string | undefined;
  userExplicitHashKey: string | undefined;
  data: Uint8Array;
  /** Partition key sent with the record: the user's, or one the producer generated (keyless). */
  partitionKey: string;
  /** ExplicitHashKey sent with the record: the user's, or one the partitioner chose. */
  explicitHashKey: string | undefined;
  /** The 128-bit hash key Kinesis routes this record by. */
  hashKey: bigint;
  /** UTF-8 bytes of the partition key. */
  partitionKeyBytes: number;
  /**
   * The key's cache entry when routed by MD5: its hash key, UTF-8 length and slot in the aggregate
   * key table. Set before routing by a caller that looked it up already, else by the partitioner.
   */
  keySlot: KeyRoute | undefined;
  batch: PutBatch;
  /** Attempts made by entries this record was in before it was re-routed. */
  priorAttempts: Attempt[] | undefined;
  /** Position in its batch (the index `batch.settle` is called with). */
  index: number;
  settled: boolean;
}

/**
 * The user records of one Kinesis record, in order (record i gets subSequenceNumber i). Records
 * settle in order, so one counter says which have: [0, settled) have, [settled, count) have not.
 * A run whose records are taken out as PendingRecords (re-routing) counts them all as settled here:
 * from then on each settles on its own.
 *
 * Record 0 lives in fields of the run and the arrays are made for a second record: a record sent
 * raw (aggregation off, or too large) is one object here, not an object and four arrays.
 */
export class RecordRun {
  count = 0;
  settled = 0;
  #user0: UserRecord | undefined = undefined;
  #batch0: PutBatch | undefined = undefined;
  #index0 = 0;
  #data0: Uint8Array | undefined = undefined;
  #key0: string | undefined = undefined;
  /** Records 1…count−1; undefined until a second record comes, and again once given back. */
  #arrays: RunArrays | undefined = undefined;
  /** Where the arrays come from and go back to (a pool of 0 slots keeps none). */
  readonly #pool: RunArraysPool;
  /** The user's ExplicitHashKey per record; created only for a run holding one. */
  #explicitHashKeys: (string | undefined)[] | undefined = undefined;
  readonly #capacity: number;
  /** Attempts made before a re-route, per record; created only for a run holding such a record. */
  priorAttempts: (Attempt[] | undefined)[] | undefined = undefined;
  /** Bytes the records hold in the buffer accountant (see `bufferBytesOf`). */
  bufferBytes = 0;
  /** Earliest put time among the records (linger is measured from it). */
  firstPutAtMs = Infinity;
  /** Earliest deadline among the records. */
  deadlineMs = Infinity;
  /** Routing of record 0, which an aggregate is sent with. */
  firstPartitionKey = '';
  firstPartitionKeyBytes = 0;
  firstExplicitHashKey: string | undefined = undefined;
  firstHashKey = 0n;

  /** `capacity`: expected records (the previous run's count); arrays grow past it if needed. */
  constructor(capacity: number, pool: RunArraysPool) {
    this.#capacity = capacity;
    this.#pool = pool;
  }

  /** Appends a routed record (copies its fields; the record object is not kept). */
  push(record: PendingRecord): void {
    const i = this.count++;
    const batch = record.batch;
    if (i === 0) {
      this.firstPartitionKey = record.partitionKey;
      this.firstPartitionKeyBytes = record.partitionKeyBytes;
      this.firstExplicitHashKey = record.explicitHashKey;
      this.firstHashKey = record.hashKey;
      this.#user0 = record.user;
      this.#batch0 = batch;
      this.#index0 = record.index;
      this.#data0 = record.data;
      this.#key0 = record.userKey;
    } else {
      const arrays = (this.#arrays ??= this.#newArrays());
      arrays.users[i] = record.user;
      arrays.batches[i] = batch;
      arrays.indexes[i] = record.index;
      arrays.datas[i] = record.data;
      arrays.keys[i] = record.userKey;
    }
    if (record.userExplicitHashKey !== undefined) (this.#explicitHashKeys ??= [])[i] = record.userExplicitHashKey;
    if (record.priorAttempts !== undefined) (this.priorAttempts ??= [])[i] = record.priorAttempts;
    this.bufferBytes += bufferBytesOf(record);
    if (batch.putAtMs < this.firstPutAtMs) this.firstPutAtMs = batch.putAtMs;
    if (batch.deadlineMs < this.deadlineMs) this.deadlineMs = batch.deadlineMs;
  }

  /** Arrays for records 1…, sized for the expected count (a free set of the pool's, or new). */
  #newArrays(): RunArrays {
    return this.#pool.take(Math.max(2, this.#capacity));
  }

  userAt(i: number): UserRecord {
    return (i === 0 ? this.#user0 : (this.#arrays as RunArrays).users[i]) as UserRecord;
  }
  batchAt(i: number): PutBatch {
    return (i === 0 ? this.#batch0 : (this.#arrays as RunArrays).batches[i]) as PutBatch;
  }
  /** Record i's index in its batch. */
  indexAt(i: number): number {
    return (i === 0 ? this.#index0 : (this.#arrays as RunArrays).indexes[i]) as number;
  }
  dataAt(i: number): Uint8Array {
    return (i === 0 ? this.#data0 : (this.#arrays as RunArrays).datas[i]) as Uint8Array;
  }
  /** The partition key the user gave record i (undefined: keyless). */
  keyAt(i: number): string | undefined {
    return i === 0 ? this.#key0 : (this.#arrays as RunArrays).keys[i];
  }

  /** Attempts record i has made: its own before a re-route, then `attempts` (shared when none). */
  attemptsOf(i: number, attempts: Attempt[]): Attempt[] {
    const prior = this.priorAttempts?.[i];
    return prior === undefined ? attempts : [...prior, ...attempts];
  }

  /** Bytes record i holds in the buffer accountant. */
  bufferBytesAt(i: number): number {
    const key = this.keyAt(i);
    return this.dataAt(i).length + (key === undefined ? 0 : utf8Bytes(key));
  }

  /**
   * Takes the unsettled records out as PendingRecords for re-routing, with `attempts` added to
   * their history; the run then counts them as settled (each settles on its own from now on).
   * Routing fields are left for the next route to fill, but for a user's own explicit hash key.
   */
  take(attempts: readonly Attempt[]): PendingRecord[] {
    const out: PendingRecord[] = [];
    for (let i = this.settled; i < this.count; i++) {
      const prior = this.priorAttempts?.[i];
      const key = this.keyAt(i);
      const explicitHashKey = this.#explicitHashKeys?.[i];
      out.push({
        user: this.userAt(i),
        userKey: key,
        userExplicitHashKey: explicitHashKey,
        data: this.dataAt(i),
        partitionKey: key ?? '',
        explicitHashKey,
        hashKey: explicitHashKey === undefined ? 0n : BigInt(explicitHashKey),
        partitionKeyBytes: key === undefined ? 0 : utf8Bytes(key),
        keySlot: undefined,
        batch: this.batchAt(i),
        index: this.indexAt(i),
        priorAttempts: attempts.length === 0 ? prior : [...(prior ?? []), ...attempts],
        settled: false,
      });
    }
    this.settled = this.count;
    return out;
  }

  /**
   * Gives the arrays back to the pool once every record has settled or been taken out: nothing
   * reads records 1…count−1 of a done run again. A run not done keeps them.
   */
  recycle(): void {
    const arrays = this.#arrays;
    if (arrays === undefined || this.settled < this.count) return;
    this.#arrays = undefined;
    this.#pool.give(arrays, this.count);
  }
}

/** Bytes a record holds in the buffer accountant: data + the user's partition key (none when keyless). */
export function bufferBytesOf(record: PendingRecord): number {
  return record.data.length + (record.userKey === undefined ? 0 : record.partitionKeyBytes);
}

export interface KinesisEntry {
  readonly shardId: string;
  readonly mapVersion: number;
  readonly data: Uint8Array;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  /** data + partition key bytes: what the shard's write limit counts. */
  readonly bytes: number;
  readonly run: RecordRun;
  readonly aggregated: boolean;
  /** Reused memory `data` was leased from, until released (accumulator.ts). */
  slab: Slab | undefined;
  readonly attempts: Attempt[];
  /** Do not send before this time (retry backoff). */
  notBeforeMs: number;
  /** Failed attempts of this entry other than throttles (the shard's flow paces those), for backoff. */
  failures: number;
}

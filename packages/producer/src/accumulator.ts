/**
 * Per-shard buffers: the open aggregate a shard is filling, and the sealed Kinesis records
 * (aggregates or raw records) waiting to be sent to it.
 *
 * Invariants:
 * - every record in a shard's buffer hashes into that shard (the partitioner decided, for the shard
 *   map `mapVersion` the buffer was made for), so no aggregate ever straddles shards — KCL drops
 *   every user record of an aggregate if one of them lies outside the shard it was read from;
 * - an aggregate never exceeds `maxAggregateBytes` (exact encoded size, 20-byte overhead included)
 *   nor `maxRecords`; a record too large to share an aggregate is sent raw, and a lone record too;
 * - sealed entries leave in FIFO order, except retries, which go back to the front.
 * It knows nothing about the network, rate limits or promises.
 */
import { AggregateBuilder } from './aggregation/index.js';
import type { OutputSlabs, Slab } from './output-slabs.js';
import { RecordRun, type KinesisEntry, type PendingRecord } from './pending.js';
import { RunArraysPool } from './run-arrays.js';

export interface AccumulatorOptions {
  readonly aggregation: boolean;
  /** Cap on one aggregate, bytes; already min(option, stream record limit). */
  readonly maxAggregateBytes: number;
  readonly maxRecords: number;
  /** Reused memory for aggregates; without it each aggregate gets a new buffer. */
  readonly slabs?: OutputSlabs;
  /**
   * Array slots (one per record) kept for reuse by the runs of later aggregates (run-arrays.ts).
   * @default 0 (none kept)
   */
  readonly maxPooledRecords?: number;
}

export interface ShardBuffer {
  readonly shardId: string;
  readonly mapVersion: number;
  /** The records of the open aggregate. */
  open: RecordRun;
  readonly builder: AggregateBuilder;
  /** Sealed entries; `head` is the index of the first unsent one. */
  sealed: KinesisEntry[];
  head: number;
  /** Bytes of sealed, unsent entries. */
  sealedBytes: number;
}

export class Accumulator {
  readonly #options: AccumulatorOptions;
  readonly #buffers = new Map<string, ShardBuffer>();
  readonly #runArrays: RunArraysPool;
  #sealedCount = 0;
  #sealedBytes = 0;

  constructor(options: AccumulatorOptions) {
    this.#options = options;
    this.#runArrays = new RunArraysPool(options.maxPooledRecords ?? 0);
  }

  get sealedCount(): number {
    return this.#sealedCount;
  }
  get sealedBytes(): number {
    return this.#sealedBytes;
  }
  buffers(): IterableIterator<ShardBuffer> {
    return this.#buffers.values();
  }
  buffer(shardId: string): ShardBuffer | undefined {
    return this.#buffers.get(shardId);
  }

  #bufferFor(shardId: string, mapVersion: number): ShardBuffer {
    let buffer = this.#buffers.get(shardId);
    if (buffer === undefined) {
      buffer = { shardId, mapVersion, open: new RecordRun(0, this.#runArrays), builder: new AggregateBuilder(), sealed: [], head: 0, sealedBytes: 0 };
      this.#buffers.set(shardId, buffer);
    }
    return buffer;
  }

  /**
   * Adds a routed record to its shard's open aggregate, sealing the aggregate first if it is full.
   * The record's fields are copied: the caller may reuse the object.
   */
  add(record: PendingRecord, shardId: string, mapVersion: number): void {
    const buffer = this.#bufferFor(shardId, mapVersion);
    const { aggregation, maxAggregateBytes, maxRecords } = this.#options;
    if (!aggregation) {
      this.#push(buffer, this.#raw(buffer, record));
      return;
    }
    const builder = buffer.builder;
    let open = buffer.open.count;
    let sizeWith = builder.sizeWithBytes(record.partitionKey, record.explicitHashKey, record.data.length, record.keySlot);
    if (open > 0 && (sizeWith > maxAggregateBytes || open >= maxRecords)) {
      this.seal(buffer);
      open = 0;
      // Measured again in the new, empty aggregate.
      sizeWith = builder.sizeWithBytes(record.partitionKey, record.explicitHashKey, record.data.length, record.keySlot);
    }
    if (open === 0 && sizeWith > maxAggregateBytes) {
      this.#push(buffer, this.#raw(buffer, record));
      return;
    }
    builder.addMeasured(record.partitionKey, record.explicitHashKey, record.data, record.keySlot);
    buffer.open.push(record);
    if (open + 1 >= maxRecords) this.seal(buffer);
  }

  /** Seals the shard's open aggregate (if any) into an entry ready to send. */
  seal(buffer: ShardBuffer): void {
    const run = buffer.open;
    if (run.count === 0) return;
    // Sized like the run just sealed: the next one is usually alike.
    buffer.open = new RecordRun(run.count, this.#runArrays);
    if (run.count === 1) {
      buffer.builder.reset();
      this.#push(buffer, this.#entry(buffer, run, run.dataAt(0), run.firstExplicitHashKey, false, undefined));
      return;
    }
    const lease = this.#options.slabs?.lease(buffer.builder.sizeBytes);
    const data = buffer.builder.build(lease?.data);
    buffer.builder.reset();
    // Route the aggregate by an explicit hash key inside the shard (the first record's own hash
    // key) and give it a varied outer partition key, so Lambda's ParallelizationFactor still
    // spreads aggregates across lanes (the KPL's constant "a" puts them all in one lane).
    this.#push(buffer, this.#entry(buffer, run, data, run.firstHashKey.toString(), true, lease?.slab));
  }

  #entry(buffer: ShardBuffer, run: RecordRun, data: Uint8Array, explicitHashKey: string | undefined, aggregated: boolean, slab: Slab | undefined): KinesisEntry {
    return {
      shardId: buffer.shardId,
      mapVersion: buffer.mapVersion,
      data,
      partitionKey: run.firstPartitionKey,
      explicitHashKey,
      bytes: data.length + run.firstPartitionKeyBytes,
      run,
      aggregated,
      slab,
      attempts: [],
      notBeforeMs: 0,
      failures: 0,
    };
  }

  #raw(buffer: ShardBuffer, record: PendingRecord): KinesisEntry {
    const run = new RecordRun(1, this.#runArrays);
    run.push(record);
    return this.#entry(buffer, run, record.data, record.explicitHashKey, false, undefined);
  }

  #push(buffer: ShardBuffer, entry: KinesisEntry): void {
    buffer.sealed.push(entry);
    buffer.sealedBytes += entry.bytes;
    this.#sealedCount++;
    this.#sealedBytes += entry.bytes;
  }

  /** The next sealed entry of a shard, without removing it. */
  peek(buffer: ShardBuffer): KinesisEntry | undefined {
    return buffer.sealed[buffer.head];
  }

  /** Removes and returns the next sealed entry of a shard. */
  shift(buffer: ShardBuffer): KinesisEntry | undefined {
    const entry = buffer.sealed[buffer.head];
    if (entry === undefined) return undefined;
    // Let go of the sent entry now, not at the next compaction: an aggregate holds its data and
    // every user record (~170 KB for 400 records of 100 B), and a shard sending 4 aggregates/s
    // reaches 1,024 sent slots only after ~4 minutes — ~150 MB per shard held after settling.
    (buffer.sealed as (KinesisEntry | undefined)[])[buffer.head] = undefined;
    buffer.head++;
    if (buffer.head > 1024 && buffer.head * 2 > buffer.sealed.length) {
      buffer.sealed = buffer.sealed.slice(buffer.head);
      buffer.head = 0;
    }
    buffer.sealedBytes -= entry.bytes;
    this.#sealedCount--;
    this.#sealedBytes -= entry.bytes;
    return entry;
  }

  /** Puts a failed entry back at the front of its shard's queue (retries go first). */
  unshift(entry: KinesisEntry): void {
    const buffer = this.#bufferFor(entry.shardId, entry.mapVersion);
    if (buffer.head > 0) {
      buffer.head--;
      buffer.sealed[buffer.head] = entry;
    } else {
      buffer.sealed.unshift(entry);
    }
    buffer.sealedBytes += entry.bytes;
    this.#sealedCount++;
    this.#sealedBytes += entry.bytes;
  }

  /**
   * Empties a shard's buffer (its shard closed, or the map changed) and returns its records in
   * order, with the attempts their entries made carried over, for re-routing.
   */
  evict(shardId: string): PendingRecord[] {
    const buffer = this.#buffers.get(shardId);
    if (buffer === undefined) return [];
    this.#buffers.delete(shardId);
    const records: PendingRecord[] = [];
    for (let i = buffer.head; i < buffer.sealed.length; i++) {
      const entry = buffer.sealed[i] as KinesisEntry;
      this.#sealedCount--;
      this.#sealedBytes -= entry.bytes;
      for (const r of entry.run.take(entry.attempts)) records.push(r);
      this.release(entry);
    }
    for (const r of buffer.open.take([])) records.push(r);
    buffer.open.recycle();
    return records;
  }

  /**
   * Gives an entry's aggregate memory and its run's arrays back for reuse. Only for an entry that
   * is done — settled or taken apart, and neither queued here nor in a request — since the memory
   * is written over next.
   */
  release(entry: KinesisEntry): void {
    entry.run.recycle();
    const slab = entry.slab;
    if (slab === undefined) return;
    entry.slab = undefined;
    this.#options.slabs?.release(slab);
  }

  /** Drops shard buffers that hold nothing (after a reshard, parents go away). */
  prune(): void {
    for (const [id, b] of this.#buffers) {
      if (b.open.count === 0 && b.head >= b.sealed.length) this.#buffers.delete(id);
    }
  }
}


/**
 * Shared driver of the flow-control end-to-end tests: an open-model feeder with bounded
 * outstanding puts, a throughput sampler over local-kinesis' own counters, and the read-back
 * check that ties every settled promise to what the stream holds.
 *
 * Invariants: the feeder never holds more than `maxOutstanding` unsettled puts (so memory stays
 * bounded however far the offered rate exceeds what the stream takes); every put it makes ends in
 * exactly one of `results` or `errors`; the read-back check fails on any record found twice,
 * found where its result does not say, or resolved but missing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { LocalKinesis } from '@shardline/local-kinesis';
import { md5HashKey, type Producer, type PutResult, type UserRecord } from '@shardline/producer';
import { tagOf, type UserRecordRead } from '../helpers/records.js';

export interface FeedOptions {
  readonly producer: Producer;
  /** Offered load in user records per second (open model: the schedule does not slow down). */
  readonly ratePerSec: number;
  /** Stop after this long, or after `maxRecords` puts, or when `until` says, whichever comes first. */
  readonly durationMs: number;
  readonly maxRecords?: number;
  /** Stop early once this returns true (checked between chunks of puts). */
  readonly until?: () => boolean;
  /** Unsettled puts allowed at once; the feeder waits (falls behind its schedule) at this bound. */
  readonly maxOutstanding: number;
  readonly makeRecord: (id: number) => UserRecord;
}

export interface FeedResult {
  /** Records put, ids 0..count-1 in put order. */
  readonly count: number;
  readonly records: UserRecord[];
  readonly results: Map<number, PutResult>;
  readonly errors: Map<number, Error>;
  /** Put time of each record, ms since the feed started. */
  readonly putAtMs: number[];
  /** Largest number of unsettled puts seen. */
  readonly peakOutstanding: number;
}

const CHUNK = 256;

/** Puts records on the schedule `ratePerSec` for `durationMs`, then waits for all of them to settle. */
export async function feed(o: FeedOptions): Promise<FeedResult> {
  const records: UserRecord[] = [];
  const results = new Map<number, PutResult>();
  const errors = new Map<number, Error>();
  const putAtMs: number[] = [];
  const pending = new Set<Promise<unknown>>();
  let peakOutstanding = 0;
  const start = performance.now();
  let id = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= o.durationMs || id >= (o.maxRecords ?? Infinity) || o.until?.() === true) break;
    // At most CHUNK puts per turn, so timers (sampling, the producer's own) keep running.
    const due = Math.min(Math.floor((elapsed / 1000) * o.ratePerSec), id + CHUNK, o.maxRecords ?? Infinity);
    while (id < due && pending.size < o.maxOutstanding) {
      const myId = id++;
      const record = o.makeRecord(myId);
      records.push(record);
      putAtMs.push(elapsed);
      const p = o.producer.put(record).then(
        (r) => void results.set(myId, r),
        (e: unknown) => void errors.set(myId, e as Error),
      );
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    peakOutstanding = Math.max(peakOutstanding, pending.size);
    if (pending.size >= o.maxOutstanding) await pending.values().next().value;
    else if (id < Math.floor((elapsed / 1000) * o.ratePerSec)) await new Promise((r) => setImmediate(r));
    else await sleep(2);
  }
  await Promise.all(pending);
  return { count: id, records, results, errors, putAtMs, peakOutstanding };
}

/** `#<id>#` then filler up to `sizeBytes`: like taggedData, without the cost of random filler. */
export function cheapTaggedData(id: number, sizeBytes: number): Uint8Array {
  const out = Buffer.alloc(sizeBytes, 0x2e);
  out.write(`#${id}#`, 0, 'latin1');
  return out;
}

/** Accepted and throttled Kinesis records/bytes of a stream, from the server's own counters. */
export function streamTotals(local: LocalKinesis, stream: string) {
  const totals = local.stats().streams[stream]?.totals;
  return {
    acceptedRecords: totals?.acceptedRecords ?? 0,
    acceptedBytes: totals?.acceptedBytes ?? 0,
    throttledRecords: totals?.throttledRecords ?? 0,
    internalFailures: totals?.internalFailures ?? 0,
  };
}

export interface ShardRange {
  readonly shardId: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly open: boolean;
}

export async function shardRanges(client: KinesisClient, stream: string): Promise<ShardRange[]> {
  const out = await client.send(new ListShardsCommand({ StreamName: stream }));
  return (out.Shards ?? []).map((s) => ({
    shardId: s.ShardId as string,
    start: BigInt(s.HashKeyRange?.StartingHashKey as string),
    end: BigInt(s.HashKeyRange?.EndingHashKey as string),
    open: s.SequenceNumberRange?.EndingSequenceNumber === undefined,
  }));
}

export function hashOf(record: UserRecord): bigint {
  return record.explicitHashKey === undefined ? md5HashKey(record.partitionKey as string) : BigInt(record.explicitHashKey);
}

export interface ReadBackReport {
  /** Ids read back more than once, with how many copies. */
  readonly duplicates: Map<number, number>;
  /** Resolved ids not found in the stream. */
  readonly missing: number[];
  /** Ids read back whose promise resolved to another location. */
  readonly misplaced: number[];
  /** Ids read back whose promise was rejected. */
  readonly writtenButRejected: number[];
  /** Read-back user records by id (first copy). */
  readonly byId: Map<number, UserRecordRead>;
}

/** Matches what the stream holds against what the promises said. */
export function checkReadBack(users: readonly UserRecordRead[], fed: FeedResult): ReadBackReport {
  const byId = new Map<number, UserRecordRead>();
  const duplicates = new Map<number, number>();
  const misplaced: number[] = [];
  const writtenButRejected: number[] = [];
  const copies = new Map<number, UserRecordRead[]>();
  for (const u of users) {
    const id = tagOf(u.data);
    const list = copies.get(id);
    if (list === undefined) copies.set(id, [u]);
    else list.push(u);
  }
  for (const [id, list] of copies) {
    byId.set(id, list[0] as UserRecordRead);
    if (list.length > 1) duplicates.set(id, list.length);
    const result = fed.results.get(id);
    if (result === undefined) {
      writtenButRejected.push(id);
      continue;
    }
    const at = (u: UserRecordRead) =>
      u.shardId === result.shardId && u.sequenceNumber === result.sequenceNumber && u.subSequenceNumber === result.subSequenceNumber;
    if (!list.some(at)) misplaced.push(id);
  }
  const missing = [...fed.results.keys()].filter((id) => !copies.has(id));
  return { duplicates, missing, misplaced, writtenButRejected, byId };
}

/** Waits until `check` holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

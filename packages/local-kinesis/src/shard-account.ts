/**
 * One shard's throughput allowance and counters. Writes are limited by two buckets that must both
 * have room (records and bytes); reads by a calls bucket and a bytes bucket that may go into debt,
 * because a GetRecords answer's size is known only after it is read.
 *
 * Worked number (AWS limits, burstMs 1,000): the bytes bucket holds 1 MiB, so ten 100 KiB records
 * pass at once, the eleventh is throttled, and one more fits every ~98 ms (102,400 B ÷ 1,048,576 B/s).
 * Reads: a call that returns 6 MiB leaves the 2 MiB bucket at −4 MiB, so calls throttle for the
 * next ~2 s until the debt is repaid, as AWS documents for GetRecords.
 */
import { TokenBucket } from './token-bucket.js';
import type { ResolvedLimits } from './options.js';

export interface ShardStats {
  shardId: string;
  /** False once the shard was closed by SplitShard/MergeShards. */
  open: boolean;
  /** Records stored (data + partition key bytes in `acceptedBytes`). */
  acceptedRecords: number;
  acceptedBytes: number;
  /** Records refused with ProvisionedThroughputExceededException (per entry or PutRecord). */
  throttledRecords: number;
  throttledBytes: number;
  /** Entries failed with an injected InternalFailure. */
  internalFailures: number;
  /** GetRecords calls answered, and refused with ProvisionedThroughputExceededException. */
  readCalls: number;
  readCallsThrottled: number;
  readRecords: number;
  readBytes: number;
  /**
   * Writes granted between the first and the last throttled entry on this shard (undefined until
   * two throttles apply), on the server's monotonic clock (`performance.now()`, ms). The
   * bucket is empty at both ends, so `acceptedRecords / (toMs − fromMs) × 1000` is the shard's
   * steady accept rate with the burst left out — exactly, whatever the client's latency.
   */
  saturation?: { fromMs: number; toMs: number; acceptedRecords: number; acceptedBytes: number } | undefined;
}

export type ShardCounters = Omit<ShardStats, 'shardId' | 'open' | 'saturation'>;

export function zeroCounters(): ShardCounters {
  return {
    acceptedRecords: 0,
    acceptedBytes: 0,
    throttledRecords: 0,
    throttledBytes: 0,
    internalFailures: 0,
    readCalls: 0,
    readCallsThrottled: 0,
    readRecords: 0,
    readBytes: 0,
  };
}

interface Buckets {
  writeRecords: TokenBucket;
  writeBytes: TokenBucket;
  readCalls: TokenBucket;
  readBytes: TokenBucket;
}

interface GrantMark {
  atMs: number;
  records: number;
  bytes: number;
}

export class ShardAccount {
  readonly stats: ShardStats;
  private readonly buckets: Buckets | undefined;
  /** Writes granted so far (reservations, less refunds). */
  private readonly granted = { records: 0, bytes: 0 };
  private firstThrottle: GrantMark | undefined;
  private lastThrottle: GrantMark | undefined;

  constructor(
    shardId: string,
    limits: ResolvedLimits | undefined,
    private readonly now: () => number,
  ) {
    this.stats = { shardId, open: true, ...zeroCounters() };
    if (limits !== undefined) {
      const bucket = (ratePerSec: number): TokenBucket =>
        new TokenBucket(ratePerSec, (ratePerSec * limits.burstMs) / 1000, now);
      this.buckets = {
        writeRecords: bucket(limits.writeRecordsPerSec),
        writeBytes: bucket(limits.writeBytesPerSec),
        readCalls: bucket(limits.readCallsPerSec),
        readBytes: bucket(limits.readBytesPerSec),
      };
    }
  }

  /** Reserves room for one record of `bytes`; false (and counted as throttled) when either bucket lacks it. */
  tryWrite(bytes: number): boolean {
    const buckets = this.buckets;
    if (buckets !== undefined && !(buckets.writeRecords.has(1) && buckets.writeBytes.has(bytes))) {
      this.stats.throttledRecords++;
      this.stats.throttledBytes += bytes;
      this.lastThrottle = { atMs: this.now(), records: this.granted.records, bytes: this.granted.bytes };
      this.firstThrottle ??= this.lastThrottle;
      return false;
    }
    buckets?.writeRecords.take(1);
    buckets?.writeBytes.take(bytes);
    this.granted.records++;
    this.granted.bytes += bytes;
    return true;
  }

  /** A copy of the counters, with the saturation window. */
  snapshot(): ShardStats {
    const first = this.firstThrottle;
    const last = this.lastThrottle;
    const saturation =
      first === undefined || last === undefined || last.atMs <= first.atMs
        ? undefined
        : {
            fromMs: first.atMs,
            toMs: last.atMs,
            acceptedRecords: last.records - first.records,
            acceptedBytes: last.bytes - first.bytes,
          };
    return { ...this.stats, saturation };
  }

  /** Whether `records` records totalling `bytes` would all fit now (nothing is taken). */
  canWrite(records: number, bytes: number): boolean {
    const buckets = this.buckets;
    return buckets === undefined || (buckets.writeRecords.has(records) && buckets.writeBytes.has(bytes));
  }

  /** Returns a reservation whose record was not stored (the request failed further on). */
  refundWrite(bytes: number): void {
    this.buckets?.writeRecords.refund(1);
    this.buckets?.writeBytes.refund(bytes);
    this.granted.records--;
    this.granted.bytes -= bytes;
  }

  recordWrite(bytes: number): void {
    this.stats.acceptedRecords++;
    this.stats.acceptedBytes += bytes;
  }

  /** Admits one GetRecords call, or counts it as throttled. */
  tryRead(): boolean {
    const buckets = this.buckets;
    if (buckets !== undefined && !(buckets.readBytes.available() > 0 && buckets.readCalls.take(1))) {
      this.stats.readCallsThrottled++;
      return false;
    }
    return true;
  }

  recordRead(records: number, bytes: number): void {
    this.buckets?.readBytes.charge(bytes);
    this.stats.readCalls++;
    this.stats.readRecords += records;
    this.stats.readBytes += bytes;
  }
}

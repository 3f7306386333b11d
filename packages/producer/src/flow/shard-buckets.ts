/**
 * The two write limits of one shard as a pair of token buckets: Kinesis records/s and bytes/s
 * (bytes = data + partition key, as Kinesis counts them). A request may go when both buckets
 * hold enough; sending it takes from both.
 *
 * Invariant: both buckets share one `burstMs`, so at any rate the pair holds the same number of
 * milliseconds of traffic. At 1,000 records/s and 1 MiB/s with burstMs = 500 that is 500 records
 * or 524,288 bytes, whichever a batch reaches first.
 */
import { createTokenBucket } from './token-bucket.js';

export interface ShardBucketsOptions {
  readonly recordsPerSec: number;
  readonly bytesPerSec: number;
  readonly burstMs: number;
  readonly now: () => number;
}

export interface ShardBuckets {
  /** Milliseconds until both buckets allow the request (0 = now; oversize requests wait for a full bucket). */
  waitMsFor(records: number, bytes: number): number;
  take(records: number, bytes: number): void;
  /** Whole records and bytes available now. */
  available(): { records: number; bytes: number };
  /** The most one request can carry without overdrawing: the full buckets, at least 1 record. */
  burstCapacity(): { records: number; bytes: number };
  setRates(recordsPerSec: number, bytesPerSec: number): void;
  readonly recordsPerSec: number;
  readonly bytesPerSec: number;
}

export function createShardBuckets(options: ShardBucketsOptions): ShardBuckets {
  const { burstMs, now } = options;
  const records = createTokenBucket({ ratePerSec: options.recordsPerSec, burstMs, now });
  const bytes = createTokenBucket({ ratePerSec: options.bytesPerSec, burstMs, now });
  return {
    waitMsFor(recordCount: number, byteCount: number): number {
      return Math.max(records.waitMsFor(recordCount), bytes.waitMsFor(byteCount));
    },
    take(recordCount: number, byteCount: number): void {
      records.take(recordCount);
      bytes.take(byteCount);
    },
    available(): { records: number; bytes: number } {
      return { records: Math.floor(records.available()), bytes: Math.floor(bytes.available()) };
    },
    burstCapacity(): { records: number; bytes: number } {
      return { records: Math.max(1, Math.floor(records.capacity)), bytes: Math.floor(bytes.capacity) };
    },
    setRates(recordsPerSec: number, bytesPerSec: number): void {
      records.setRatePerSec(recordsPerSec);
      bytes.setRatePerSec(bytesPerSec);
    },
    get recordsPerSec(): number {
      return records.ratePerSec;
    },
    get bytesPerSec(): number {
      return bytes.ratePerSec;
    },
  };
}

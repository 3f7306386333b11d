/** Public data shapes of the producer: what goes in, what comes back. */

/** A record as the application puts it. */
export interface UserRecord {
  /** The payload. Strings are encoded as UTF-8. */
  readonly data: Uint8Array | string;
  /**
   * 1–256 Unicode characters. Kinesis routes by MD5 of it unless `explicitHashKey` is given.
   * Omit it to let the producer choose a shard (keyless mode).
   */
  readonly partitionKey?: string | undefined;
  /** Decimal string in [0, 2^128 − 1]; overrides the partition key's hash for routing. */
  readonly explicitHashKey?: string | undefined;
}

/** One try at writing the Kinesis record that held a user record. */
export interface Attempt {
  /** Epoch milliseconds when the PutRecords request carrying it was sent. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Set when this attempt failed: an AWS error code or a transport error code. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** Where a user record was written. */
export interface PutResult {
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Index of the user record inside a KPL aggregate; absent when the record was sent raw. */
  readonly subSequenceNumber?: number;
  readonly attempts: readonly Attempt[];
}

/** `putMany` settles every record: one entry per input, in input order. */
export type PutOutcome =
  | { readonly status: 'fulfilled'; readonly value: PutResult }
  | { readonly status: 'rejected'; readonly reason: Error };

/**
 * Typed errors of the producer.
 *
 * Every error has a stable `code` (match on it, not on the message), a `retriable` flag and an
 * ES2022 `cause`. Errors that concern a user record carry that record, so the caller can resend,
 * log or dead-letter it: a failure is never a silent drop.
 */
import type { Attempt, UserRecord } from './types.js';

export const ErrorCode = {
  InvalidRecord: 'ERR_INVALID_RECORD',
  InvalidOption: 'ERR_INVALID_OPTION',
  ProducerClosed: 'ERR_PRODUCER_CLOSED',
  BufferFull: 'ERR_BUFFER_FULL',
  RecordExpired: 'ERR_RECORD_EXPIRED',
  RecordFailed: 'ERR_RECORD_FAILED',
  StreamNotReady: 'ERR_STREAM_NOT_READY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class ShardlineError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** An option given to `createProducer` is out of range or of the wrong type. */
export class InvalidOptionError extends ShardlineError {
  readonly option: string;
  constructor(option: string, message: string) {
    super(ErrorCode.InvalidOption, message);
    this.option = option;
  }
}

/** A record was refused before any I/O: bad key, bad hash key, oversize or wrong data type. */
export class InvalidRecordError extends ShardlineError {
  readonly record: unknown;
  readonly field: string;
  constructor(field: string, message: string, record: unknown) {
    super(ErrorCode.InvalidRecord, message);
    this.field = field;
    this.record = record;
  }
}

/** `put` after `close()` was called. */
export class ProducerClosedError extends ShardlineError {
  readonly record: unknown;
  constructor(record: unknown) {
    super(ErrorCode.ProducerClosed, 'The producer is closed: no new records are accepted', { retriable: false });
    this.record = record;
  }
}

/** The buffer was full and `onBufferFull: 'reject'` was chosen. Retriable: try again later. */
export class BufferFullError extends ShardlineError {
  readonly record: UserRecord;
  constructor(record: UserRecord, detail: string) {
    super(ErrorCode.BufferFull, `The producer's buffer is full (${detail})`, { retriable: true });
    this.record = record;
  }
}

/** The record was not written within `recordTtlMs`; every attempt made is attached. */
export class RecordExpiredError extends ShardlineError {
  readonly record: UserRecord;
  readonly attempts: readonly Attempt[];
  constructor(record: UserRecord, attempts: readonly Attempt[], ttlMs: number) {
    const last = attempts.at(-1);
    const tail = last?.errorCode === undefined ? '' : `; last error ${last.errorCode}: ${last.errorMessage ?? ''}`;
    super(
      ErrorCode.RecordExpired,
      `Record not written within recordTtlMs=${ttlMs} after ${attempts.length} attempt(s)${tail}`,
      { retriable: true },
    );
    this.record = record;
    this.attempts = attempts;
  }
}

/** Kinesis refused the record with an error that retrying will not fix (or retries ran out). */
export class RecordFailedError extends ShardlineError {
  readonly record: UserRecord;
  readonly attempts: readonly Attempt[];
  readonly awsErrorCode: string;
  constructor(record: UserRecord, attempts: readonly Attempt[], awsErrorCode: string, message: string, cause?: unknown) {
    super(ErrorCode.RecordFailed, `Record failed with ${awsErrorCode}: ${message}`, { retriable: false, cause });
    this.record = record;
    this.attempts = attempts;
    this.awsErrorCode = awsErrorCode;
  }
}

/** The stream could not be described (missing, no access): records cannot be routed. */
export class StreamNotReadyError extends ShardlineError {
  constructor(message: string, cause: unknown, retriable: boolean) {
    super(ErrorCode.StreamNotReady, message, { retriable, cause });
  }
}

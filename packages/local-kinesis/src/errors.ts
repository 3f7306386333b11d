/**
 * Errors thrown by the local-kinesis API (not the AWS errors it answers on the wire, which are
 * response bodies). Each has a stable `code`, a `retriable` flag and the ES2022 `cause`.
 */
export const LocalKinesisErrorCode = {
  InvalidOption: 'LOCAL_KINESIS_INVALID_OPTION',
  RequestFailed: 'LOCAL_KINESIS_REQUEST_FAILED',
  Timeout: 'LOCAL_KINESIS_TIMEOUT',
} as const;
export type LocalKinesisErrorCode = (typeof LocalKinesisErrorCode)[keyof typeof LocalKinesisErrorCode];

export class LocalKinesisError extends Error {
  override readonly name: string = 'LocalKinesisError';
  constructor(
    readonly code: LocalKinesisErrorCode,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bad option passed to `startLocalKinesis` or `setFaults`: fix the call, do not retry. */
export class InvalidOptionError extends LocalKinesisError {
  override readonly name = 'InvalidOptionError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(LocalKinesisErrorCode.InvalidOption, message, false);
  }
}

/** An operation issued through the in-process backend answered with an AWS error. */
export class KinesisRequestError extends LocalKinesisError {
  override readonly name = 'KinesisRequestError';
  constructor(
    readonly operation: string,
    readonly awsType: string,
    message: string,
  ) {
    super(LocalKinesisErrorCode.RequestFailed, `${operation} failed: ${awsType}: ${message}`, false);
  }
}

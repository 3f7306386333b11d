/**
 * Classifies a failure into what the producer should do about it:
 * - `throttled`: the shard (or account) is over a limit; retry after backing off and slow down.
 * - `transient`: the service or the connection failed; retry after a jittered backoff.
 * - `fatal`: retrying cannot help (missing stream, credentials, validation, KMS set-up); reject
 *   the records at once with a typed error.
 *
 * Inputs: a PutRecords entry `ErrorCode` string, or anything thrown by the AWS SDK / Node.
 * Order of evidence for thrown errors (first match wins): a known error name, a Node socket code
 * (`code`, also on the `cause` chain), `$retryable` from the SDK, `$metadata.httpStatusCode`
 * (429 throttled, 5xx transient, other 4xx fatal), `$fault: 'server'`. Anything else is fatal, so
 * a programming error (a TypeError) surfaces instead of being retried until the record expires.
 * An unknown *entry* ErrorCode is transient: Kinesis documents only retriable entry codes, and
 * the record TTL bounds the retries.
 */

export const FailureKind = { Throttled: 'throttled', Transient: 'transient', Fatal: 'fatal' } as const;
export type FailureKind = (typeof FailureKind)[keyof typeof FailureKind];

export interface FailureClass {
  readonly kind: FailureKind;
  /** The AWS error code, Node error code or `HTTP_<status>` that decided the kind. */
  readonly code: string;
  /** Convenience: kind !== 'fatal'. */
  readonly retriable: boolean;
}

const THROTTLED_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'KMSThrottlingException',
]);

const TRANSIENT_NAMES = new Set([
  'InternalFailure',
  'InternalFailureException',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);

const FATAL_NAMES = new Set([
  'ResourceNotFoundException',
  'ResourceInUseException',
  'AccessDeniedException',
  'ValidationException',
  'InvalidArgumentException',
  'KMSDisabledException',
  'KMSInvalidStateException',
  'KMSAccessDeniedException',
  'KMSNotFoundException',
  'KMSOptInRequired',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'CredentialsProviderError',
]);

/** Node socket errors worth a retry: the connection broke, not the request. */
const RETRIABLE_NODE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** How deep to follow `cause` (an SDK error may wrap the socket error that explains it). */
const MAX_CAUSE_DEPTH = 5;

function make(kind: FailureKind, code: string): FailureClass {
  return { kind, code, retriable: kind !== FailureKind.Fatal };
}

function byName(name: string): FailureClass | undefined {
  if (FATAL_NAMES.has(name)) return make(FailureKind.Fatal, name);
  if (THROTTLED_NAMES.has(name)) return make(FailureKind.Throttled, name);
  if (TRANSIENT_NAMES.has(name)) return make(FailureKind.Transient, name);
  return undefined;
}

/** Classifies the `ErrorCode` of one PutRecords result entry. */
export function classifyErrorCode(errorCode: string): FailureClass {
  return byName(errorCode) ?? make(FailureKind.Transient, errorCode);
}

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly $retryable?: { readonly throttling?: unknown } | undefined;
  readonly $metadata?: { readonly httpStatusCode?: unknown } | undefined;
  readonly $fault?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

function bySocket(error: ErrorLike): FailureClass | undefined {
  for (let e: ErrorLike | undefined = error, depth = 0; e && depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof e.code === 'string' && RETRIABLE_NODE_CODES.has(e.code)) return make(FailureKind.Transient, e.code);
    if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) {
      return make(FailureKind.Transient, 'ECONNRESET');
    }
    e = asErrorLike(e.cause);
  }
  return undefined;
}

function byStatus(status: number, name: string | undefined): FailureClass | undefined {
  const code = name ?? `HTTP_${String(status)}`;
  if (status === 429) return make(FailureKind.Throttled, code);
  if (status >= 500) return make(FailureKind.Transient, code);
  if (status >= 400) return make(FailureKind.Fatal, code);
  return undefined;
}

/** Classifies an error thrown by a PutRecords call (SDK service error, timeout, socket error). */
export function classifyError(error: unknown): FailureClass {
  const e = asErrorLike(error);
  if (e === undefined) return make(FailureKind.Fatal, typeof error === 'string' ? error : 'UnknownError');
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const named = name === undefined ? undefined : byName(name);
  if (named) return named;
  const socket = bySocket(e);
  if (socket) return socket;
  if (e.$retryable) {
    const throttling = e.$retryable.throttling === true;
    return make(throttling ? FailureKind.Throttled : FailureKind.Transient, name ?? 'Retryable');
  }
  const status = e.$metadata?.httpStatusCode;
  const byHttp = typeof status === 'number' ? byStatus(status, name) : undefined;
  if (byHttp) return byHttp;
  if (e.$fault === 'server') return make(FailureKind.Transient, name ?? 'ServerFault');
  return make(FailureKind.Fatal, name ?? (typeof e.code === 'string' ? e.code : 'UnknownError'));
}

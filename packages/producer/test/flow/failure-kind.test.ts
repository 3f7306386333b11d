import { describe, expect, it } from 'vitest';
import { KinesisServiceException } from '@aws-sdk/client-kinesis';
import { classifyError, classifyErrorCode, FailureKind } from '../../src/flow/failure-kind.js';

const { Throttled, Transient, Fatal } = FailureKind;

/** An error shaped like the AWS SDK v3 service exceptions (name + $fault + $metadata). */
function sdkError(name: string, httpStatusCode: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(
    new KinesisServiceException({ name, $fault: httpStatusCode >= 500 ? 'server' : 'client', $metadata: { httpStatusCode } }),
    extra,
  );
}

function nodeError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyErrorCode (PutRecords entry ErrorCode)', () => {
  it.each([
    ['ProvisionedThroughputExceededException', Throttled],
    ['InternalFailure', Transient],
    ['KMSThrottlingException', Throttled],
    ['KMSDisabledException', Fatal],
    ['KMSAccessDeniedException', Fatal],
    ['SomeFutureEntryError', Transient],
  ])('%s → %s', (code, kind) => {
    const c = classifyErrorCode(code);
    expect(c).toEqual({ kind, code, retriable: kind !== Fatal });
  });
});

describe('classifyError (thrown by a PutRecords call)', () => {
  it.each<[string, unknown, FailureKind, string]>([
    // Throttling, by name.
    ['PTEE', sdkError('ProvisionedThroughputExceededException', 400), Throttled, 'ProvisionedThroughputExceededException'],
    ['LimitExceeded', sdkError('LimitExceededException', 400), Throttled, 'LimitExceededException'],
    ['ThrottlingException', sdkError('ThrottlingException', 400), Throttled, 'ThrottlingException'],
    ['KMSThrottling', sdkError('KMSThrottlingException', 400), Throttled, 'KMSThrottlingException'],
    // Service failures, by name or status.
    ['InternalFailure', sdkError('InternalFailure', 500), Transient, 'InternalFailure'],
    ['ServiceUnavailable', sdkError('ServiceUnavailable', 503), Transient, 'ServiceUnavailable'],
    ['unnamed 502', sdkError('Error', 502), Transient, 'HTTP_502'],
    ['unknown 5xx name', sdkError('BadGatewayWeirdness', 504), Transient, 'BadGatewayWeirdness'],
    ['unnamed 429', sdkError('Error', 429), Throttled, 'HTTP_429'],
    // Timeouts and aborts.
    ['TimeoutError', Object.assign(new Error('Connection timed out after 6000 ms'), { name: 'TimeoutError' }), Transient, 'TimeoutError'],
    ['AbortError', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), Transient, 'AbortError'],
    // Broken connections.
    ['ECONNRESET', nodeError('ECONNRESET'), Transient, 'ECONNRESET'],
    ['ECONNREFUSED', nodeError('ECONNREFUSED'), Transient, 'ECONNREFUSED'],
    ['EPIPE', nodeError('EPIPE'), Transient, 'EPIPE'],
    ['ETIMEDOUT', nodeError('ETIMEDOUT'), Transient, 'ETIMEDOUT'],
    ['socket hang up (no code)', new Error('socket hang up'), Transient, 'ECONNRESET'],
    ['socket error in cause', new Error('request failed', { cause: nodeError('ECONNRESET') }), Transient, 'ECONNRESET'],
    // SDK retry hints.
    ['$retryable throttling', Object.assign(new Error('x'), { name: 'Mystery', $retryable: { throttling: true } }), Throttled, 'Mystery'],
    ['$retryable', Object.assign(new Error('x'), { name: 'Mystery', $retryable: {} }), Transient, 'Mystery'],
    // Not retriable.
    ['ResourceNotFound', sdkError('ResourceNotFoundException', 400), Fatal, 'ResourceNotFoundException'],
    ['AccessDenied', sdkError('AccessDeniedException', 400), Fatal, 'AccessDeniedException'],
    ['Validation', sdkError('ValidationException', 400), Fatal, 'ValidationException'],
    ['InvalidArgument', sdkError('InvalidArgumentException', 400), Fatal, 'InvalidArgumentException'],
    ['KMSDisabled', sdkError('KMSDisabledException', 400), Fatal, 'KMSDisabledException'],
    ['KMSInvalidState', sdkError('KMSInvalidStateException', 400), Fatal, 'KMSInvalidStateException'],
    ['KMSAccessDenied', sdkError('KMSAccessDeniedException', 400), Fatal, 'KMSAccessDeniedException'],
    ['KMSNotFound', sdkError('KMSNotFoundException', 400), Fatal, 'KMSNotFoundException'],
    ['KMSOptInRequired', sdkError('KMSOptInRequired', 400), Fatal, 'KMSOptInRequired'],
    ['ExpiredToken', sdkError('ExpiredTokenException', 400), Fatal, 'ExpiredTokenException'],
    ['UnrecognizedClient', sdkError('UnrecognizedClientException', 400), Fatal, 'UnrecognizedClientException'],
    ['a fatal name wins over a 5xx status', sdkError('AccessDeniedException', 500), Fatal, 'AccessDeniedException'],
    ['unknown 4xx', sdkError('SomethingNew', 400), Fatal, 'SomethingNew'],
    ['a programming error', new TypeError('x is not a function'), Fatal, 'TypeError'],
    ['a plain Error', new Error('boom'), Fatal, 'UnknownError'],
    ['a thrown string', 'boom', Fatal, 'boom'],
    ['undefined', undefined, Fatal, 'UnknownError'],
  ])('%s', (_label, error, kind, code) => {
    expect(classifyError(error)).toEqual({ kind, code, retriable: kind !== Fatal });
  });

  it('does not loop on a cyclic cause chain', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classifyError(a).kind).toBe(Fatal);
  });
});

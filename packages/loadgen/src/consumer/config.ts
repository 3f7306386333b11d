/**
 * The event source mapping's configuration: the scenario's `consumer:` block, with Lambda's
 * defaults and ranges (kinesis-facts §4), validated before any shard is read.
 *
 * Invariant: a resolved config is complete and within Lambda's ranges, so the mapping never
 * re-checks a field; `-1` keeps Lambda's meaning of "no limit" for retries and record age.
 */

export const StartingPosition = {
  TrimHorizon: 'TRIM_HORIZON',
  Latest: 'LATEST',
  AtTimestamp: 'AT_TIMESTAMP',
} as const;
export type StartingPosition = (typeof StartingPosition)[keyof typeof StartingPosition];

export interface EventSourceMappingConfig {
  /** Most records per handler invocation (Lambda BatchSize). @default 100 */
  batchSize?: number;
  /** Where reading starts in shards that exist when the mapping starts. @default 'TRIM_HORIZON' */
  startingPosition?: StartingPosition;
  /** With AT_TIMESTAMP: epoch milliseconds to start at. */
  startingPositionTimestampMs?: number;
  /** Concurrent batches per shard, 1–10; a partition key always maps to the same lane. @default 1 */
  parallelizationFactor?: number;
  /** Wait up to this long to fill a batch (Lambda MaximumBatchingWindowInSeconds × 1000). @default 0 */
  maxBatchingWindowMs?: number;
  /** On a function error, split the batch in two and retry each half. @default false */
  bisectBatchOnFunctionError?: boolean;
  /** Retries of a failed batch before it is discarded; -1 = until the records expire. @default -1 */
  maximumRetryAttempts?: number;
  /** Discard records older than this instead of retrying them; -1 = no limit. @default -1 */
  maximumRecordAgeSeconds?: number;
  /** Honour `{ batchItemFailures: [{ itemIdentifier }] }` responses. @default false */
  reportBatchItemFailures?: boolean;
  /** Give the handler KPL user records instead of the aggregates (Lambda does not). @default false */
  deaggregate?: boolean;
  /** An invocation that runs longer fails with "Task timed out". @default 60 */
  functionTimeoutSeconds?: number;
}

export type ResolvedConfig = Required<Omit<EventSourceMappingConfig, 'startingPositionTimestampMs'>> & {
  startingPositionTimestampMs: number | undefined;
};

/** Lambda's synchronous invocation payload limit: 6 MB. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export class ConsumerConfigError extends Error {
  override readonly name = 'ConsumerConfigError';
  readonly code = 'ERR_LOADGEN_CONSUMER_CONFIG';
  readonly retriable = false;
}

export function resolveConsumerConfig(config: EventSourceMappingConfig = {}): ResolvedConfig {
  const resolved: ResolvedConfig = {
    batchSize: config.batchSize ?? 100,
    startingPosition: config.startingPosition ?? 'TRIM_HORIZON',
    startingPositionTimestampMs: config.startingPositionTimestampMs,
    parallelizationFactor: config.parallelizationFactor ?? 1,
    maxBatchingWindowMs: config.maxBatchingWindowMs ?? 0,
    bisectBatchOnFunctionError: config.bisectBatchOnFunctionError ?? false,
    maximumRetryAttempts: config.maximumRetryAttempts ?? -1,
    maximumRecordAgeSeconds: config.maximumRecordAgeSeconds ?? -1,
    reportBatchItemFailures: config.reportBatchItemFailures ?? false,
    deaggregate: config.deaggregate ?? false,
    functionTimeoutSeconds: config.functionTimeoutSeconds ?? 60,
  };
  checkInteger('batchSize', resolved.batchSize, 1, 10_000);
  checkInteger('parallelizationFactor', resolved.parallelizationFactor, 1, 10);
  checkInteger('maxBatchingWindowMs', resolved.maxBatchingWindowMs, 0, 300_000);
  checkInteger('maximumRetryAttempts', resolved.maximumRetryAttempts, -1, 10_000);
  // Lambda allows -1 or 60–604,800 s; 1–59 are accepted here so tests can expire records quickly.
  checkInteger('maximumRecordAgeSeconds', resolved.maximumRecordAgeSeconds, -1, 604_800);
  checkInteger('functionTimeoutSeconds', resolved.functionTimeoutSeconds, 1, 900);
  if (!Object.values(StartingPosition).includes(resolved.startingPosition)) {
    throw new ConsumerConfigError(
      `Expected \`startingPosition\` to be TRIM_HORIZON, LATEST or AT_TIMESTAMP, got ${String(resolved.startingPosition)}`,
    );
  }
  if (resolved.startingPosition === 'AT_TIMESTAMP' && resolved.startingPositionTimestampMs === undefined) {
    throw new ConsumerConfigError('Expected `startingPositionTimestampMs` with startingPosition AT_TIMESTAMP');
  }
  return resolved;
}

function checkInteger(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConsumerConfigError(`Expected \`${field}\` to be an integer from ${min} to ${max}, got ${value}`);
  }
}

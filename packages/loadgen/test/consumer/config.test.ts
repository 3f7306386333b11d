import { describe, expect, it } from 'vitest';
import { ConsumerConfigError, resolveConsumerConfig } from '../../src/consumer/config.js';

describe('resolveConsumerConfig', () => {
  it("applies Lambda's defaults", () => {
    expect(resolveConsumerConfig()).toEqual({
      batchSize: 100,
      startingPosition: 'TRIM_HORIZON',
      startingPositionTimestampMs: undefined,
      parallelizationFactor: 1,
      maxBatchingWindowMs: 0,
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: -1,
      maximumRecordAgeSeconds: -1,
      reportBatchItemFailures: false,
      deaggregate: false,
      functionTimeoutSeconds: 60,
    });
  });

  it.each([
    [{ batchSize: 0 }, 'Expected `batchSize` to be an integer from 1 to 10000, got 0'],
    [{ batchSize: 10_001 }, 'batchSize'],
    [{ parallelizationFactor: 11 }, 'Expected `parallelizationFactor` to be an integer from 1 to 10, got 11'],
    [{ maximumRetryAttempts: -2 }, 'maximumRetryAttempts'],
    [{ maxBatchingWindowMs: 1.5 }, 'maxBatchingWindowMs'],
    [{ startingPosition: 'EARLIEST' as never }, 'startingPosition'],
    [{ startingPosition: 'AT_TIMESTAMP' as const }, 'startingPositionTimestampMs'],
  ])('rejects %o', (config, message) => {
    expect(() => resolveConsumerConfig(config)).toThrow(message);
    expect(() => resolveConsumerConfig(config)).toThrow(ConsumerConfigError);
  });
});

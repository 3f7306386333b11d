import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../src/errors.js';
import { resolveOptions } from '../src/options.js';

describe('resolveOptions', () => {
  it('fills documented defaults', () => {
    const o = resolveOptions({ streamName: 'clicks' });
    expect(o).toMatchObject({
      streamName: 'clicks',
      lingerMs: 100,
      aggregation: { enabled: true, maxBytes: 51_200, maxRecords: Infinity },
      maxRequestRecords: 500,
      maxRequestBytes: 5 * 1024 * 1024,
      maxInFlightRequests: 16,
      onBufferFull: 'wait',
      recordTtlMs: 30_000,
      backoffCapMs: 60_000,
      ordering: 'none',
      keyHashing: 'md5',
      rateControl: 'adaptive',
    });
  });

  it('takes the stream name from an ARN', () => {
    expect(resolveOptions({ streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks' }).streamName).toBe('clicks');
  });

  it('accepts an infinite record TTL', () => {
    expect(resolveOptions({ streamName: 's', recordTtlMs: Infinity }).recordTtlMs).toBe(Infinity);
  });

  it.each([
    [{ streamName: 's', lingerMs: -1 }, 'Expected `lingerMs` to be a number between 0 and 60000, got -1'],
    [{ streamName: 's', maxRequestRecords: 501 }, 'Expected `maxRequestRecords` to be an integer between 1 and 500, got 501'],
    [{ streamName: 's', maxRequestBytes: 11 * 1024 * 1024 }, '`maxRequestBytes`'],
    [{ streamName: 's', recordTtlMs: Number.NaN }, '`recordTtlMs`'],
    [{ streamName: 's', ordering: 'strict' }, "Expected `ordering` to be one of 'none', 'per-shard', got \"strict\""],
    [{ streamName: 's', aggregation: { maxBytes: 32 } }, '`aggregation.maxBytes`'],
    [{ streamName: 's', aggregation: 'yes' }, '`aggregation`'],
    [{ streamName: 's', lingerMS: 5 }, 'Unknown option `lingerMS`'],
    [{ streamName: 'bad name' }, '`streamName`'],
    [{}, '`streamName`'],
    [{ streamArn: 'arn:aws:s3:::bucket' }, '`streamArn`'],
    [{ streamName: 's', backoffBaseMs: 500, backoffCapMs: 100 }, '`backoffCapMs`'],
  ])('rejects %j', (options, message) => {
    expect(() => resolveOptions(options as never)).toThrow(InvalidOptionError);
    expect(() => resolveOptions(options as never)).toThrow(message);
  });
});

/**
 * Producer options: their documented defaults and their validation.
 *
 * Validation happens once, in `createProducer`, before any I/O. A bad option throws
 * `InvalidOptionError` whose message reads like the spec it broke.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { InvalidOptionError } from './errors.js';

export const Ordering = { None: 'none', PerShard: 'per-shard' } as const;
export type Ordering = (typeof Ordering)[keyof typeof Ordering];

export const KeyHashing = { Md5: 'md5', Balanced: 'balanced' } as const;
export type KeyHashing = (typeof KeyHashing)[keyof typeof KeyHashing];

export const RateControl = { Adaptive: 'adaptive', Kpl: 'kpl', Off: 'off' } as const;
export type RateControl = (typeof RateControl)[keyof typeof RateControl];

export interface AggregationOptions {
  /** Largest aggregate, in bytes including the 20-byte KPL overhead. @default 51200 (as the KPL) */
  readonly maxBytes?: number;
  /** Most user records in one aggregate. @default Infinity (bounded by `maxBytes`) */
  readonly maxRecords?: number;
}

export interface ProducerOptions {
  /** Name of the stream. One of `streamName` or `streamArn` is required. */
  readonly streamName?: string;
  /** ARN of the stream; its name is taken from it. */
  readonly streamArn?: string;
  /** A configured client. @default a client from the standard AWS config chain, HTTP/1.1 keep-alive */
  readonly client?: KinesisClient;
  /** Region for the default client. @default the AWS config chain (AWS_REGION, profile) */
  readonly region?: string;
  /** Endpoint for the default client (LocalStack, local-kinesis). */
  readonly endpoint?: string;
  /** How long a record may wait for others to share its aggregate and request. @default 100 */
  readonly lingerMs?: number;
  /** KPL aggregation: `false` sends every user record as its own Kinesis record. @default true */
  readonly aggregation?: boolean | AggregationOptions;
  /** Entries in one PutRecords request, 1–500. @default 500 */
  readonly maxRequestRecords?: number;
  /** Bytes (data + partition keys) in one PutRecords request, up to 10 MiB. @default 5242880 (5 MiB) */
  readonly maxRequestBytes?: number;
  /** PutRecords requests in flight at once. @default 16 */
  readonly maxInFlightRequests?: number;
  /** Bytes of user data held by the producer (buffered and in flight). @default 67108864 (64 MiB) */
  readonly maxBufferedBytes?: number;
  /** User records held by the producer (buffered and in flight). @default 200000 */
  readonly maxBufferedRecords?: number;
  /** When the buffer is full: `wait` for room, or `reject` with `BufferFullError`. @default 'wait' */
  readonly onBufferFull?: 'wait' | 'reject';
  /** A record not written this long after `put` rejects with `RecordExpiredError`. `Infinity` allowed. @default 30000 */
  readonly recordTtlMs?: number;
  /** Abort a PutRecords request that takes longer (then it is retried). @default 6000 */
  readonly requestTimeoutMs?: number;
  /** First retry delay ceiling; doubles per attempt, full jitter. @default 100 */
  readonly backoffBaseMs?: number;
  /** Largest retry delay. @default 60000 */
  readonly backoffCapMs?: number;
  /** `per-shard` keeps each shard's records in put order across retries. @default 'none' */
  readonly ordering?: Ordering;
  /** How keyed records are routed. `md5` is what Kinesis does. @default 'md5' */
  readonly keyHashing?: KeyHashing;
  /** Write limit per shard in Kinesis records/s. @default 1000 */
  readonly shardRecordsPerSec?: number;
  /** Write limit per shard in bytes/s (data + partition key). @default 1048576 */
  readonly shardBytesPerSec?: number;
  /** Burst allowance of the producer's per-shard token buckets, in ms of traffic at the limit. @default 500 */
  readonly shardBurstMs?: number;
  /**
   * Per-shard pacing. `adaptive`: token buckets at the limit, lowered on throttles and raised on
   * success (AIMD), with per-shard backoff. `kpl`: the KPL's policy (buckets at 150% of the limit,
   * no backoff) for comparison. `off`: no pacing at all. @default 'adaptive'
   */
  readonly rateControl?: RateControl;
  /** Clock in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Uniform random in [0, 1). @default Math.random */
  readonly random?: () => number;
}

export interface ResolvedOptions {
  readonly streamName: string;
  readonly streamArn: string | undefined;
  readonly lingerMs: number;
  readonly aggregation: { readonly enabled: boolean; readonly maxBytes: number; readonly maxRecords: number };
  readonly maxRequestRecords: number;
  readonly maxRequestBytes: number;
  readonly maxInFlightRequests: number;
  readonly maxBufferedBytes: number;
  readonly maxBufferedRecords: number;
  readonly onBufferFull: 'wait' | 'reject';
  readonly recordTtlMs: number;
  readonly requestTimeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffCapMs: number;
  readonly ordering: Ordering;
  readonly keyHashing: KeyHashing;
  readonly shardRecordsPerSec: number;
  readonly shardBytesPerSec: number;
  readonly shardBurstMs: number;
  readonly rateControl: RateControl;
  readonly now: () => number;
  readonly random: () => number;
}

export const MiB = 1024 * 1024;
/** PutRecords hard limits (kinesis-facts §1). */
export const PUT_RECORDS_MAX_ENTRIES = 500;
export const PUT_RECORDS_MAX_BYTES = 10 * MiB;

function checkNumber(name: string, value: unknown, min: number, max: number, opts: { integer?: boolean; infinite?: boolean } = {}): number {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || opts.infinite === true) &&
    (opts.integer !== true || !Number.isFinite(value) || Number.isInteger(value)) &&
    value >= min &&
    value <= max;
  if (!ok) {
    const kind = opts.integer === true ? 'an integer' : 'a number';
    const range = max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new InvalidOptionError(name, `Expected \`${name}\` to be ${kind} ${range}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function pick<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new InvalidOptionError(name, `Expected \`${name}\` to be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

const ARN_STREAM = /^arn:aws[\w-]*:kinesis:[\w-]+:\d{12}:stream\/([a-zA-Z0-9_.-]{1,128})$/;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

function resolveStream(options: ProducerOptions): { streamName: string; streamArn: string | undefined } {
  const { streamName, streamArn } = options;
  if (streamArn !== undefined) {
    const match = typeof streamArn === 'string' ? ARN_STREAM.exec(streamArn) : null;
    if (match?.[1] === undefined) {
      throw new InvalidOptionError('streamArn', `Expected \`streamArn\` to be a Kinesis stream ARN, got ${JSON.stringify(streamArn)}`);
    }
    if (streamName !== undefined && streamName !== match[1]) {
      throw new InvalidOptionError('streamName', `\`streamName\` ${JSON.stringify(streamName)} does not match \`streamArn\` (${match[1]})`);
    }
    return { streamName: match[1], streamArn };
  }
  if (typeof streamName !== 'string' || !STREAM_NAME.test(streamName)) {
    throw new InvalidOptionError(
      'streamName',
      `Expected \`streamName\` (or \`streamArn\`) to be 1–128 characters of [a-zA-Z0-9_.-], got ${JSON.stringify(streamName)}`,
    );
  }
  return { streamName, streamArn: undefined };
}

const KNOWN = new Set<string>([
  'streamName', 'streamArn', 'client', 'region', 'endpoint', 'lingerMs', 'aggregation', 'maxRequestRecords',
  'maxRequestBytes', 'maxInFlightRequests', 'maxBufferedBytes', 'maxBufferedRecords', 'onBufferFull', 'recordTtlMs',
  'requestTimeoutMs', 'backoffBaseMs', 'backoffCapMs', 'ordering', 'keyHashing', 'shardRecordsPerSec',
  'shardBytesPerSec', 'shardBurstMs', 'rateControl', 'now', 'random',
]);

export function resolveOptions(options: ProducerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', `Expected an options object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new InvalidOptionError(key, `Unknown option \`${key}\``);
  }
  const stream = resolveStream(options);
  const agg = options.aggregation ?? true;
  if (typeof agg !== 'boolean' && (typeof agg !== 'object' || agg === null)) {
    throw new InvalidOptionError('aggregation', `Expected \`aggregation\` to be a boolean or { maxBytes?, maxRecords? }, got ${JSON.stringify(agg)}`);
  }
  const aggObj: AggregationOptions = typeof agg === 'object' ? agg : {};
  const aggregation = {
    enabled: agg !== false,
    maxBytes: checkNumber('aggregation.maxBytes', pick(aggObj.maxBytes, 51_200), 64, 10 * MiB, { integer: true }),
    maxRecords: checkNumber('aggregation.maxRecords', pick(aggObj.maxRecords, Infinity), 1, Infinity, { integer: true, infinite: true }),
  };
  const now = pick(options.now, Date.now);
  const random = pick(options.random, Math.random);
  if (typeof now !== 'function') throw new InvalidOptionError('now', 'Expected `now` to be a function returning epoch milliseconds');
  if (typeof random !== 'function') throw new InvalidOptionError('random', 'Expected `random` to be a function returning a number in [0, 1)');
  const backoffBaseMs = checkNumber('backoffBaseMs', pick(options.backoffBaseMs, 100), 1, 3_600_000);
  return {
    ...stream,
    lingerMs: checkNumber('lingerMs', pick(options.lingerMs, 100), 0, 60_000),
    aggregation,
    maxRequestRecords: checkNumber('maxRequestRecords', pick(options.maxRequestRecords, PUT_RECORDS_MAX_ENTRIES), 1, PUT_RECORDS_MAX_ENTRIES, { integer: true }),
    maxRequestBytes: checkNumber('maxRequestBytes', pick(options.maxRequestBytes, 5 * MiB), 1024, PUT_RECORDS_MAX_BYTES, { integer: true }),
    maxInFlightRequests: checkNumber('maxInFlightRequests', pick(options.maxInFlightRequests, 16), 1, 10_000, { integer: true }),
    maxBufferedBytes: checkNumber('maxBufferedBytes', pick(options.maxBufferedBytes, 64 * MiB), 1024, Number.MAX_SAFE_INTEGER, { integer: true }),
    maxBufferedRecords: checkNumber('maxBufferedRecords', pick(options.maxBufferedRecords, 200_000), 1, Number.MAX_SAFE_INTEGER, { integer: true }),
    onBufferFull: checkOneOf('onBufferFull', pick(options.onBufferFull, 'wait'), ['wait', 'reject'] as const),
    recordTtlMs: checkNumber('recordTtlMs', pick(options.recordTtlMs, 30_000), 1, Infinity, { infinite: true }),
    requestTimeoutMs: checkNumber('requestTimeoutMs', pick(options.requestTimeoutMs, 6_000), 1, 3_600_000),
    backoffBaseMs,
    backoffCapMs: checkNumber('backoffCapMs', pick(options.backoffCapMs, 60_000), backoffBaseMs, 3_600_000),
    ordering: checkOneOf('ordering', pick(options.ordering, Ordering.None), Object.values(Ordering)),
    keyHashing: checkOneOf('keyHashing', pick(options.keyHashing, KeyHashing.Md5), Object.values(KeyHashing)),
    shardRecordsPerSec: checkNumber('shardRecordsPerSec', pick(options.shardRecordsPerSec, 1000), 1, 1_000_000),
    shardBytesPerSec: checkNumber('shardBytesPerSec', pick(options.shardBytesPerSec, MiB), 1024, 1024 * MiB),
    shardBurstMs: checkNumber('shardBurstMs', pick(options.shardBurstMs, 500), 1, 60_000),
    rateControl: checkOneOf('rateControl', pick(options.rateControl, RateControl.Adaptive), Object.values(RateControl)),
    now,
    random,
  };
}

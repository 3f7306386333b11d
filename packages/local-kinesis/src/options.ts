/**
 * Options of `startLocalKinesis`, their defaults, and validation at the API edge (before any
 * socket or database is opened), with messages that read like the spec.
 */
import { InvalidOptionError } from './errors.js';

const MiB = 1024 * 1024;

/** Per-shard throughput limits. Every field is optional and defaults to the AWS value. */
export interface LimitsConfig {
  /** Write bytes per second per open shard, counting data + partition key. @default 1048576 (1 MiB) */
  writeBytesPerSec?: number;
  /** Write records per second per open shard. @default 1000 */
  writeRecordsPerSec?: number;
  /** GetRecords calls per second per shard. @default 5 */
  readCallsPerSec?: number;
  /** GetRecords bytes (data) per second per shard. @default 2097152 (2 MiB) */
  readBytesPerSec?: number;
  /**
   * How much unused capacity a shard may save up, as milliseconds of its rate: each bucket holds
   * `rate × burstMs / 1000`. @default 1000 (one second: 1,000 records or 1 MiB of writes)
   */
  burstMs?: number;
}

export interface FaultsConfig {
  /** Seed of the fault PRNG; the same seed and request order give the same faults. @default 1 */
  seed?: number;
  /** Probability (0–1) that a PutRecords entry fails with ErrorCode `InternalFailure`. @default 0 */
  internalFailureRate?: number;
  /** Probability (0–1) that a whole request answers HTTP 500 InternalFailure or 503 ServiceUnavailable. @default 0 */
  requestFailureRate?: number;
  /** Statuses a failed request picks from, uniformly. @default [500, 503] */
  requestFailureStatuses?: readonly (500 | 503)[];
  /** Latency added before every request is handled. @default 0 */
  latencyMs?: number;
  /** Extra latency drawn uniformly from [0, latencyJitterMs). @default 0 */
  latencyJitterMs?: number;
  /** Probability (0–1) that the connection is destroyed without any response. @default 0 */
  dropConnectionRate?: number;
  /** Operations (e.g. `['PutRecords']`) the faults apply to. @default every operation */
  operations?: readonly string[];
}

export interface LocalKinesisOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** `'aws'` (AWS per-shard limits), `'off'`, or AWS limits with overrides. @default 'aws' */
  limits?: 'aws' | 'off' | LimitsConfig;
  /** Injected faults; change them later with `setFaults`. @default none */
  faults?: FaultsConfig;
  /** Directory for kinesalite's LevelDB store; in memory when absent. @default undefined */
  dataDir?: string;
  /** Time a stream spends CREATING/DELETING/UPDATING. @default 20 */
  transitionMs?: number;
  /** Maximum shards over all streams (AWS default account quota is 200–500). @default 10000 */
  shardLimit?: number;
  /** Largest record, data + partition key, as AWS checks it. @default 1048576 (1 MiB) */
  maxRecordBytes?: number;
  /** Largest PutRecords request, data + partition keys of all entries. @default 10485760 (10 MiB) */
  maxRequestBytes?: number;
}

export type ResolvedLimits = Required<LimitsConfig>;

export interface ResolvedFaults {
  seed: number;
  internalFailureRate: number;
  requestFailureRate: number;
  requestFailureStatuses: readonly (500 | 503)[];
  latencyMs: number;
  latencyJitterMs: number;
  dropConnectionRate: number;
  operations: ReadonlySet<string> | undefined;
}

export interface ResolvedOptions {
  port: number;
  limits: ResolvedLimits | undefined;
  faults: ResolvedFaults;
  dataDir: string | undefined;
  transitionMs: number;
  shardLimit: number;
  maxRecordBytes: number;
  maxRequestBytes: number;
}

export const AWS_LIMITS: ResolvedLimits = {
  writeBytesPerSec: MiB,
  writeRecordsPerSec: 1000,
  readCallsPerSec: 5,
  readBytesPerSec: 2 * MiB,
  burstMs: 1000,
};

function check(field: string, value: number, min: number, max = Number.POSITIVE_INFINITY, integer = false): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const range = max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new InvalidOptionError(field, `Expected \`${field}\` to be ${integer ? 'an integer ' : ''}${range}, got ${value}`);
  }
  return value;
}

export function resolveLimits(limits: LocalKinesisOptions['limits']): ResolvedLimits | undefined {
  if (limits === 'off') return undefined;
  if (limits === undefined || limits === 'aws') return AWS_LIMITS;
  if (typeof limits !== 'object') {
    throw new InvalidOptionError('limits', `Expected \`limits\` to be 'aws', 'off' or an object, got ${String(limits)}`);
  }
  const merged = { ...AWS_LIMITS, ...limits };
  for (const key of Object.keys(AWS_LIMITS) as (keyof ResolvedLimits)[]) {
    check(`limits.${key}`, merged[key], key === 'burstMs' ? 1 : Number.MIN_VALUE);
  }
  return merged;
}

export function resolveFaults(faults: FaultsConfig = {}): ResolvedFaults {
  const statuses = faults.requestFailureStatuses ?? [500, 503];
  if (statuses.length === 0 || statuses.some((status) => status !== 500 && status !== 503)) {
    throw new InvalidOptionError(
      'faults.requestFailureStatuses',
      `Expected \`faults.requestFailureStatuses\` to hold 500 and/or 503, got [${statuses.join(', ')}]`,
    );
  }
  return {
    seed: check('faults.seed', faults.seed ?? 1, 0, 2 ** 32 - 1, true),
    internalFailureRate: check('faults.internalFailureRate', faults.internalFailureRate ?? 0, 0, 1),
    requestFailureRate: check('faults.requestFailureRate', faults.requestFailureRate ?? 0, 0, 1),
    requestFailureStatuses: statuses,
    latencyMs: check('faults.latencyMs', faults.latencyMs ?? 0, 0),
    latencyJitterMs: check('faults.latencyJitterMs', faults.latencyJitterMs ?? 0, 0),
    dropConnectionRate: check('faults.dropConnectionRate', faults.dropConnectionRate ?? 0, 0, 1),
    operations: faults.operations === undefined ? undefined : new Set(faults.operations),
  };
}

export function resolveOptions(options: LocalKinesisOptions = {}): ResolvedOptions {
  return {
    port: check('port', options.port ?? 0, 0, 65535, true),
    limits: resolveLimits(options.limits),
    faults: resolveFaults(options.faults),
    dataDir: options.dataDir,
    transitionMs: check('transitionMs', options.transitionMs ?? 20, 0),
    shardLimit: check('shardLimit', options.shardLimit ?? 10_000, 1, Number.POSITIVE_INFINITY, true),
    maxRecordBytes: check('maxRecordBytes', options.maxRecordBytes ?? MiB, 1),
    maxRequestBytes: check('maxRequestBytes', options.maxRequestBytes ?? 10 * MiB, 1),
  };
}

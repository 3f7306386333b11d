/**
 * Capacity planning from Kinesis' limits and Lambda's event source mapping rules of thumb
 * (kinesis-facts §1 and §4): how many shards a write rate needs, whether a Lambda consumer keeps up,
 * and how its IteratorAge behaves.
 *
 * Invariants:
 * - Pure arithmetic: no clock, no I/O; every figure derives from the inputs by the formulas that
 *   format-plan.ts prints next to the numbers.
 * - Traffic is assumed spread evenly over the shards; a hot partition key needs more (the run's
 *   per-shard report shows it).
 * - `recordBytes` is what Kinesis counts against the write limit: data + partition key.
 */

/** Write limit per shard, Kinesis records/s. */
export const WRITE_RECORDS_PER_SHARD = 1000;
/** Write limit per shard, bytes/s (1 MiB). */
export const WRITE_BYTES_PER_SHARD = 1_048_576;
/** Read limit per shard, bytes/s (2 MiB), shared by every standard consumer of the shard. */
export const READ_BYTES_PER_SHARD = 2_097_152;
/** The KPL's default AggregationMaxSize: aggregates are cut at 51,200 bytes. */
export const AGGREGATE_MAX_BYTES = 51_200;
/** Magic (4) + MD5 (16) around every aggregate's protobuf. */
export const AGGREGATE_FIXED_BYTES = 20;
/**
 * Protobuf framing per user record inside an aggregate: the Record's tag and length (≈3), its key
 * index (≈2) and the data's tag and length (≈3). An approximation: keys of the key table add more.
 */
export const AGGREGATED_RECORD_OVERHEAD_BYTES = 8;
/** Lambda's synchronous invocation payload limit (6 MB). */
export const LAMBDA_PAYLOAD_BYTES = 6_291_456;
/** Lambda event JSON around each record's base64 data (eventID, ARNs, keys, timestamps). */
export const EVENT_RECORD_OVERHEAD_BYTES = 350;
/** Lambda polls a caught-up shard about once a second. */
export const IDLE_POLL_MS = 1000;

export interface PlanInput {
  /** User records per second. */
  rate: number;
  /** Bytes of one user record as Kinesis counts them (data + partition key). */
  recordBytes: number;
  /** KPL aggregation: user records packed into aggregates of ≤ 51,200 bytes. @default false */
  aggregation?: boolean;
  /** Shards of the stream; when absent the plan uses the shards the limits need. */
  shards?: number;
  /** Lambda BatchSize (Kinesis records per invocation). @default 100 */
  batchSize?: number;
  /** Duration of one invocation on a full batch, ms; without it the consumer is not planned. */
  functionMs?: number;
  /** Lambda ParallelizationFactor: concurrent batches per shard. @default 1 */
  parallelizationFactor?: number;
  /** Stream retention: an IteratorAge reaching it means records expire unread. @default 24 */
  retentionHours?: number;
}

export interface WritePlan {
  /** User records per Kinesis record (1 without aggregation). */
  userRecordsPerKinesisRecord: number;
  kinesisRecordBytes: number;
  kinesisRecordsPerSec: number;
  bytesPerSec: number;
  shardsForRecords: number;
  shardsForBytes: number;
  shardsNeeded: number;
  /** Which limit sets `shardsNeeded`. */
  binding: 'records' | 'bytes';
}

export interface ConsumerPlan {
  /** Kinesis records per invocation after the 6 MB payload cap. */
  batchKinesisRecords: number;
  batchUserRecords: number;
  /** User records/s one shard's consumer sustains with a backlog (full batches). */
  capacityPerShard: number;
  limitedBy: 'function' | 'read-bytes';
  /** User records/s arriving at one shard. */
  ingestPerShard: number;
  /** ingestPerShard ÷ capacityPerShard. */
  utilization: number;
  keepsUp: boolean;
  /** Shards at which the consumer keeps up (it scales with shards). */
  shardsNeeded: number;
  iteratorAge: {
    trend: 'flat' | 'growing';
    /** Seconds of IteratorAge gained per second of run: 1 − capacity ÷ ingest when growing. */
    growthSecondsPerSecond: number;
    /** When flat: up to one idle poll plus one invocation. */
    steadyMaxMs: number | undefined;
    /** When growing: hours until records expire unread. */
    hoursToRetention: number | undefined;
  };
}

export interface CapacityPlan {
  input: Required<Omit<PlanInput, 'shards' | 'functionMs'>> & Pick<PlanInput, 'shards' | 'functionMs'>;
  write: WritePlan;
  /** The shards the per-shard figures use: the given ones, or `write.shardsNeeded`. */
  shards: number;
  perShard: { kinesisRecordsPerSec: number; bytesPerSec: number; recordsUtilization: number; bytesUtilization: number };
  consumer: ConsumerPlan | undefined;
  /** Enough shards for the write limits and (when planned) the consumer. */
  recommendedShards: number;
}

export function planCapacity(input: PlanInput): CapacityPlan {
  const resolved = {
    rate: input.rate,
    recordBytes: input.recordBytes,
    aggregation: input.aggregation ?? false,
    batchSize: input.batchSize ?? 100,
    parallelizationFactor: input.parallelizationFactor ?? 1,
    retentionHours: input.retentionHours ?? 24,
    ...(input.shards === undefined ? {} : { shards: input.shards }),
    ...(input.functionMs === undefined ? {} : { functionMs: input.functionMs }),
  };
  const write = planWrites(resolved.rate, resolved.recordBytes, resolved.aggregation);
  const shards = resolved.shards ?? write.shardsNeeded;
  const perShard = {
    kinesisRecordsPerSec: write.kinesisRecordsPerSec / shards,
    bytesPerSec: write.bytesPerSec / shards,
    recordsUtilization: write.kinesisRecordsPerSec / shards / WRITE_RECORDS_PER_SHARD,
    bytesUtilization: write.bytesPerSec / shards / WRITE_BYTES_PER_SHARD,
  };
  const consumer =
    resolved.functionMs === undefined ? undefined : planConsumer(resolved, resolved.functionMs, write, shards);
  return {
    input: resolved,
    write,
    shards,
    perShard,
    consumer,
    recommendedShards: Math.max(write.shardsNeeded, consumer?.shardsNeeded ?? 0),
  };
}

/**
 * 5,000 records/s of 1,000 B: 5 shards for records, ⌈5,000,000 ÷ 1,048,576⌉ = 5 for bytes. With
 * aggregation, ⌊51,180 ÷ 1,008⌋ = 50 records per aggregate: 100 Kinesis records/s, still 5 shards
 * for bytes — aggregation lifts the record limit, never the byte limit.
 */
export function planWrites(rate: number, recordBytes: number, aggregation: boolean): WritePlan {
  const packed = aggregation
    ? Math.floor((AGGREGATE_MAX_BYTES - AGGREGATE_FIXED_BYTES) / (recordBytes + AGGREGATED_RECORD_OVERHEAD_BYTES))
    : 1;
  // A record too large to share an aggregate is sent raw (the KPL sends a lone record unwrapped).
  const perRecord = Math.max(1, packed);
  const kinesisRecordBytes =
    perRecord === 1 ? recordBytes : AGGREGATE_FIXED_BYTES + perRecord * (recordBytes + AGGREGATED_RECORD_OVERHEAD_BYTES);
  const kinesisRecordsPerSec = rate / perRecord;
  const bytesPerSec = kinesisRecordsPerSec * kinesisRecordBytes;
  const shardsForRecords = Math.max(1, Math.ceil(kinesisRecordsPerSec / WRITE_RECORDS_PER_SHARD));
  const shardsForBytes = Math.max(1, Math.ceil(bytesPerSec / WRITE_BYTES_PER_SHARD));
  return {
    userRecordsPerKinesisRecord: perRecord,
    kinesisRecordBytes,
    kinesisRecordsPerSec,
    bytesPerSec,
    shardsForRecords,
    shardsForBytes,
    shardsNeeded: Math.max(shardsForRecords, shardsForBytes),
    binding: shardsForBytes > shardsForRecords ? 'bytes' : 'records',
  };
}

/**
 * 4 shards at 2,000 records/s each way: 500/s per shard; batch 100 in 200 ms gives 500/s per shard
 * (utilization 1, keeps up). At 300 ms: 333/s, IteratorAge grows 1 − 333 ÷ 500 = 0.33 s per s and
 * reaches a 24 h retention after 86,400 ÷ 0.33 s = 72 h.
 */
function planConsumer(
  input: { rate: number; batchSize: number; parallelizationFactor: number; retentionHours: number },
  functionMs: number,
  write: WritePlan,
  shards: number,
): ConsumerPlan {
  // Lambda's event carries base64 data (4 bytes per 3) plus JSON per record, within 6 MB.
  const eventRecordBytes = Math.ceil(write.kinesisRecordBytes / 3) * 4 + EVENT_RECORD_OVERHEAD_BYTES;
  const batchKinesisRecords = Math.max(1, Math.min(input.batchSize, Math.floor(LAMBDA_PAYLOAD_BYTES / eventRecordBytes)));
  const batchUserRecords = batchKinesisRecords * write.userRecordsPerKinesisRecord;
  const byFunction = (input.parallelizationFactor * batchUserRecords * 1000) / functionMs;
  const byReadBytes = (READ_BYTES_PER_SHARD / write.kinesisRecordBytes) * write.userRecordsPerKinesisRecord;
  const capacityPerShard = Math.min(byFunction, byReadBytes);
  const ingestPerShard = input.rate / shards;
  const utilization = ingestPerShard / capacityPerShard;
  const keepsUp = utilization <= 1;
  const growth = keepsUp ? 0 : 1 - capacityPerShard / ingestPerShard;
  return {
    batchKinesisRecords,
    batchUserRecords,
    capacityPerShard,
    limitedBy: byReadBytes < byFunction ? 'read-bytes' : 'function',
    ingestPerShard,
    utilization,
    keepsUp,
    shardsNeeded: Math.max(1, Math.ceil(input.rate / capacityPerShard)),
    iteratorAge: {
      trend: keepsUp ? 'flat' : 'growing',
      growthSecondsPerSecond: growth,
      steadyMaxMs: keepsUp ? IDLE_POLL_MS + functionMs : undefined,
      hoursToRetention: keepsUp ? undefined : input.retentionHours / growth,
    },
  };
}

/**
 * One-shot KPL aggregation of a list of user records: validates the list at the API edge, then
 * encodes it with the same builder the producer uses on its hot path.
 *
 * The caller chooses what goes into one aggregate. To be read back by the KCL, every record of an
 * aggregate must hash into the shard the aggregate is written to (the KCL drops whole aggregates
 * that straddle shards), and the aggregate should be put with an ExplicitHashKey inside that shard.
 */
import { InvalidRecordError } from '../errors.js';
import { AggregateBuilder } from './aggregate-builder.js';

/**
 * The builder `aggregate()` calls reuse: its staging buffer and key indexes are sized by earlier
 * calls instead of growing from empty at every call (for 250 records of 100 bytes under distinct
 * keys, a new builder took four staging buffers, 4 to 32 KiB, with three copies, and three
 * doublings of its key index). Reset after each call, so it keeps no key strings; its staging
 * buffer keeps the last call's bytes until overwritten, as Buffer.allocUnsafe's pool does.
 */
const shared = { builder: new AggregateBuilder(), busy: false };

/**
 * After an aggregate larger than this (bytes, or records), the shared builder is replaced rather
 * than kept: its memory is sized by the largest call, and the next call may never come. 1 MiB is
 * Kinesis' record limit, so aggregates meant for a stream stay within it.
 */
const SHARED_MAX_BYTES = 1 << 20;
const SHARED_MAX_RECORDS = 10_000;

/** A user record to aggregate. */
export interface UserRecordInput {
  /** Partition key of the user record, stored in the aggregate's key table. */
  partitionKey: string;
  /** Decimal hash key of the user record, stored in the aggregate's hash key table. */
  explicitHashKey?: string | undefined;
  data: Uint8Array;
}

/** Why `record` cannot be aggregated, or undefined when it can. Allocates nothing when valid. */
function problem(record: UserRecordInput): [field: string, expected: string] | undefined {
  if (typeof record !== 'object' || record === null) return ['', 'an object'];
  if (typeof record.partitionKey !== 'string') return ['.partitionKey', 'a string'];
  const hashKey: unknown = record.explicitHashKey;
  if (hashKey !== undefined && typeof hashKey !== 'string') return ['.explicitHashKey', 'a string or undefined'];
  if (!(record.data instanceof Uint8Array)) return ['.data', 'a Uint8Array'];
  return undefined;
}

function invalid(record: UserRecordInput, index: number, [field, expected]: [string, string]): InvalidRecordError {
  const path = `records[${index}]${field}`;
  const value: unknown = field === '' ? record : (record as unknown as Record<string, unknown>)[field.slice(1)];
  const got = value === null ? 'null' : typeof value;
  return new InvalidRecordError(path, `Expected \`${path}\` to be ${expected}, got ${got}`, record);
}

/**
 * Encodes `records` as one KPL aggregate (key tables deduplicated, records in order, so user
 * record i reads back with subSequenceNumber i). Throws `InvalidRecordError` for an empty list or a
 * record of the wrong shape; size limits are the caller's business (see `AggregateBuilder`).
 */
export function aggregate(records: readonly UserRecordInput[]): Buffer {
  if (!Array.isArray(records) || records.length === 0) {
    const got = Array.isArray(records) ? 'an empty list' : typeof records;
    throw new InvalidRecordError('records', `Expected \`records\` to hold at least 1 record, got ${got}`, records);
  }
  // A getter on a record could call aggregate() again before this call is done: that call gets a
  // builder of its own.
  const owned = !shared.busy;
  const builder = owned ? shared.builder : new AggregateBuilder();
  if (owned) shared.busy = true;
  try {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as UserRecordInput;
      const found = problem(record);
      if (found !== undefined) throw invalid(record, i, found);
      builder.add(record.partitionKey, record.explicitHashKey, record.data);
    }
    return builder.build();
  } finally {
    // A builder of its own (a re-entrant call) is left to the GC.
    if (owned) {
      if (builder.sizeBytes > SHARED_MAX_BYTES || builder.count > SHARED_MAX_RECORDS) shared.builder = new AggregateBuilder();
      else builder.reset();
      shared.busy = false;
    }
  }
}

/** The builder the next `aggregate()` call will use (for tests). */
export function sharedBuilderForTests(): AggregateBuilder {
  return shared.builder;
}

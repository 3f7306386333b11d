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

/** A user record to aggregate. */
export interface UserRecordInput {
  /** Partition key of the user record, stored in the aggregate's key table. */
  partitionKey: string;
  /** Decimal hash key of the user record, stored in the aggregate's hash key table. */
  explicitHashKey?: string | undefined;
  data: Uint8Array;
}

function validate(record: UserRecordInput, index: number): void {
  const at = `records[${index}]`;
  if (typeof record !== 'object' || record === null) {
    throw new InvalidRecordError(at, `Expected \`${at}\` to be an object, got ${String(record)}`, record);
  }
  if (typeof record.partitionKey !== 'string') {
    const got = typeof record.partitionKey;
    throw new InvalidRecordError(
      `${at}.partitionKey`,
      `Expected \`${at}.partitionKey\` to be a string, got ${got}`,
      record,
    );
  }
  if (record.explicitHashKey !== undefined && typeof record.explicitHashKey !== 'string') {
    const got = typeof record.explicitHashKey;
    throw new InvalidRecordError(
      `${at}.explicitHashKey`,
      `Expected \`${at}.explicitHashKey\` to be a string or undefined, got ${got}`,
      record,
    );
  }
  if (!(record.data instanceof Uint8Array)) {
    throw new InvalidRecordError(`${at}.data`, `Expected \`${at}.data\` to be a Uint8Array`, record);
  }
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
  const builder = new AggregateBuilder();
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as UserRecordInput;
    validate(record, i);
    builder.add(record.partitionKey, record.explicitHashKey, record.data);
  }
  return builder.build();
}

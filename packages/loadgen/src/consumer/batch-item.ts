/**
 * A batch item: one record as the handler will see it, plus the user records it carries for
 * measurement. Turning a stream record into items is where deaggregation happens.
 *
 * Invariants:
 * - Measurement always sees user records: a KPL aggregate of 300 records yields 300 user records
 *   for the recorder whether or not the handler is given the aggregate.
 * - With `deaggregate: true` each user record becomes its own item, carrying the aggregate's
 *   sequence number (Lambda cannot checkpoint inside an aggregate, so neither does this).
 * - `payloadBytes` estimates the item's share of the invocation payload: base64 data (4/3 of the
 *   bytes) plus ~400 bytes of JSON envelope per record; a 1 MiB record counts ~1.4 MB of the 6 MB.
 */
import { deaggregate } from '@shardline/producer';
import type { StreamRecord } from './shard-source.js';

export interface UserRecordView {
  data: Uint8Array;
  partitionKey: string;
  subSequenceNumber?: number;
}

export interface BatchItem {
  shardId: string;
  partitionKey: string;
  sequenceNumber: string;
  data: Uint8Array;
  arrivalMs: number;
  userRecords: UserRecordView[];
  payloadBytes: number;
  /** How many times the item was handed to the handler (or to measurement) already. */
  deliveries: number;
}

const EVENT_RECORD_OVERHEAD_BYTES = 400;

export function toBatchItems(shardId: string, record: StreamRecord, deaggregateForHandler: boolean): BatchItem[] {
  const users = deaggregate({
    Data: record.data,
    PartitionKey: record.partitionKey,
    SequenceNumber: record.sequenceNumber,
  }).map((u): UserRecordView => {
    const view: UserRecordView = { data: u.data, partitionKey: u.partitionKey };
    if (u.subSequenceNumber !== undefined) view.subSequenceNumber = u.subSequenceNumber;
    return view;
  });
  const item = (data: Uint8Array, partitionKey: string, userRecords: UserRecordView[]): BatchItem => ({
    shardId,
    partitionKey,
    sequenceNumber: record.sequenceNumber,
    data,
    arrivalMs: record.arrivalMs,
    userRecords,
    payloadBytes: Math.ceil(data.length / 3) * 4 + partitionKey.length + EVENT_RECORD_OVERHEAD_BYTES,
    deliveries: 0,
  });
  if (!deaggregateForHandler || users.length === 1) return [item(record.data, record.partitionKey, users)];
  return users.map((u) => item(u.data, u.partitionKey, [u]));
}

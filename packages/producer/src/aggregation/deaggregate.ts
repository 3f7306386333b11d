/**
 * Turns one Kinesis record, as a consumer receives it, into its user records: the records of a KPL
 * aggregate, or the record itself when it is not one.
 *
 * Invariants: never throws on bad bytes (a blob with bad magic, MD5, protobuf or key index comes
 * back as one raw record, as the KCL does); every output carries the outer record's sequence
 * number and arrival time; `subSequenceNumber` is the index inside the aggregate and is absent on
 * raw records; `data` is a view into the input bytes, not a copy.
 */
import { InvalidRecordError } from '../errors.js';
import { decodeAggregate } from './decode-aggregate.js';

/** A record as `GetRecords` in `@aws-sdk/client-kinesis` returns it. */
export interface KinesisRecordLike {
  Data: Uint8Array | undefined;
  PartitionKey?: string | undefined;
  SequenceNumber?: string | undefined;
  ApproximateArrivalTimestamp?: Date | undefined;
  ExplicitHashKey?: string | undefined;
}

/** The `kinesis` member of a Lambda Kinesis event record. */
export interface LambdaKinesisPayloadLike {
  /** Base64 of the record bytes. */
  data: string;
  partitionKey: string;
  sequenceNumber?: string | undefined;
  /** Epoch seconds with a fractional part, e.g. 1545084650.987. */
  approximateArrivalTimestamp?: number | undefined;
  explicitHashKey?: string | undefined;
}

/** One element of a Lambda Kinesis event's `Records`. */
export interface LambdaKinesisRecordLike {
  kinesis: LambdaKinesisPayloadLike;
}

/** A user record read back from Kinesis. */
export interface DeaggregatedRecord {
  partitionKey: string;
  explicitHashKey?: string;
  data: Uint8Array;
  /** Sequence number of the Kinesis record that carried this user record. */
  sequenceNumber?: string;
  /** Index inside the aggregate; absent when the Kinesis record was not an aggregate. */
  subSequenceNumber?: number;
  approximateArrivalTimestamp?: Date;
  /** True when this user record came out of a KPL aggregate. */
  aggregated: boolean;
}

/** The outer record, whatever shape it came in. */
interface OuterRecord {
  partitionKey: string;
  explicitHashKey: string | undefined;
  data: Uint8Array;
  sequenceNumber: string | undefined;
  arrivalMs: number | undefined;
}

function fromLambda(payload: LambdaKinesisPayloadLike): OuterRecord {
  const seconds = payload.approximateArrivalTimestamp;
  return {
    partitionKey: payload.partitionKey,
    explicitHashKey: payload.explicitHashKey,
    data: Buffer.from(typeof payload.data === 'string' ? payload.data : '', 'base64'),
    sequenceNumber: payload.sequenceNumber,
    // 1545084650.987 s → 1545084650987 ms; rounding absorbs the float error of × 1000.
    arrivalMs: typeof seconds === 'number' ? Math.round(seconds * 1000) : undefined,
  };
}

function normalize(record: KinesisRecordLike | LambdaKinesisRecordLike | LambdaKinesisPayloadLike): OuterRecord {
  if (typeof record === 'object' && record !== null) {
    if ('kinesis' in record && typeof record.kinesis === 'object' && record.kinesis !== null) {
      return fromLambda(record.kinesis);
    }
    if ('Data' in record) {
      return {
        partitionKey: record.PartitionKey ?? '',
        explicitHashKey: record.ExplicitHashKey,
        data: record.Data instanceof Uint8Array ? record.Data : new Uint8Array(0),
        sequenceNumber: record.SequenceNumber,
        arrivalMs: record.ApproximateArrivalTimestamp?.getTime(),
      };
    }
    if ('data' in record && typeof record.data === 'string') return fromLambda(record);
  }
  throw new InvalidRecordError(
    'record',
    'Expected an SDK GetRecords record (`Data`) or a Lambda Kinesis event record (`kinesis.data`)',
    record,
  );
}

/** Copies the outer record's position and arrival time onto a user record. */
function withOuter(target: DeaggregatedRecord, outer: OuterRecord): DeaggregatedRecord {
  if (outer.sequenceNumber !== undefined) target.sequenceNumber = outer.sequenceNumber;
  if (outer.arrivalMs !== undefined) target.approximateArrivalTimestamp = new Date(outer.arrivalMs);
  return target;
}

/**
 * The user records of an SDK GetRecords record, a Lambda Kinesis event record, or its `kinesis`
 * payload. Throws `InvalidRecordError` only when the argument has none of these shapes.
 */
export function deaggregate(
  record: KinesisRecordLike | LambdaKinesisRecordLike | LambdaKinesisPayloadLike,
): DeaggregatedRecord[] {
  const outer = normalize(record);
  const users = decodeAggregate(outer.data);
  if (users === undefined) {
    const raw: DeaggregatedRecord = { partitionKey: outer.partitionKey, data: outer.data, aggregated: false };
    if (outer.explicitHashKey !== undefined) raw.explicitHashKey = outer.explicitHashKey;
    return [withOuter(raw, outer)];
  }
  const out = new Array<DeaggregatedRecord>(users.length);
  for (let i = 0; i < users.length; i++) {
    const user = users[i] as (typeof users)[number];
    const rec: DeaggregatedRecord = { partitionKey: user.partitionKey, data: user.data, aggregated: true };
    if (user.explicitHashKey !== undefined) rec.explicitHashKey = user.explicitHashKey;
    rec.subSequenceNumber = i;
    out[i] = withOuter(rec, outer);
  }
  return out;
}

/**
 * Public surface of the KPL aggregation codec: encode user records into the Kinesis Producer
 * Library's aggregate format and decode them back, byte-compatible with the Java KPL and the KCL.
 */
export { AGGREGATION_OVERHEAD_BYTES, isAggregated } from './kpl-format.js';
export { AggregateBuilder, type KeySlot } from './aggregate-builder.js';
export { aggregate, type UserRecordInput } from './aggregate.js';
export {
  deaggregate,
  type DeaggregatedRecord,
  type KinesisRecordLike,
  type LambdaKinesisPayloadLike,
  type LambdaKinesisRecordLike,
} from './deaggregate.js';

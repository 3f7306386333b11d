/** @shardline/producer — the public surface. */
export { createProducer, type Producer, type PutCallback } from './producer.js';
export type { ProducerOptions, AggregationOptions } from './options.js';
export { Ordering, KeyHashing, RateControl } from './options.js';
export type { UserRecord, PutResult, PutOutcome, Attempt } from './types.js';
export type { ProducerMetrics, ShardMetrics, Percentiles } from './metrics.js';
export type { ProducerEvents, ProducerEventName } from './events.js';
export {
  ShardlineError,
  ErrorCode,
  InvalidOptionError,
  InvalidRecordError,
  ProducerClosedError,
  BufferFullError,
  RecordExpiredError,
  RecordFailedError,
  StreamNotReadyError,
} from './errors.js';
export * from './aggregation/index.js';
export { md5HashKey, parseExplicitHashKey, MAX_HASH_KEY } from './hash-key.js';

// Flow control: per-shard token buckets, AIMD rate, backoff and failure classification.
export * from './token-bucket.js';
export * from './rate-controller.js';
export * from './backoff.js';
export * from './failure-kind.js';
export * from './shard-buckets.js';
export * from './flow-stats.js';
export * from './shard-flow.js';
export * from './fixed-rate-flow.js';

/** Public entry of @shardline/local-kinesis. */
export { startLocalKinesis } from './local-kinesis.js';
export type { LocalKinesis, LocalKinesisStats, CreateStreamInput } from './local-kinesis.js';
export type { LocalKinesisOptions, LimitsConfig, FaultsConfig, ResolvedLimits } from './options.js';
export { AWS_LIMITS } from './options.js';
export type { StreamStats } from './stream-registry.js';
export type { ShardStats } from './shard-account.js';
export type { FaultCounts } from './fault-injector.js';
export { readAllRecords } from './read-all-records.js';
export type { ReadRecord } from './read-all-records.js';
export { LocalKinesisError, LocalKinesisErrorCode, InvalidOptionError, KinesisRequestError } from './errors.js';

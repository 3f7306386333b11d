/**
 * Counters and latency histograms of one producer, and the snapshot `producer.metrics()` returns.
 * Names follow the KPL's metrics where they exist (UserRecordsPut, KinesisRecordsPut, ...).
 */
import { LatencyHistogram } from './latency-histogram.js';

export interface ShardMetrics {
  readonly kinesisRecordsPut: number;
  readonly bytesPut: number;
  readonly throttledRecords: number;
  readonly retries: number;
  readonly allowedRecordsPerSec: number;
  readonly allowedBytesPerSec: number;
  readonly queuedKinesisRecords: number;
  readonly queuedBytes: number;
}

export interface Percentiles {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export interface ProducerMetrics {
  /** User records resolved as written. */
  readonly userRecordsPut: number;
  /** User records rejected (any reason, expiry included). */
  readonly userRecordsFailed: number;
  readonly userRecordsExpired: number;
  /** User records waiting for buffer room, not yet admitted. */
  readonly userRecordsWaiting: number;
  readonly kinesisRecordsPut: number;
  readonly putRecordsRequests: number;
  /** Bytes accepted by Kinesis: data + partition keys of written Kinesis records. */
  readonly bytesPut: number;
  readonly userRecordsPerKinesisRecord: number;
  readonly kinesisRecordsPerRequest: number;
  readonly bufferedRecords: number;
  readonly bufferedBytes: number;
  readonly inFlightRequests: number;
  /** Kinesis records answered ProvisionedThroughputExceeded. */
  readonly throttledRecords: number;
  /** Kinesis records sent again after a failed attempt. */
  readonly retries: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Put → settled, for written records. */
  readonly bufferingTimeMs: Percentiles;
  /** PutRecords request durations. */
  readonly requestLatencyMs: Percentiles;
  /** Time the collector found shards waiting for tokens, summed over shards. */
  readonly tokenWaitMs: number;
  readonly listenerErrors: number;
  readonly shards: Readonly<Record<string, ShardMetrics>>;
  readonly hotKeys: readonly { key: string; count: number; errorBound: number }[];
  readonly shardSkew: { readonly maxOverMean: number; readonly coefficientOfVariation: number } | undefined;
}

interface ShardCounters {
  kinesisRecordsPut: number;
  bytesPut: number;
  throttledRecords: number;
  retries: number;
}

export class MetricsRecorder {
  userRecordsPut = 0;
  userRecordsFailed = 0;
  userRecordsExpired = 0;
  kinesisRecordsPut = 0;
  putRecordsRequests = 0;
  bytesPut = 0;
  throttledRecords = 0;
  retries = 0;
  userRecordsInKinesisRecords = 0;
  readonly errorsByCode: Record<string, number> = {};
  readonly bufferingTime = new LatencyHistogram();
  readonly requestLatency = new LatencyHistogram();
  readonly #shards = new Map<string, ShardCounters>();

  shard(shardId: string): ShardCounters {
    let c = this.#shards.get(shardId);
    if (c === undefined) {
      c = { kinesisRecordsPut: 0, bytesPut: 0, throttledRecords: 0, retries: 0 };
      this.#shards.set(shardId, c);
    }
    return c;
  }

  shardIds(): IterableIterator<string> {
    return this.#shards.keys();
  }

  error(code: string, count = 1): void {
    this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + count;
  }
}

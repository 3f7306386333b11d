/**
 * Where the event source mapping reads from: the three Kinesis calls it needs, behind an interface
 * so rule tests run against an in-memory shard (fast, exact) and real runs against a KinesisClient.
 *
 * Invariant: a source reports a closed shard's end by returning no `nextIterator`, exactly as
 * GetRecords does with `NextShardIterator` absent; the mapping then reads the shard's children.
 */

export interface StreamShard {
  shardId: string;
  parentShardId?: string;
  adjacentParentShardId?: string;
}

export interface StreamRecord {
  data: Uint8Array;
  partitionKey: string;
  sequenceNumber: string;
  /** Epoch ms (the stream keeps ms resolution). */
  arrivalMs: number;
}

export type IteratorPosition =
  | { type: 'TRIM_HORIZON' | 'LATEST' }
  | { type: 'AT_TIMESTAMP'; timestampMs: number }
  | { type: 'AFTER_SEQUENCE_NUMBER'; sequenceNumber: string };

export interface RecordPage {
  records: StreamRecord[];
  /** Absent when the shard is closed and every record has been read. */
  nextIterator?: string;
  millisBehindLatest?: number;
}

/** A read was refused for a reason the mapping handles (throttling, an expired iterator). */
export class SourceReadError extends Error {
  override readonly name = 'SourceReadError';
  readonly code: 'THROTTLED' | 'ITERATOR_EXPIRED';
  readonly retriable = true;
  constructor(code: 'THROTTLED' | 'ITERATOR_EXPIRED', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export interface ShardSource {
  /** Every shard of the stream, open and closed, with their parents. */
  listShards(): Promise<StreamShard[]>;
  getShardIterator(shardId: string, position: IteratorPosition): Promise<string>;
  /** Throws SourceReadError for throttling and expired iterators. */
  getRecords(iterator: string, limit: number): Promise<RecordPage>;
}

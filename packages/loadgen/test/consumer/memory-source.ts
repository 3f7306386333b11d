import type { IteratorPosition, RecordPage, ShardSource, StreamRecord, StreamShard } from '../../src/consumer/shard-source.js';
import { SourceReadError } from '../../src/consumer/shard-source.js';

interface MemoryShard {
  shard: StreamShard;
  records: StreamRecord[];
  closed: boolean;
}

/** An in-memory stream: shards, records, closing, and injectable read throttles. */
export class MemorySource implements ShardSource {
  private readonly shards = new Map<string, MemoryShard>();
  private nextSeq = 1;
  getRecordsCalls = 0;
  /** The next n GetRecords calls are throttled. */
  throttleNext = 0;
  /** ListShards fails while set. */
  listShardsFails = false;

  addShard(shardId: string, parents: { parentShardId?: string; adjacentParentShardId?: string } = {}): this {
    this.shards.set(shardId, { shard: { shardId, ...parents }, records: [], closed: false });
    return this;
  }

  /** Appends a record; sequence numbers are zero-padded so they sort as strings too. */
  put(shardId: string, partitionKey: string, data: string | Uint8Array, arrivalMs = Date.now()): string {
    const shard = this.shards.get(shardId);
    if (shard === undefined) throw new Error(`no shard ${shardId}`);
    const sequenceNumber = String(this.nextSeq++).padStart(20, '0');
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    shard.records.push({ data: bytes, partitionKey, sequenceNumber, arrivalMs });
    return sequenceNumber;
  }

  close(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard !== undefined) shard.closed = true;
  }

  async listShards(): Promise<StreamShard[]> {
    if (this.listShardsFails) throw new Error('ListShards failed');
    return [...this.shards.values()].map((s) => s.shard);
  }

  async getShardIterator(shardId: string, position: IteratorPosition): Promise<string> {
    const { records } = this.get(shardId);
    let index = 0;
    if (position.type === 'LATEST') index = records.length;
    if (position.type === 'AFTER_SEQUENCE_NUMBER') {
      index = records.findIndex((r) => r.sequenceNumber === position.sequenceNumber) + 1;
    }
    if (position.type === 'AT_TIMESTAMP') {
      index = records.findIndex((r) => r.arrivalMs >= position.timestampMs);
      if (index < 0) index = records.length;
    }
    return `${shardId}|${index}`;
  }

  async getRecords(iterator: string, limit: number): Promise<RecordPage> {
    this.getRecordsCalls++;
    if (this.throttleNext > 0) {
      this.throttleNext--;
      throw new SourceReadError('THROTTLED', 'Rate exceeded for shard');
    }
    const [shardId = '', at = '0'] = iterator.split('|');
    const shard = this.get(shardId);
    const index = Number(at);
    const records = shard.records.slice(index, index + limit);
    const next = index + records.length;
    if (shard.closed && next >= shard.records.length) return { records };
    return { records, nextIterator: `${shardId}|${next}` };
  }

  private get(shardId: string): MemoryShard {
    const shard = this.shards.get(shardId);
    if (shard === undefined) throw new Error(`no shard ${shardId}`);
    return shard;
  }
}

/**
 * The ShardSource of a real stream (AWS or local-kinesis): ListShards, GetShardIterator and
 * GetRecords through a KinesisClient.
 *
 * Invariants: ListShards is paged to the end (a stream with 10,000 shards answers in pages of
 * 1,000); throttling and expired iterators become SourceReadError so the mapping can wait or
 * re-position; every other error propagates unchanged.
 */
import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KMSThrottlingException,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  type GetShardIteratorCommandInput,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { SourceReadError, type IteratorPosition, type ShardSource, type StreamShard } from './shard-source.js';

export interface KinesisShardSourceOptions {
  client: KinesisClient;
  streamName: string;
  streamArn?: string;
}

export function createKinesisShardSource({ client, streamName, streamArn }: KinesisShardSourceOptions): ShardSource {
  // kinesalite does not accept StreamARN parameters (kinesis-facts §5): prefer the name.
  const stream = streamArn !== undefined && streamName === '' ? { StreamARN: streamArn } : { StreamName: streamName };
  return {
    async listShards() {
      const shards: StreamShard[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new ListShardsCommand(nextToken === undefined ? stream : { NextToken: nextToken }));
        for (const s of page.Shards ?? []) {
          if (s.ShardId === undefined) continue;
          const shard: StreamShard = { shardId: s.ShardId };
          if (s.ParentShardId !== undefined) shard.parentShardId = s.ParentShardId;
          if (s.AdjacentParentShardId !== undefined) shard.adjacentParentShardId = s.AdjacentParentShardId;
          shards.push(shard);
        }
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
      return shards;
    },

    async getShardIterator(shardId, position) {
      const out = await client.send(new GetShardIteratorCommand({ ...stream, ShardId: shardId, ...toInput(position) }));
      if (out.ShardIterator === undefined) throw new Error(`GetShardIterator returned no iterator for ${shardId}`);
      return out.ShardIterator;
    },

    async getRecords(iterator, limit) {
      try {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
        const records = (out.Records ?? []).map((r) => ({
          data: r.Data ?? new Uint8Array(0),
          partitionKey: r.PartitionKey ?? '',
          sequenceNumber: r.SequenceNumber ?? '',
          arrivalMs: r.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
        }));
        return {
          records,
          ...(out.NextShardIterator == null ? {} : { nextIterator: out.NextShardIterator }),
          ...(out.MillisBehindLatest === undefined ? {} : { millisBehindLatest: out.MillisBehindLatest }),
        };
      } catch (error) {
        if (error instanceof ProvisionedThroughputExceededException || error instanceof KMSThrottlingException) {
          throw new SourceReadError('THROTTLED', error.message, { cause: error });
        }
        if (error instanceof ExpiredIteratorException) {
          throw new SourceReadError('ITERATOR_EXPIRED', error.message, { cause: error });
        }
        throw error;
      }
    },
  };
}

function toInput(position: IteratorPosition): Omit<GetShardIteratorCommandInput, 'ShardId' | 'StreamName'> {
  switch (position.type) {
    case 'AT_TIMESTAMP':
      return { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(position.timestampMs) };
    case 'AFTER_SEQUENCE_NUMBER':
      return { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: position.sequenceNumber };
    default:
      return { ShardIteratorType: position.type };
  }
}

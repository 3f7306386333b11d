/**
 * Test helper: every record of every shard of a stream, read from TRIM_HORIZON until each shard is
 * caught up (an empty page) or closed (no next iterator), tagged with its shardId.
 *
 * It stays inside the AWS read limits by itself: one call per shard per 250 ms at most when a page
 * is full (5 calls/s allows 200 ms), and a throttled call waits 250 ms and tries again.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ReadRecord {
  shardId: string;
  partitionKey: string;
  sequenceNumber: string;
  data: Uint8Array;
  approximateArrivalTimestamp: Date | undefined;
}

const CALL_SPACING_MS = 250;

export async function readAllRecords(client: KinesisClient, streamName: string): Promise<ReadRecord[]> {
  const shardIds: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }),
    );
    for (const shard of page.Shards ?? []) if (shard.ShardId !== undefined) shardIds.push(shard.ShardId);
    nextToken = page.NextToken;
  } while (nextToken !== undefined);

  const perShard = await Promise.all(shardIds.map((shardId) => readShard(client, streamName, shardId)));
  return perShard.flat();
}

async function readShard(client: KinesisClient, streamName: string, shardId: string): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const start = await client.send(
    new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
  );
  let iterator = start.ShardIterator;
  while (iterator !== undefined) {
    let page;
    try {
      page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
    } catch (error) {
      if (!(error instanceof ProvisionedThroughputExceededException)) throw error;
      await sleep(CALL_SPACING_MS);
      continue;
    }
    const batch = page.Records ?? [];
    for (const record of batch) {
      records.push({
        shardId,
        partitionKey: record.PartitionKey ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
        data: record.Data ?? new Uint8Array(),
        approximateArrivalTimestamp: record.ApproximateArrivalTimestamp,
      });
    }
    if (batch.length === 0) break;
    iterator = page.NextShardIterator;
    await sleep(CALL_SPACING_MS);
  }
  return records;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  MergeShardsCommand,
  SplitShardCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '../src/index.js';

async function openShards(client: KinesisClient, streamName: string): Promise<Shard[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  return Shards.filter((shard) => shard.SequenceNumberRange?.EndingSequenceNumber === undefined);
}

async function waitActive(client: KinesisClient, streamName: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Expected ${streamName} to become ACTIVE`);
}

/** Start, end and middle of each open shard's range, with the shard that must receive them. */
function probes(shards: readonly Shard[]): { key: string; shardId: string }[] {
  return shards.flatMap((shard) => {
    const start = BigInt(shard.HashKeyRange?.StartingHashKey ?? '0');
    const end = BigInt(shard.HashKeyRange?.EndingHashKey ?? '0');
    return [start, (start + end) / 2n, end].map((key) => ({ key: key.toString(), shardId: shard.ShardId ?? '' }));
  });
}

describe('routing by ExplicitHashKey', () => {
  let local: LocalKinesis;
  let client: KinesisClient;
  beforeAll(async () => {
    local = await startLocalKinesis();
    client = local.client();
    await local.createStream({ name: 'routed', shardCount: 3 });
  });
  afterAll(() => local.stop());

  async function expectRouting(): Promise<void> {
    const cases = probes(await openShards(client, 'routed'));
    const batch = await client.send(
      new PutRecordsCommand({
        StreamName: 'routed',
        Records: cases.map(({ key }) => ({ PartitionKey: 'p', ExplicitHashKey: key, Data: new Uint8Array(1) })),
      }),
    );
    expect(batch.Records?.map((entry) => entry.ShardId)).toEqual(cases.map(({ shardId }) => shardId));
    for (const { key, shardId } of cases) {
      const single = await client.send(
        new PutRecordCommand({ StreamName: 'routed', PartitionKey: 'p', ExplicitHashKey: key, Data: new Uint8Array(1) }),
      );
      expect(single.ShardId).toBe(shardId);
    }
  }

  it('lands each key on the shard whose range holds it', async () => {
    await expectRouting();
    const stats = local.stats().streams['routed'];
    expect(stats?.shards.map((shard) => shard.acceptedRecords)).toEqual([6, 6, 6]);
  });

  it('lands keys on the children after SplitShard, and meters the children separately', async () => {
    const [first] = await openShards(client, 'routed');
    const start = BigInt(first?.HashKeyRange?.StartingHashKey ?? '0');
    const end = BigInt(first?.HashKeyRange?.EndingHashKey ?? '0');
    await client.send(
      new SplitShardCommand({
        StreamName: 'routed',
        ShardToSplit: first?.ShardId,
        NewStartingHashKey: ((start + end) / 2n).toString(),
      }),
    );
    await waitActive(client, 'routed');
    expect((await openShards(client, 'routed')).map((shard) => shard.ShardId)).toEqual([
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
      'shardId-000000000004',
    ]);
    await expectRouting();
    const shards = local.stats().streams['routed']?.shards ?? [];
    expect(shards.map(({ shardId, open, acceptedRecords }) => ({ shardId, open, acceptedRecords }))).toEqual([
      { shardId: 'shardId-000000000000', open: false, acceptedRecords: 6 },
      { shardId: 'shardId-000000000001', open: true, acceptedRecords: 12 },
      { shardId: 'shardId-000000000002', open: true, acceptedRecords: 12 },
      { shardId: 'shardId-000000000003', open: true, acceptedRecords: 6 },
      { shardId: 'shardId-000000000004', open: true, acceptedRecords: 6 },
    ]);
  });

  it('lands keys on the merged shard after MergeShards', async () => {
    // Children 3 and 4 of the split are adjacent; merging them closes both and opens shard 5.
    await client.send(
      new MergeShardsCommand({
        StreamName: 'routed',
        ShardToMerge: 'shardId-000000000003',
        AdjacentShardToMerge: 'shardId-000000000004',
      }),
    );
    await waitActive(client, 'routed');
    expect((await openShards(client, 'routed')).map((shard) => shard.ShardId).sort()).toEqual([
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000005',
    ]);
    await expectRouting();
    const shards = local.stats().streams['routed']?.shards ?? [];
    expect(shards.map(({ shardId, open }) => `${shardId}:${open}`)).toEqual([
      'shardId-000000000000:false',
      'shardId-000000000001:true',
      'shardId-000000000002:true',
      'shardId-000000000003:false',
      'shardId-000000000004:false',
      'shardId-000000000005:true',
    ]);
    expect(shards.find((shard) => shard.shardId === 'shardId-000000000005')?.acceptedRecords).toBe(6);
  });
});

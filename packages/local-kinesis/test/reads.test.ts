import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '../src/index.js';
import { entries } from './helpers.js';

const MiB = 1024 * 1024;

describe('reads', () => {
  let local: LocalKinesis;
  let client: KinesisClient;
  beforeAll(async () => {
    // Byte limits raised: 12 MB goes in and out here without waiting for buckets to refill.
    local = await startLocalKinesis({ limits: { writeBytesPerSec: 100 * MiB, readBytesPerSec: 100 * MiB } });
    client = local.client();
  });
  afterAll(() => local.stop());

  it('caps a GetRecords page at 10 MiB like AWS and continues at the first record left out', async () => {
    await local.createStream({ name: 'large-pages', shardCount: 1 });
    // 12 records of 1,000,000 B = 12 MB: a page of 10 (10 MB ≤ 10 MiB), then one of 2.
    for (const batch of [0, 1]) {
      const records = entries(6, 1_000_000, `b${batch}`);
      await client.send(new PutRecordsCommand({ StreamName: 'large-pages', Records: records }));
    }
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: 'large-pages', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const first = await client.send(new GetRecordsCommand({ ShardIterator }));
    expect(first.Records).toHaveLength(10);
    const second = await client.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(second.Records?.map((record) => record.PartitionKey)).toEqual(['b1-4', 'b1-5']);
    expect(local.stats().streams['large-pages']?.totals).toMatchObject({ readCalls: 2, readRecords: 12, readBytes: 12_000_000 });
  });

  it('readAllRecords returns every record of every shard with its shardId, in order per shard', async () => {
    await local.createStream({ name: 'all', shardCount: 3 });
    const sent = entries(300, 16, 'all');
    await client.send(new PutRecordsCommand({ StreamName: 'all', Records: sent }));
    const records = await readAllRecords(client, 'all');
    expect(records.map((record) => record.partitionKey).sort()).toEqual(sent.map((entry) => entry.PartitionKey).sort());
    const shards = local.stats().streams['all']?.shards ?? [];
    for (const shard of shards) {
      const inShard = records.filter((record) => record.shardId === shard.shardId);
      expect(inShard).toHaveLength(shard.acceptedRecords);
      const sequence = inShard.map((record) => BigInt(record.sequenceNumber));
      expect(sequence).toEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });
});

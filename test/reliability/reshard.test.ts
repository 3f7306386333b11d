/**
 * Resharding during load: while records flow into a 4-shard stream, shard 0 is split and shards 2
 * and 3 are merged. The producer learns the new map from records that land where it did not
 * predict (`reshard` events), re-routes what it holds, and every record still resolves with the
 * shard that really stored it — a parent before the change, a child or the merged shard after.
 *
 * Duplicates: none expected — a record that lands on another shard than predicted is a success,
 * never resent. (Which aggregates may straddle a split is covered in test/flow-control/reshard.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeStreamSummaryCommand, MergeShardsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '@shardline/producer';
import { seededRandom, taggedData } from '../helpers/records.js';
import { feed, shardRanges } from '../flow-control/harness.js';
import { accountFor, logFigures } from './accounting.js';

const STREAM = 'reshard-load';
let local: LocalKinesis;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'aws' });
  await local.createStream({ name: STREAM, shardCount: 4 });
});
afterAll(async () => {
  await local.stop();
});

async function untilActive(client: KinesisClient): Promise<void> {
  for (;;) {
    const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
    if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(20);
  }
}

describe('resharding during load', () => {
  it('split one shard and merge two others while sending: every record where its result says', async () => {
    const admin = local.client();
    const random = seededRandom(44);
    const producer = createProducer({ streamName: STREAM, client: local.client(), lingerMs: 20, random });
    const reshards: string[][] = [];
    producer.on('reshard', (e) => void reshards.push(e.shardIds));
    await producer.ready;
    const [s0, , s2, s3] = await shardRanges(admin, STREAM);
    let changedAt = 0;
    const change = (async () => {
      await sleep(700);
      await admin.send(new SplitShardCommand({ StreamName: STREAM, ShardToSplit: s0!.shardId, NewStartingHashKey: ((s0!.start + s0!.end) / 2n).toString() }));
      await untilActive(admin);
      await sleep(500);
      await admin.send(new MergeShardsCommand({ StreamName: STREAM, ShardToMerge: s2!.shardId, AdjacentShardToMerge: s3!.shardId }));
      await untilActive(admin);
      changedAt = performance.now();
    })();
    const fed = await feed({
      producer,
      ratePerSec: 2_000,
      durationMs: 15_000,
      until: () => changedAt > 0 && performance.now() > changedAt + 1_000,
      maxOutstanding: 10_000,
      makeRecord: (id) => ({ data: taggedData(id, 60), partitionKey: `user-${Math.floor(random() * 5_000)}` }),
    });
    await change;
    await producer.close();

    const ranges = await shardRanges(admin, STREAM);
    const open = ranges.filter((r) => r.open).map((r) => r.shardId);
    expect(open).toHaveLength(4); // 4 − 1 + 2 − 2 + 1
    expect(fed.errors.size).toBe(0);
    expect(reshards.length).toBeGreaterThan(0);
    // Results name shards of the new map: the split's children and the merged shard took records.
    const byShard = new Map<string, number>();
    for (const r of fed.results.values()) byShard.set(r.shardId, (byShard.get(r.shardId) ?? 0) + 1);
    const created = open.filter((id) => ![s0, s2, s3].some((s) => s?.shardId === id) && id !== ranges[1]?.shardId);
    expect(created).toHaveLength(3);
    for (const id of created) expect(byShard.get(id) ?? 0).toBeGreaterThan(0);

    const accounting = await accountFor(local.client(), STREAM, fed);
    expect(accounting).toMatchObject({ resolved: fed.count, lost: 0, duplicates: 0 });
    logFigures('resharding', accounting, { reshardEvents: reshards.length, recordsByShard: Object.fromEntries(byShard) });
  }, 60_000);
});

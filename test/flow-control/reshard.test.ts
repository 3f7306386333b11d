/**
 * A shard split while the producer is sending: the producer learns the new map from the first
 * record that lands on a child instead of the parent it predicted (a `reshard` event), re-routes
 * what it had buffered for the parent, and from then on aggregates per child.
 *
 * What happens to aggregates already in flight at the moment of the split: they were built for the
 * parent's whole hash range and are routed by the ExplicitHashKey of their first user record, so
 * Kinesis stores each one in the child that holds that key. Its other user records may hash into
 * the other child: such an aggregate straddles shards, and a KCL consumer would drop those records.
 * The producer cannot prevent it (the split happened after the request left) and resolves them as
 * written where they landed, as Kinesis says. The window is one request round trip plus the time to
 * re-read the map; aggregates sent after the producer saw the new map never straddle, which is what
 * this test checks, along with the straddlers all being from before that moment.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SplitShardCommand } from '@aws-sdk/client-kinesis';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '@shardline/producer';
import { seededRandom, tagOf, taggedData, userRecordsOf } from '../helpers/records.js';
import { checkReadBack, feed, hashOf, shardRanges } from './harness.js';

let local: LocalKinesis;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'aws' });
});
afterAll(async () => {
  await local.stop();
});

describe('shard split while sending', () => {
  it('records after the split land in the children; no aggregate sent after the new map straddles shards', async () => {
    const stream = 'split';
    await local.createStream({ name: stream, shardCount: 2 });
    const client = local.client();
    const random = seededRandom(21);
    // kinesalite holds writes while it splits a shard (seconds, on a busy machine); with the default
    // 6 s request timeout the producer would abandon requests the server then stores, and retry
    // them: the at-least-once duplicate that faults.test.ts reproduces on purpose, not this test's subject.
    const producer = createProducer({ streamName: stream, client, lingerMs: 20, requestTimeoutMs: 60_000, random });
    await producer.ready;
    const parent = (await shardRanges(client, stream))[0]!;
    const reshards: { atMs: number; shardIds: string[] }[] = [];
    producer.on('reshard', (e) => void reshards.push({ atMs: Date.now(), shardIds: e.shardIds }));

    // The split is asked for 500 ms into the feed; kinesalite answers it and opens the children
    // a moment later (seconds on a busy machine), so the feed runs until 1.5 s after that.
    const start = Date.now();
    let splitVisibleAtMs: number | undefined;
    const splitClient = local.client();
    const split = (async () => {
      await sleep(500);
      const middle = (parent.start + parent.end) / 2n;
      await splitClient.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: parent.shardId, NewStartingHashKey: middle.toString() }));
      while ((await shardRanges(splitClient, stream)).filter((r) => r.open).length < 3) await sleep(20);
      splitVisibleAtMs = Date.now();
    })();
    const fed = await feed({
      producer,
      ratePerSec: 3_000,
      durationMs: 20_000,
      maxOutstanding: 10_000,
      until: () => splitVisibleAtMs !== undefined && Date.now() > splitVisibleAtMs + 1_500,
      makeRecord: (id) => ({ data: taggedData(id, 100), partitionKey: `k${Math.floor(random() * 2_000)}` }),
    });
    await split;
    await producer.close();

    const ranges = await shardRanges(client, stream);
    const children = ranges.filter((r) => r.open && r.start >= parent.start && r.end <= parent.end);
    expect(children).toHaveLength(2);
    // The producer learned the new map: the parent is gone, both children are in it.
    expect(reshards.length).toBeGreaterThan(0);
    const learnedAtMs = reshards[0]!.atMs;
    expect(reshards[0]!.shardIds).not.toContain(parent.shardId);
    for (const c of children) expect(reshards[0]!.shardIds).toContain(c.shardId);

    // Nothing lost or duplicated, every promise names where its record is.
    expect(fed.errors.size).toBe(0);
    const users = userRecordsOf(await readAllRecords(client, stream));
    const report = checkReadBack(users, fed);
    expect(report.missing).toEqual([]);
    expect([...report.duplicates.keys()]).toEqual([]);
    expect(report.misplaced).toEqual([]);

    // Records put after the producer learned the map and hashing into the parent's range are in the children.
    const childIds = new Set(children.map((c) => c.shardId));
    let afterSplit = 0;
    for (const [id, result] of fed.results) {
      const hash = hashOf(fed.records[id]!);
      if (start + fed.putAtMs[id]! <= learnedAtMs || hash < parent.start || hash > parent.end) continue;
      afterSplit++;
      expect(childIds).toContain(result.shardId);
    }
    expect(afterSplit).toBeGreaterThan(500);

    // No aggregate sent after the producer learned the new map straddles shards.
    const rangeOf = new Map(ranges.map((r) => [r.shardId, r]));
    const outers = new Map<string, number[]>();
    for (const u of users) {
      if (!u.aggregated) continue;
      const key = `${u.shardId}/${u.sequenceNumber ?? ''}`;
      outers.set(key, [...(outers.get(key) ?? []), tagOf(u.data)]);
    }
    for (const [key, ids] of outers) {
      const range = rangeOf.get(key.split('/')[0]!)!;
      const straddles = ids.some((id) => {
        const hash = hashOf(fed.records[id]!);
        return hash < range.start || hash > range.end;
      });
      if (!straddles) continue;
      const sentAtMs = fed.results.get(ids[0]!)!.attempts.at(-1)!.startedAt;
      expect(sentAtMs).toBeLessThan(learnedAtMs);
    }
  }, 60_000);
});

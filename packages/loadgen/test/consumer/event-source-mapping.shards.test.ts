import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregate } from '@shardline/producer';
import { laneIndex } from '../../src/consumer/shard-reader.js';
import { fillShard, startHarness, type Harness } from './harness.js';
import { MemorySource } from './memory-source.js';

let running: Harness | undefined;
afterEach(async () => {
  await running?.mapping.stop();
  running = undefined;
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('event source mapping: lanes and order', () => {
  it('runs lanes of one shard concurrently while keeping each partition key in order', async () => {
    const source = new MemorySource().addShard('shard-0');
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let i = 0; i < 60; i++) source.put('shard-0', keys[i % keys.length] ?? '', `${i}`);
    let active = 0;
    let maxActive = 0;
    running = await startHarness(source, { batchSize: 4, parallelizationFactor: 3 }, async () => {
      maxActive = Math.max(maxActive, ++active);
      await sleep(5);
      active--;
    });
    const h = running;
    await h.settle(() => h.consumed.length === 60);
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(3);
    for (const key of keys) {
      const order = h.events.flatMap((e) => e.Records.filter((r) => r.kinesis.partitionKey === key).map((r) => Number(r.kinesis.sequenceNumber)));
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    for (const e of h.events) {
      expect(new Set(e.Records.map((r) => laneIndex(r.kinesis.partitionKey, 3))).size).toBe(1);
    }
  });

  it('reads a parent shard to its end before its children after a split', async () => {
    const source = new MemorySource().addShard('shard-0').addShard('shard-1', { parentShardId: 'shard-0' }).addShard('shard-2', { parentShardId: 'shard-0' });
    const parent = fillShard(source, 'shard-0', 5);
    source.close('shard-0');
    const children = [...fillShard(source, 'shard-1', 3), ...fillShard(source, 'shard-2', 3)];
    running = await startHarness(source, { batchSize: 2 }, () => undefined);
    const h = running;
    await h.settle(() => h.consumed.length === 11);
    const order = h.invocations.flat();
    expect(order.slice(0, 5)).toEqual(parent);
    expect(new Set(order.slice(5))).toEqual(new Set(children));
    expect(h.mapping.stats().shards.find((s) => s.shardId === 'shard-0')?.phase).toBe('done');
  });

  it('keeps reading when a later ListShards fails', async () => {
    const source = new MemorySource().addShard('shard-0');
    running = await startHarness(source, {});
    const h = running;
    source.listShardsFails = true;
    await h.settle(() => h.mapping.stats().listShardsErrors > 0);
    fillShard(source, 'shard-0', 2);
    await h.settle(() => h.consumed.length === 2);
    expect(h.mapping.stats().lastListShardsError).toBe('ListShards failed');
  });

  it('waits out throttled reads and counts them', async () => {
    const source = new MemorySource().addShard('shard-0');
    fillShard(source, 'shard-0', 3);
    source.throttleNext = 2;
    running = await startHarness(source, {});
    const h = running;
    await h.settle(() => h.consumed.length === 3);
    expect(h.mapping.stats().shards[0]).toMatchObject({ throttledCalls: 2 });
  });

  it.each([
    ['TRIM_HORIZON', ['old', 'new']],
    ['LATEST', ['new']],
  ] as const)('starts at %s', async (startingPosition, expected) => {
    const source = new MemorySource().addShard('shard-0');
    source.put('shard-0', 'k', 'old');
    running = await startHarness(source, { startingPosition });
    const h = running;
    await sleep(20); // the first GetShardIterator has been taken
    source.put('shard-0', 'k', 'new');
    await h.settle(() => h.consumed.length === expected.length);
    expect(h.consumed.map((r) => text(r.data))).toEqual(expected);
  });
});

describe('event source mapping: KPL aggregates and the event shape', () => {
  const users = ['u1', 'u2', 'u3'].map((k, i) => ({ partitionKey: k, data: bytes(`user-${i}`) }));

  it.each([
    [false, 1, 'a'],
    [true, 3, 'u1'],
  ])('deaggregate %s: the handler sees %i record(s); measurement always sees the user records', async (deaggregate, seen, firstKey) => {
    const source = new MemorySource().addShard('shard-0');
    source.put('shard-0', 'a', aggregate(users));
    running = await startHarness(source, { deaggregate }, () => undefined);
    const h = running;
    await h.settle(() => h.events.length === 1);
    expect(h.events[0]?.Records).toHaveLength(seen);
    expect(h.events[0]?.Records[0]?.kinesis.partitionKey).toBe(firstKey);
    expect(h.consumed.map((r) => [r.partitionKey, text(r.data), r.subSequenceNumber])).toEqual([
      ['u1', 'user-0', 0],
      ['u2', 'user-1', 1],
      ['u3', 'user-2', 2],
    ]);
  });

  it("builds Lambda's Kinesis event and a context", async () => {
    const source = new MemorySource().addShard('shardId-000000000006');
    const seq = source.put('shardId-000000000006', 'key-1', 'hello', 1_545_084_650_987);
    running = await startHarness(source, { functionTimeoutSeconds: 30 }, () => undefined);
    const h = running;
    await h.settle(() => h.events.length === 1);
    expect(h.events[0]).toEqual({
      Records: [
        {
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: 'key-1',
            sequenceNumber: seq,
            data: Buffer.from('hello').toString('base64'),
            approximateArrivalTimestamp: 1545084650.987,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `shardId-000000000006:${seq}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/loadgen-consumer-role',
          awsRegion: 'us-east-1',
          eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/test-stream',
        },
      ],
    });
    const context = h.contexts[0];
    expect(context).toMatchObject({
      functionName: 'loadgen-consumer',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:loadgen-consumer',
      memoryLimitInMB: '128',
    });
    expect(context?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context?.getRemainingTimeInMillis()).toBeGreaterThan(25_000);
    expect(context?.getRemainingTimeInMillis()).toBeLessThanOrEqual(30_000);
  });
});

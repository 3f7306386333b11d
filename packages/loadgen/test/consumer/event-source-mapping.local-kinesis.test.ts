import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeStreamSummaryCommand, PutRecordsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { nowUs } from '../../src/clock.js';
import { startEventSourceMapping } from '../../src/consumer/event-source-mapping.js';
import { encodeRecord } from '../../src/envelope.js';
import type { KinesisEvent } from '../../src/consumer/lambda-event.js';
import { createRunRecorder } from '../../src/metrics/run-recorder.js';

let server: LocalKinesis;
let client: KinesisClient;

beforeAll(async () => {
  server = await startLocalKinesis({ limits: 'off' });
  client = server.client();
});
afterAll(async () => {
  client?.destroy();
  await server?.stop();
});

async function put(stream: string, runId: string, seqs: number[], key: (seq: number) => string): Promise<void> {
  const out = await client.send(
    new PutRecordsCommand({
      StreamName: stream,
      Records: seqs.map((seq) => ({
        PartitionKey: key(seq),
        Data: encodeRecord({ runId, seq, intendedAtUs: nowUs() }, { n: seq }),
      })),
    }),
  );
  expect(out.FailedRecordCount ?? 0).toBe(0);
}

describe('event source mapping against local-kinesis', () => {
  it('consumes every record of a 2-shard stream through a handler, and measures them', async () => {
    await server.createStream({ name: 'esm-basic', shardCount: 2 });
    const runId = 'esm-basic-run';
    const recorder = createRunRecorder({ runId, now: nowUs });
    const events: KinesisEvent[] = [];
    const mapping = await startEventSourceMapping({
      client,
      streamName: 'esm-basic',
      config: { batchSize: 50 },
      handler: async (event) => {
        events.push(event);
      },
      onRecords: (records) => {
        for (const r of records) recorder.onConsumedData(r.data, r);
      },
      now: nowUs,
    });
    try {
      const seqs = Array.from({ length: 200 }, (_, i) => i);
      for (let i = 0; i < seqs.length; i += 100) {
        const batch = seqs.slice(i, i + 100);
        for (const seq of batch) recorder.onSent(seq, nowUs(), nowUs(), true);
        await put('esm-basic', runId, batch, (seq) => `user-${seq % 17}`);
        for (const seq of batch) recorder.onAcked(seq, nowUs(), nowUs(), nowUs(), { shardId: '', sequenceNumber: '', attempts: [{}] }, '', true);
      }
      const drained = await mapping.drain({ until: () => recorder.live().consumed === 200, timeoutMs: 10_000 });
      expect(drained).toBe(true);
    } finally {
      await mapping.stop();
    }
    const result = recorder.finish({ consumer: mapping.stats() });
    expect(result.accounting).toMatchObject({ acked: 200, consumed: 200, lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(result.latency.endToEnd.count).toBe(200);
    // Polled at ≥ 200 ms spacing per shard: end-to-end stays well under the 1 s idle poll + margin.
    expect(result.latency.endToEnd.p50Ms).toBeLessThan(2_000);
    expect(events.every((e) => e.Records.length <= 50)).toBe(true);
    expect(mapping.stats().shards).toHaveLength(2);
  });

  it('follows a split: the parent is read to its end before its children, keeping per-key order', async () => {
    await server.createStream({ name: 'esm-split', shardCount: 1 });
    const runId = 'esm-split-run';
    const seen: { key: string; seq: number; shardId: string }[] = [];
    const recorder = createRunRecorder({ runId, now: nowUs });
    await put('esm-split', runId, [0, 1, 2, 3, 4, 5], (seq) => `key-${seq % 3}`);
    await client.send(
      new SplitShardCommand({
        StreamName: 'esm-split',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n).toString(),
      }),
    );
    // The split takes effect when the stream is ACTIVE again; later records go to the children.
    let status: string | undefined;
    for (let attempt = 0; attempt < 100 && status !== 'ACTIVE'; attempt++) {
      await new Promise((r) => setTimeout(r, 50));
      const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'esm-split' }));
      status = out.StreamDescriptionSummary?.StreamStatus;
    }
    expect(status).toBe('ACTIVE');
    await put('esm-split', runId, [6, 7, 8, 9, 10, 11], (seq) => `key-${seq % 3}`);
    const mapping = await startEventSourceMapping({
      client,
      streamName: 'esm-split',
      onRecords: (records) => {
        for (const r of records) {
          recorder.onConsumedData(r.data, r);
          seen.push({ key: r.partitionKey, seq: JSON.parse(new TextDecoder().decode(r.data))._loadgen.seq, shardId: r.shardId });
        }
      },
      now: nowUs,
    });
    try {
      expect(await mapping.drain({ until: () => seen.length === 12, timeoutMs: 10_000 })).toBe(true);
    } finally {
      await mapping.stop();
    }
    expect(seen.slice(0, 6).every((r) => r.shardId === 'shardId-000000000000')).toBe(true);
    expect(new Set(seen.slice(6).map((r) => r.shardId)).has('shardId-000000000000')).toBe(false);
    for (const key of ['key-0', 'key-1', 'key-2']) {
      const order = seen.filter((r) => r.key === key).map((r) => r.seq);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    expect(recorder.finish().accounting.outOfOrder).toBe(0);
  });
});

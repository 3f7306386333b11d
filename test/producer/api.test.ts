import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import {
  BufferFullError,
  createProducer,
  InvalidRecordError,
  ProducerClosedError,
  StreamNotReadyError,
  type PutResult,
} from '@shardline/producer';

let local: LocalKinesis;

beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'off' });
  await local.createStream({ name: 'api', shardCount: 2 });
});
afterAll(async () => {
  await local.stop();
});

/** Counts PutRecords calls that reach the client. */
function countingClient(): { client: KinesisClient; putRecordsCalls: () => number } {
  const client = local.client();
  let calls = 0;
  const send = client.send.bind(client) as (c: unknown, o?: unknown) => Promise<unknown>;
  (client as unknown as { send: typeof send }).send = (command: unknown, options?: unknown) => {
    if ((command as object).constructor.name === 'PutRecordsCommand') calls++;
    return send(command, options);
  };
  return { client, putRecordsCalls: () => calls };
}

describe('producer API', () => {
  it('rejects bad input before any I/O and keeps working for valid records', async () => {
    const { client, putRecordsCalls } = countingClient();
    const producer = createProducer({ streamName: 'api', client, lingerMs: 5 });
    await producer.ready;
    const bad = [
      { data: 'x', partitionKey: '' },
      { data: 'x', partitionKey: 'k'.repeat(257) },
      { data: 'x', explicitHashKey: 'abc' },
      { data: 'x', explicitHashKey: (1n << 128n).toString() },
      { data: new Uint8Array(1024 * 1024), partitionKey: 'k' },
      { data: 12 as unknown as string },
    ];
    for (const record of bad) await expect(producer.put(record)).rejects.toBeInstanceOf(InvalidRecordError);
    await producer.flush();
    expect(putRecordsCalls()).toBe(0);
    const ok = await producer.put({ data: 'fine', partitionKey: 'k' });
    expect(ok.shardId).toMatch(/^shardId-/);
    await producer.close();
  });

  it('putMany settles every record in input order, valid or not', async () => {
    const producer = createProducer({ streamName: 'api', client: local.client(), lingerMs: 5 });
    const outcomes = await producer.putMany([
      { data: 'a', partitionKey: 'k1' },
      { data: 'b', partitionKey: '' },
      { data: 'c', partitionKey: 'k3' },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const second = outcomes[1];
    expect(second?.status === 'rejected' && second.reason).toBeInstanceOf(InvalidRecordError);
    await producer.close();
  });

  it('flush resolves only after everything put before it settled; close then refuses puts', async () => {
    const producer = createProducer({ streamName: 'api', client: local.client(), lingerMs: 10_000 });
    const settled: PutResult[] = [];
    const puts = Array.from({ length: 200 }, (_, i) => producer.put({ data: `r${i}`, partitionKey: `k${i}` }).then((r) => settled.push(r)));
    // lingerMs is 10 s: without flush nothing would be sent during this test
    await producer.flush();
    expect(settled).toHaveLength(200);
    await Promise.all(puts);
    await producer.close();
    await expect(producer.put({ data: 'late', partitionKey: 'k' })).rejects.toBeInstanceOf(ProducerClosedError);
  });

  it('rejects every record with StreamNotReadyError when the stream does not exist', async () => {
    const producer = createProducer({ streamName: 'no-such-stream', client: local.client() });
    const error = await producer.put({ data: 'x', partitionKey: 'k' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamNotReadyError);
    expect((error as StreamNotReadyError).retriable).toBe(false);
    await producer.close();
  });
});

describe('backpressure', () => {
  it('with a tiny buffer and a slow server, put waits and the buffer never exceeds its bound', async () => {
    const slow = await startLocalKinesis({ limits: 'off', faults: { latencyMs: 50, operations: ['PutRecords'] } });
    try {
      await slow.createStream({ name: 'slow', shardCount: 1 });
      const producer = createProducer({ streamName: 'slow', client: slow.client(), lingerMs: 1, maxBufferedRecords: 20, maxInFlightRequests: 1, aggregation: false });
      await producer.ready;
      let peak = 0;
      let waitingSeen = 0;
      const sampler = setInterval(() => {
        const m = producer.metrics();
        peak = Math.max(peak, m.bufferedRecords);
        waitingSeen = Math.max(waitingSeen, m.userRecordsWaiting);
      }, 2);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => producer.put({ data: `r${i}`, partitionKey: `k${i}` })));
      clearInterval(sampler);
      expect(results).toHaveLength(200);
      expect(peak).toBeLessThanOrEqual(20);
      expect(waitingSeen).toBeGreaterThan(0);
      await producer.close();
    } finally {
      await slow.stop();
    }
  });

  it("onBufferFull: 'reject' refuses with a retriable BufferFullError carrying the record", async () => {
    const producer = createProducer({ streamName: 'api', client: local.client(), lingerMs: 1_000, maxBufferedRecords: 5, onBufferFull: 'reject' });
    const outcomes = await producer.putMany(Array.from({ length: 8 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` })));
    const rejected = outcomes.filter((o) => o.status === 'rejected');
    expect(rejected).toHaveLength(3);
    const reason = (rejected[0] as unknown as { reason: BufferFullError }).reason;
    expect(reason).toBeInstanceOf(BufferFullError);
    expect(reason.retriable).toBe(true);
    expect(reason.record).toEqual({ data: 'r5', partitionKey: 'k5' });
    await producer.close();
  });

  it('putWithCallback: one call per record with its token, never before the put returns, for written and refused records alike', async () => {
    const producer = createProducer({ streamName: 'api', client: local.client(), lingerMs: 5, maxBufferedRecords: 3, onBufferFull: 'reject' });
    await producer.ready;
    const calls: { token: number; error: Error | undefined; result: PutResult | undefined; afterReturn: boolean }[] = [];
    let returned = false;
    const callback = (error: Error | undefined, result: PutResult | undefined, token: number): void => {
      calls.push({ token, error, result, afterReturn: returned });
    };
    const tokens = [10, 11, 12, 13, 14];
    for (const token of tokens) {
      returned = false;
      // 13 is invalid; 14 finds the buffer full (3 records held).
      producer.putWithCallback(token === 13 ? { data: 'x', partitionKey: '' } : { data: `r${token}`, partitionKey: `k${token}` }, callback, token);
      returned = true;
    }
    await producer.flush();
    expect(calls.map((c) => c.token).sort()).toEqual(tokens);
    expect(calls.every((c) => c.afterReturn)).toBe(true);
    const byToken = new Map(calls.map((c) => [c.token, c]));
    for (const token of [10, 11, 12]) expect(byToken.get(token)?.result?.shardId).toMatch(/^shardId-/);
    expect(byToken.get(13)?.error).toBeInstanceOf(InvalidRecordError);
    expect(byToken.get(14)?.error).toBeInstanceOf(BufferFullError);
    expect(() => producer.putWithCallback({ data: 'x' }, 'nope' as unknown as typeof callback)).toThrow(TypeError);
    await producer.close();
  });
});

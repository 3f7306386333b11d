/**
 * Event listeners cannot break the producer: a listener that throws or returns a rejected promise
 * is counted in `metrics().listenerErrors`, other listeners of the same event still run, and every
 * record is still written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '@shardline/producer';
import { seededRandom, taggedData, userRecordsOf } from '../helpers/records.js';
import { checkReadBack, feed } from './harness.js';

let local: LocalKinesis;
beforeAll(async () => {
  // One shard taking 200 records/s: a 500-record burst is throttled, so throttle and retry events fire.
  local = await startLocalKinesis({ limits: { writeRecordsPerSec: 200 }, faults: { seed: 5, internalFailureRate: 0.05, operations: ['PutRecords'] } });
});
afterAll(async () => {
  await local.stop();
});

describe('producer event listeners', () => {
  it('listeners that throw or reject do not stop records from being written', async () => {
    const stream = 'listeners';
    await local.createStream({ name: stream, shardCount: 1 });
    const random = seededRandom(51);
    const producer = createProducer({ streamName: stream, client: local.client(), aggregation: false, lingerMs: 5, random });
    const seen = { throttle: 0, retry: 0 };
    producer.on('throttle', () => {
      throw new Error('listener bug');
    });
    producer.on('retry', () => Promise.reject(new Error('async listener bug')));
    producer.on('throttle', () => void seen.throttle++);
    producer.on('retry', () => void seen.retry++);
    await producer.ready;

    const fed = await feed({
      producer,
      ratePerSec: 5_000,
      durationMs: 10_000,
      maxRecords: 500,
      maxOutstanding: 500,
      makeRecord: (id) => ({ data: taggedData(id, 40), partitionKey: `k${Math.floor(random() * 100)}` }),
    });
    await producer.close();

    expect(fed.errors.size).toBe(0);
    expect(fed.results.size).toBe(500);
    expect(seen.throttle).toBeGreaterThan(0);
    expect(seen.retry).toBeGreaterThan(0);
    // Let the rejected promises of the async listener be counted.
    await new Promise((resolve) => setImmediate(resolve));
    const metrics = producer.metrics();
    expect(metrics.listenerErrors).toBe(seen.throttle + seen.retry);
    const report = checkReadBack(userRecordsOf(await readAllRecords(local.client(), stream)), fed);
    expect(report.missing).toEqual([]);
    expect([...report.duplicates.keys()]).toEqual([]);
  }, 30_000);
});

/**
 * Sustained throttling past the record TTL: one shard takes 50 records/s while the caller offers
 * 400/s for 4 s — eight times the capacity, for four TTLs of 1 s. Records that cannot be written
 * in time reject with `RecordExpiredError` carrying their data, are counted in metrics, and are
 * not in the stream; the written ones are where their results say. Memory stays bounded: the
 * producer never holds more than `maxBufferedRecords` (300) records or `maxBufferedBytes`, and
 * `put` waits for room instead of queueing without bound.
 *
 * Worked numbers: 1,600 offered, ~50 (burst) + 50/s × ~5 s ≈ 300 written; the rest expire. No
 * duplicates are possible: no request fails after the server stored it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, RecordExpiredError } from '@shardline/producer';
import { seededRandom, taggedData } from '../helpers/records.js';
import { feed } from '../flow-control/harness.js';
import { accountFor, logFigures } from './accounting.js';

const TTL_MS = 1_000;
const MAX_BUFFERED_RECORDS = 300;
const MAX_BUFFERED_BYTES = 64 * 1024;
const STREAM = 'throttle-ttl';

let local: LocalKinesis;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: { writeRecordsPerSec: 50 } });
  await local.createStream({ name: STREAM, shardCount: 1 });
});
afterAll(async () => {
  await local.stop();
});

describe('sustained throttling past the record TTL', () => {
  it('expired records reject with their data, are counted, and the buffer stays bounded', async () => {
    const random = seededRandom(5);
    const producer = createProducer({
      streamName: STREAM,
      client: local.client(),
      aggregation: false,
      recordTtlMs: TTL_MS,
      maxBufferedRecords: MAX_BUFFERED_RECORDS,
      maxBufferedBytes: MAX_BUFFERED_BYTES,
      lingerMs: 10,
      random,
    });
    let expiredEvents = 0;
    producer.on('expired', (e) => void (expiredEvents += e.records));
    await producer.ready;
    let peakRecords = 0;
    let peakBytes = 0;
    let peakWaiting = 0;
    const sampler = setInterval(() => {
      const m = producer.metrics();
      peakRecords = Math.max(peakRecords, m.bufferedRecords);
      peakBytes = Math.max(peakBytes, m.bufferedBytes);
      peakWaiting = Math.max(peakWaiting, m.userRecordsWaiting);
    }, 20);
    const fed = await feed({
      producer,
      ratePerSec: 400,
      durationMs: 4_000,
      maxOutstanding: 2_000,
      makeRecord: (id) => ({ data: taggedData(id, 100), partitionKey: `k${id % 97}` }),
    });
    await producer.close();
    clearInterval(sampler);

    const metrics = producer.metrics();
    expect(fed.errors.size).toBeGreaterThan(fed.count / 2);
    for (const [id, error] of fed.errors) {
      expect(error).toBeInstanceOf(RecordExpiredError);
      expect((error as RecordExpiredError).record).toBe(fed.records[id]);
    }
    expect(metrics.userRecordsExpired).toBe(fed.errors.size);
    expect(expiredEvents).toBe(fed.errors.size);
    // Bounded memory: the producer's buffer never passed its limits, and callers were made to wait.
    expect(peakRecords).toBeLessThanOrEqual(MAX_BUFFERED_RECORDS);
    expect(peakBytes).toBeLessThanOrEqual(MAX_BUFFERED_BYTES);
    expect(peakWaiting).toBeGreaterThan(0);
    expect(metrics.bufferedRecords).toBe(0);

    const accounting = await accountFor(local.client(), STREAM, fed);
    expect(accounting.lost).toBe(0);
    expect(accounting.duplicates).toBe(0);
    expect(accounting.rejected).toEqual({ ERR_RECORD_EXPIRED: fed.errors.size });
    logFigures('throttling past TTL', accounting, { peakBufferedRecords: peakRecords, peakBufferedBytes: peakBytes, peakWaitingPuts: peakWaiting, throttled: metrics.throttledRecords });
  }, 60_000);
});

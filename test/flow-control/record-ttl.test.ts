/**
 * Record TTL under sustained overload: a record that cannot be written within `recordTtlMs`
 * rejects with `RecordExpiredError` carrying the record and every attempt made — an explicit,
 * counted outcome, never a silent drop (the KPL's "Record has reached expiration").
 *
 * Two ways to be too slow: the server throttles (its shard takes 20 records/s, the producer
 * believes 1,000), or the producer's own pacing (`shardRecordsPerSec: 20`) holds records back and
 * they expire without ever being sent (no attempts, no throttles on the server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, RecordExpiredError, type PutResult, type UserRecord } from '@shardline/producer';
import { seededRandom, taggedData, userRecordsOf } from '../helpers/records.js';
import { checkReadBack, streamTotals, type FeedResult } from './harness.js';

const TTL_MS = 1_000;
const COUNT = 300;

let local: LocalKinesis;
beforeAll(async () => {
  // 20 records/s per shard, 1 s of burst: a 300-record burst is 15 s of work against a 1 s TTL.
  local = await startLocalKinesis({ limits: { writeRecordsPerSec: 20 } });
});
afterAll(async () => {
  await local.stop();
});

describe('recordTtlMs under sustained overload', () => {
  it.each([
    { name: 'server throttles', shardRecordsPerSec: 1_000, seed: 41 },
    { name: 'producer pacing', shardRecordsPerSec: 20, seed: 42 },
  ])('$name: records expire with RecordExpiredError, counted; the written ones are in the stream', async ({ name, shardRecordsPerSec, seed }) => {
    const stream = `ttl-${seed}`;
    await local.createStream({ name: stream, shardCount: 1 });
    const producer = createProducer({
      streamName: stream,
      client: local.client(),
      aggregation: false,
      recordTtlMs: TTL_MS,
      shardRecordsPerSec,
      lingerMs: 10,
      random: seededRandom(seed),
    });
    let expiredEvents = 0;
    producer.on('expired', (e) => void (expiredEvents += e.records));
    await producer.ready;

    const records: UserRecord[] = [];
    const results = new Map<number, PutResult>();
    const errors = new Map<number, Error>();
    const lateMs: number[] = [];
    const putAt = Date.now();
    await Promise.all(
      Array.from({ length: COUNT }, (_, id) => {
        const record = { data: taggedData(id, 50), partitionKey: `k${id}` };
        records.push(record);
        return producer.put(record).then(
          (r) => void results.set(id, r),
          (e: unknown) => {
            errors.set(id, e as Error);
            lateMs.push(Date.now() - putAt);
          },
        );
      }),
    );
    await producer.close();

    // Most records could not make it in time; a burst's worth (~20–40) did.
    expect(results.size).toBeGreaterThan(10);
    expect(errors.size).toBeGreaterThan(COUNT / 2);
    expect(results.size + errors.size).toBe(COUNT);
    for (const [id, error] of errors) {
      expect(error).toBeInstanceOf(RecordExpiredError);
      const expired = error as RecordExpiredError;
      expect(expired.code).toBe('ERR_RECORD_EXPIRED');
      expect(expired.record).toBe(records[id]);
      for (const a of expired.attempts) expect(a.errorCode).toBe('ProvisionedThroughputExceededException');
    }
    // Expiry happens at the TTL, not long after it (timers, a loaded machine: generous slack).
    expect(Math.min(...lateMs)).toBeGreaterThanOrEqual(TTL_MS - 5);
    expect(Math.max(...lateMs)).toBeLessThan(TTL_MS + 3_000);

    const metrics = producer.metrics();
    expect(metrics.userRecordsExpired).toBe(errors.size);
    expect(metrics.userRecordsFailed).toBe(errors.size);
    expect(expiredEvents).toBe(errors.size);
    const attempted = [...errors.values()].filter((e) => (e as RecordExpiredError).attempts.length > 0).length;
    const throttled = streamTotals(local, stream).throttledRecords;
    if (name === 'server throttles') {
      expect(throttled).toBeGreaterThan(0);
      expect(attempted).toBeGreaterThan(0);
    } else {
      // The producer's pacing kept it under the server's limit: expired records were never sent.
      expect(throttled).toBe(0);
      expect(attempted).toBe(0);
    }

    // The resolved ones are in the stream where their results say; no expired one was written.
    const fed: FeedResult = { count: COUNT, records, results, errors, putAtMs: [], peakOutstanding: COUNT };
    const report = checkReadBack(userRecordsOf(await readAllRecords(local.client(), stream)), fed);
    expect(report.missing).toEqual([]);
    expect(report.misplaced).toEqual([]);
    expect([...report.duplicates.keys()]).toEqual([]);
    expect(report.writtenButRejected).toEqual([]);
  }, 30_000);
});

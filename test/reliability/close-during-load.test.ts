/**
 * `close()` during load: a producer holding hundreds of records for a throttled shard is closed
 * while callers keep putting. Every promise made before `close()` has settled by the time
 * `close()` resolves (written, or expired after `recordTtlMs` with the record), and every put
 * after it rejects at once with `ProducerClosedError` carrying its record. No promise is left
 * hanging, and the read-back holds exactly the resolved ones.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, ProducerClosedError, type PutResult, type UserRecord } from '@shardline/producer';
import { taggedData } from '../helpers/records.js';
import type { FeedResult } from '../flow-control/harness.js';
import { accountFor, logFigures } from './accounting.js';

const STREAM = 'close-load';
let local: LocalKinesis;
beforeAll(async () => {
  // 200 records/s: a 1,000-record backlog is 5 s of work, longer than the 2 s TTL.
  local = await startLocalKinesis({ limits: { writeRecordsPerSec: 200 } });
  await local.createStream({ name: STREAM, shardCount: 1 });
});
afterAll(async () => {
  await local.stop();
});

describe('close() during load', () => {
  it('settles every promise made before it; later puts reject with ProducerClosedError', async () => {
    const producer = createProducer({ streamName: STREAM, client: local.client(), aggregation: false, lingerMs: 10, recordTtlMs: 2_000 });
    await producer.ready;
    const records: UserRecord[] = [];
    const results = new Map<number, PutResult>();
    const errors = new Map<number, Error>();
    const settled = new Set<number>();
    const put = (id: number): Promise<void> => {
      const record = { data: taggedData(id, 80), partitionKey: `k${id % 31}` };
      records.push(record);
      return producer.put(record).then(
        (r) => void results.set(id, r),
        (e: unknown) => void errors.set(id, e as Error),
      ).finally(() => settled.add(id));
    };
    const all: Promise<void>[] = [];
    let id = 0;
    // 1,000 records/s for 1 s against a 200/s shard, then close while putting 200 more.
    for (let tick = 0; tick < 50; tick++) {
      for (let i = 0; i < 20; i++) all.push(put(id++));
      await sleep(20);
    }
    const beforeClose = id;
    const closing = producer.close();
    for (let i = 0; i < 200; i++) all.push(put(id++));
    await closing;
    const unsettledAtClose = Array.from({ length: beforeClose }, (_, i) => i).filter((i) => !settled.has(i));
    await Promise.all(all);

    expect(unsettledAtClose).toEqual([]);
    for (let i = beforeClose; i < id; i++) {
      const error = errors.get(i);
      expect(error).toBeInstanceOf(ProducerClosedError);
      expect((error as ProducerClosedError).record).toBe(records[i]);
    }
    const beforeCloseErrors = [...errors].filter(([i]) => i < beforeClose).map(([, e]) => (e as { code?: string }).code);
    expect(new Set(beforeCloseErrors)).toEqual(new Set(beforeCloseErrors.length > 0 ? ['ERR_RECORD_EXPIRED'] : []));
    expect(results.size).toBeGreaterThan(0);

    const fed: FeedResult = { count: id, records, results, errors, putAtMs: [], peakOutstanding: id };
    const accounting = await accountFor(local.client(), STREAM, fed);
    expect(accounting.lost).toBe(0);
    expect(accounting.duplicates).toBe(0);
    logFigures('close during load', accounting);
  }, 60_000);
});

/**
 * Server restart mid-run: local-kinesis on a data directory is stopped while the producer sends
 * and started again 1 s later on the same port and directory. While it is down every request
 * fails with a connection error (ECONNREFUSED); the producer backs off and retries the same
 * entries, and resumes when the server is back. Nothing is lost: records written before the stop
 * are still in the store, records held during the outage are written after it.
 *
 * Duplicates: `stop()` lets requests already being handled answer before closing, so a write is
 * never cut off after the store accepted it; none are expected, and any found must be explained
 * by a retried record (see accounting.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '@shardline/producer';
import { seededRandom, taggedData } from '../helpers/records.js';
import { feed } from '../flow-control/harness.js';
import { accountFor, logFigures } from './accounting.js';

const STREAM = 'restart';
let dataDir: string;
let local: LocalKinesis;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'reliability-restart-'));
  local = await startLocalKinesis({ dataDir });
  await local.createStream({ name: STREAM, shardCount: 2 });
});
afterAll(async () => {
  await local.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('server restart mid-run', () => {
  it('the producer retries through connection errors, resumes, and every record is accounted for', async () => {
    const port = local.port;
    const random = seededRandom(11);
    const producer = createProducer({
      streamName: STREAM,
      // One SDK attempt, so the outage reaches the producer's own retry path.
      client: local.client({ maxAttempts: 1 }),
      lingerMs: 10,
      backoffBaseMs: 50,
      backoffCapMs: 400,
      requestTimeoutMs: 2_000,
      random,
    });
    await producer.ready;
    let downAtMs = 0;
    let upAtMs = 0;
    const restart = (async () => {
      await sleep(1_000);
      downAtMs = performance.now();
      await local.stop();
      await sleep(1_000);
      local = await startLocalKinesis({ port, dataDir });
      upAtMs = performance.now();
    })();
    const fed = await feed({
      producer,
      ratePerSec: 800,
      durationMs: 3_500,
      maxOutstanding: 10_000,
      makeRecord: (id) => ({ data: taggedData(id, 100), partitionKey: `k${Math.floor(random() * 500)}` }),
    });
    await restart;
    await producer.close();

    const metrics = producer.metrics();
    // The outage really hit the producer: records put while the server was down waited for it.
    expect(upAtMs - downAtMs).toBeGreaterThanOrEqual(1_000);
    expect(metrics.retries).toBeGreaterThan(0);
    const retried = [...fed.results.values()].filter((r) => r.attempts.some((a) => a.errorCode !== undefined)).length;
    expect(retried).toBeGreaterThan(0);
    expect(fed.errors.size).toBe(0);

    const accounting = await accountFor(local.client(), STREAM, fed);
    expect(accounting.resolved).toBe(fed.count);
    expect(fed.count).toBeGreaterThan(2_000);
    logFigures('server restart', accounting, { outageMs: Math.round(upAtMs - downAtMs), retriedRecords: retried, errorsByCode: metrics.errorsByCode });
  }, 60_000);
});

/**
 * Faults: every resolved promise maps to exactly one copy of its record in the stream, at the
 * shard, sequence number and subSequenceNumber it names — as long as every failed attempt failed
 * *before* the server wrote anything.
 *
 * What "before writing" means here: local-kinesis draws per-entry InternalFailure before storing
 * the entry, answers 500/503 before dispatching the request, and destroys a dropped connection
 * before reading the request into kinesalite. So with those faults no retry can duplicate a record.
 * On AWS a connection can also break *after* the write (reset, timeout, lost response); the
 * producer cannot tell that apart from a failure and retries, so the record is written twice: a
 * retrying producer is at-least-once. The second case reproduces that with request timeouts: the
 * server holds a request longer than `requestTimeoutMs`, the producer gives up and retries, and the
 * held request is still stored afterwards. The test checks that duplicates come only from such
 * attempts and that the promise still names one real copy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '@shardline/producer';
import { seededRandom, taggedData, userRecordsOf } from '../helpers/records.js';
import { checkReadBack, feed } from './harness.js';

let local: LocalKinesis;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'aws' });
});
afterAll(async () => {
  await local.stop();
});

async function run(stream: string, aggregation: boolean, count: number, extra: { requestTimeoutMs?: number; backoffCapMs?: number } = {}) {
  await local.createStream({ name: stream, shardCount: 2 });
  const random = seededRandom(count);
  // maxAttempts 1: the SDK must not retry on its own, so every fault reaches the producer's retry
  // path. Small aggregates and requests make hundreds of requests, so each fault kind shows up.
  const producer = createProducer({
    streamName: stream,
    client: local.client({ maxAttempts: 1 }),
    aggregation: aggregation && { maxBytes: 2_048 },
    maxRequestRecords: 4,
    lingerMs: 5, backoffBaseMs: 20,
    random,
    ...extra,
  });
  await producer.ready;
  const fed = await feed({
    producer,
    ratePerSec: count / 2,
    durationMs: 30_000,
    maxRecords: count,
    maxOutstanding: count,
    makeRecord: (id) => ({ data: taggedData(id, 20 + Math.floor(random() * 200)), partitionKey: `k${Math.floor(random() * 1_000)}` }),
  });
  await producer.close();
  return { producer, fed };
}

describe('producer with injected faults', () => {
  it.each([
    { aggregation: true, count: 4_000 },
    { aggregation: false, count: 800 },
  ])('InternalFailure 10%, HTTP 500/503 10%, dropped connections 10%: every resolved record exactly once (aggregation $aggregation)', async ({ aggregation, count }) => {
    const faults = { seed: count, internalFailureRate: 0.1, requestFailureRate: 0.1, dropConnectionRate: 0.1, operations: ['PutRecords'] };
    local.setFaults(faults);
    const before = local.stats().faults;
    // A long request timeout: a request the busy server answers late must not be abandoned and
    // retried after it was stored (that duplicate is the next test's subject).
    const { producer, fed } = await run(`faults-${String(aggregation)}`, aggregation, count, { requestTimeoutMs: 60_000 });
    const injected = local.stats().faults;
    local.setFaults({});

    expect(fed.count).toBe(count);
    expect(fed.errors.size).toBe(0);
    expect(fed.results.size).toBe(count);
    // The faults really happened, and the producer retried through them.
    expect(injected.internalFailures).toBeGreaterThan(before.internalFailures);
    expect(injected.failedRequests).toBeGreaterThan(before.failedRequests);
    expect(injected.droppedConnections).toBeGreaterThan(before.droppedConnections);
    const metrics = producer.metrics();
    expect(metrics.retries).toBeGreaterThan(0);
    expect(metrics.errorsByCode['InternalFailure']).toBeGreaterThan(0);
    const retried = [...fed.results.values()].filter((r) => r.attempts.length > 1).length;
    expect(retried).toBeGreaterThan(0);

    const report = checkReadBack(userRecordsOf(await readAllRecords(local.client(), `faults-${String(aggregation)}`)), fed);
    expect(report.missing).toEqual([]);
    expect([...report.duplicates.keys()]).toEqual([]);
    expect(report.misplaced).toEqual([]);
    expect(report.writtenButRejected).toEqual([]);
  }, 60_000);

  it('a request that times out after the server stored it is retried: duplicates, each explained by a timed-out attempt', async () => {
    // Latency 0–2,000 ms against a 1,000 ms timeout: about half the requests are abandoned by the
    // producer and then stored by the server anyway. (Whole seconds, so a busy machine's own delays
    // of a few hundred ms do not turn every request into a timeout.)
    local.setFaults({ seed: 7, latencyMs: 0, latencyJitterMs: 2_000, operations: ['PutRecords'] });
    const stream = 'faults-timeout';
    const { fed } = await run(stream, false, 200, { requestTimeoutMs: 1_000, backoffCapMs: 400 });
    local.setFaults({});

    expect(fed.errors.size).toBe(0);
    expect(fed.results.size).toBe(200);
    const report = checkReadBack(userRecordsOf(await readAllRecords(local.client(), stream)), fed);
    // Every promise still names one real copy of its record.
    expect(report.missing).toEqual([]);
    expect(report.misplaced).toEqual([]);
    // Duplicates exist, and every duplicated record had at least one attempt that timed out.
    expect(report.duplicates.size).toBeGreaterThan(0);
    for (const [id, copies] of report.duplicates) {
      const attempts = fed.results.get(id)!.attempts;
      const timedOut = attempts.filter((a) => a.errorCode !== undefined && /Timeout|Abort/.test(a.errorCode)).length;
      expect(copies).toBeLessThanOrEqual(1 + timedOut);
    }
  }, 60_000);
});

/**
 * Splitting a run, for real against local-kinesis on 127.0.0.1: the same short scenario run
 * unsplit, as two parts (`--worker-index 0|1 --worker-count 2`) merged with the merge code, and
 * from two worker threads (`--workers 2`). The schedule and keys are the same in all three, so the
 * counts must be equal and the streams must hold the same partition keys, record for record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeResults, type RunResult } from '@shardline/loadgen';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { HISTOGRAM_NAMES } from '../packages/loadgen/src/metrics/run-result.js';
import { runLoadgen } from './helpers/run-loadgen.js';

const SCENARIO = 'test/fixtures/split.yaml';
const run = (args: Parameters<typeof runLoadgen>[1], interruptAfterMs?: number) => runLoadgen(SCENARIO, args, interruptAfterMs);
const servers: LocalKinesis[] = [];

async function server(): Promise<LocalKinesis> {
  const started = await startLocalKinesis({ limits: 'aws' });
  servers.push(started);
  return started;
}

afterAll(async () => {
  for (const s of servers) await s.stop();
});

/** Partition key → how many records carry it, over the whole stream. */
async function keyCounts(local: LocalKinesis): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const record of await readAllRecords(local.client(), 'split')) counts.set(record.partitionKey, (counts.get(record.partitionKey) ?? 0) + 1);
  return counts;
}

function expectEveryRecordOnce(result: RunResult): void {
  const a = result.accounting;
  expect(a).toMatchObject({ failed: 0, lost: 0, unresolved: 0, consumedNotAcked: 0, duplicated: 0 });
  expect(a.acked).toBe(a.scheduled);
  expect(a.consumed).toBe(a.acked);
  expect(result.latency.publish.count).toBe(a.acked - a.warmup);
  expect(result.latency.endToEnd.count).toBe(a.consumed - a.warmup);
}

let unsplit: { result: RunResult; keys: Map<string, number> };
beforeAll(async () => {
  const local = await server();
  const { code, result } = await run({ endpoint: local.endpoint });
  expect(code).toBe(0);
  unsplit = { result, keys: await keyCounts(local) };
}, 60_000);

describe('a run split across processes and threads', () => {
  it('two parts merged equal the unsplit run: counts exactly, keys record for record, percentiles within the parts', async () => {
    const local = await server();
    const parts = await Promise.all([0, 1].map((index) => run({ endpoint: local.endpoint, workerIndex: index, workerCount: 2 })));
    for (const [index, { code, result }] of parts.entries()) {
      expect(code, JSON.stringify({ accounting: result.accounting, meta: result.meta, consumer: result.consumer })).toBe(0);
      expect(result.runId).toMatch(new RegExp(`-w${index}of2$`));
      expect(result.meta).toMatchObject({ worker: { index, count: 2 } });
      expectEveryRecordOnce(result);
    }
    // An exact share each: ⌈n/2⌉ and ⌊n/2⌋ records.
    const n = unsplit.result.accounting.scheduled;
    expect(parts.map((p) => p.result.accounting.scheduled)).toEqual([Math.ceil(n / 2), Math.floor(n / 2)]);
    const merged = mergeResults(parts.map((p) => p.result));
    for (const count of ['scheduled', 'sent', 'acked', 'consumed', 'warmup', 'lost'] as const) {
      expect(merged.accounting[count], count).toBe(unsplit.result.accounting[count]);
    }
    for (const name of HISTOGRAM_NAMES) expect(merged.latency[name].count, name).toBe(unsplit.result.latency[name].count);
    // A percentile of the merged histogram lies between the parts' (3 significant digits: 0.1%).
    for (const name of ['sendDelay', 'publish', 'endToEnd'] as const) {
      for (const stat of ['p50Ms', 'p99Ms', 'maxMs'] as const) {
        const values = parts.map((p) => p.result.latency[name][stat]);
        expect(merged.latency[name][stat], `${name}.${stat}`).toBeGreaterThanOrEqual(Math.min(...values) * 0.999);
        expect(merged.latency[name][stat], `${name}.${stat}`).toBeLessThanOrEqual(Math.max(...values) * 1.001);
      }
    }
    expect(await keyCounts(local)).toEqual(unsplit.keys);
  }, 90_000);

  it('--workers 2 sends the unsplit run from two threads and reports once, every record accounted', async () => {
    const local = await server();
    const { code, result } = await run({ endpoint: local.endpoint, workers: 2 });
    expect(code).toBe(0);
    expect(result.meta).toMatchObject({ workers: 2, threads: [`${result.runId}-t0`, `${result.runId}-t1`] });
    expectEveryRecordOnce(result);
    for (const count of ['scheduled', 'acked', 'consumed', 'warmup'] as const) expect(result.accounting[count], count).toBe(unsplit.result.accounting[count]);
    expect(result.accounting.foreign).toBe(0);
    expect((result.producer as { userRecordsPut: number }).userRecordsPut).toBe(result.accounting.acked);
    expect(result.intervals.reduce((n, i) => n + i.counts.acked, 0)).toBe(result.accounting.acked);
    expect(result.intervals.reduce((n, i) => n + i.counts.consumed, 0)).toBe(result.accounting.consumed);
    expect(await keyCounts(local)).toEqual(unsplit.keys);
  }, 90_000);

  it('--workers 2 and Ctrl-C: both threads stop, what was sent is drained and reported, exit 130', async () => {
    const local = await server();
    const { code, result } = await run({ endpoint: local.endpoint, workers: 2, duration: '20s' }, 2_500);
    expect(code).toBe(130);
    expect(result.meta).toMatchObject({ interrupted: true, drained: true });
    const { unsentRecords } = (result.meta as { schedule: { unsentRecords: number } }).schedule;
    expect(unsentRecords).toBeGreaterThan(0);
    expect(result.accounting).toMatchObject({ failed: 0, lost: 0, unresolved: 0 });
    expect(result.accounting.consumed).toBe(result.accounting.acked);
    expect(result.accounting.acked).toBe(result.accounting.scheduled);
  }, 90_000);

  it('--workers 2: a producer option a sending thread rejects is a user error naming the field and line', async () => {
    const local = await server();
    const thrown = await runLoadgen('test/fixtures/bad-producer.yaml', { endpoint: local.endpoint, workers: 2 }).catch((e: unknown) => e);
    expect(thrown).toMatchObject({ code: 'ERR_LOADGEN_SCENARIO' });
    expect((thrown as Error).message).toMatch(/^test\/fixtures\/bad-producer\.yaml:4: producer\.lingerMs: Expected `lingerMs` to be .*, got -1$/);
  }, 60_000);
});

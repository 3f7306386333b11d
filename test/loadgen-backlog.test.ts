/**
 * Backlog mode against local-kinesis on 127.0.0.1: the consumer waits until N acked records are
 * in the stream (or the phases end), then reads from TRIM_HORIZON; the result says how fast the
 * backlog drained, and every record is still accounted for.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { renderHtmlReport } from '../packages/loadgen/src/report/html/render-html.js';
import { formatSummary } from '../packages/loadgen/src/report/summary.js';
import { runLoadgen } from './helpers/run-loadgen.js';

const SCENARIO = 'test/fixtures/split.yaml';
const servers: LocalKinesis[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

async function endpoint(): Promise<string> {
  const server = await startLocalKinesis({ limits: 'aws' });
  servers.push(server);
  return server.endpoint;
}

describe('backlog mode', () => {
  it('--backlog 300: nothing is read until 300 records wait, then the drain is measured and every record accounted', async () => {
    const { code, result, log } = await runLoadgen(SCENARIO, { endpoint: await endpoint(), backlog: 300 });
    expect(code).toBe(0);
    const b = result.backlog;
    expect(b).toMatchObject({ targetRecords: 300, startedBecause: 'records' });
    if (b === undefined) return;
    expect(b.recordsAtStart).toBeGreaterThanOrEqual(300);
    expect(b.recordsAtStart).toBeLessThan(result.accounting.acked);
    expect(b.waitedMs).toBeGreaterThan(0);
    expect(b.drainMs).toBeGreaterThan(0);
    expect(b.drainRecordsPerSec).toBeGreaterThan(0);
    expect(b.drainMBPerSec).toBeGreaterThan(0);
    expect(b.catchUpMs).toBeGreaterThanOrEqual(b.drainMs ?? Infinity);
    expect(b.maxIteratorAgeMs).toBeGreaterThan(0);
    // Nothing was consumed in the intervals that ended before the consumer started.
    const consumerStartUs = result.startedAtUs + b.waitedMs * 1000;
    const before = result.intervals.filter((i) => i.endUs <= consumerStartUs);
    expect(before.length).toBeGreaterThan(0);
    expect(before.reduce((n, i) => n + i.counts.consumed, 0)).toBe(0);
    expect(result.accounting).toMatchObject({ lost: 0, failed: 0, unresolved: 0 });
    expect(result.accounting.consumed).toBe(result.accounting.acked);
    expect(log.join('\n')).toContain('Backlog: ');
    expect(formatSummary(result).find((l) => l.startsWith('Backlog: '))).toMatch(/records waiting when the consumer started \(target 300 reached/);
    expect(renderHtmlReport(result)).toContain('<h2>Backlog drain</h2>');
  }, 60_000);

  it('a backlog larger than the run starts the consumer when the phases end, also with --workers 2', async () => {
    const { code, result } = await runLoadgen(SCENARIO, { endpoint: await endpoint(), backlog: 1_000_000, workers: 2 });
    expect(code).toBe(0);
    expect(result.backlog).toMatchObject({ startedBecause: 'phasesEnded', recordsAtStart: result.accounting.acked });
    expect(result.backlog?.drainMs).toBeGreaterThan(0);
    expect(result.accounting).toMatchObject({ lost: 0, failed: 0 });
    expect(result.accounting.consumed).toBe(result.accounting.scheduled);
  }, 60_000);
});

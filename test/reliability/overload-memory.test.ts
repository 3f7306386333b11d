/**
 * Overload at 10× capacity: a producer in its own process offers 10,000 records/s of 1 KiB to a
 * 1-shard stream (1 MiB/s, ~1,000 records/s) for 60 s. The producer holds at
 * most `maxBufferedBytes` (4 MiB) and makes `put` wait beyond it (backpressure); the caller keeps
 * at most 6,000 unsettled puts.
 *
 * The child runs with V8's heap capped (`--max-old-space-size=48 --max-semi-space-size=4`).
 * Uncapped, V8 grows the heap lazily while memory is free, so RSS measures garbage not yet
 * collected (seen: +130 MiB after 20 s, while a heap snapshot found 25 MiB live). Capped, V8 must
 * collect, and a queue without a bound would end the process with an out-of-memory crash:
 * 10 MiB/s offered against 1 MiB/s written fills 48 MiB in 5 s.
 *
 * Memory bound over the baseline RSS (taken after a warm-up): the buffer (4 MiB) + the records
 * waiting in `put` beyond it (≤ 6,000 × 1 KiB ≈ 6 MiB, the caller's own bound) + a fixed 48 MiB
 * that does not scale with the backlog: the capped heap's growth from the baseline (per-record
 * bookkeeping of ≤ 6,000 records — promise, closures, result — is ~1 KiB each; the outcomes this
 * child keeps for the read-back, ~150 B per record; young generation 2 × 4 MiB) and requests in
 * flight (a PutRecords body is built as JSON with base64 data, a few copies of ≤ 5 MiB).
 * Measured: +44 MiB, flat after the first 4 s. Also checked: the last quarter's peak is within
 * 16 MiB of the second quarter's (no steady growth).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import type { PutResult } from '@shardline/producer';
import { userRecordsOf } from '../helpers/records.js';
import { checkReadBack, type FeedResult } from '../flow-control/harness.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(import.meta.dirname, 'fixtures/overload-child.ts');
const STREAM = 'overload-10x';
const MiB = 1024 * 1024;
const FIXED_OVERHEAD_BYTES = 48 * MiB;

let local: LocalKinesis;
let dir: string;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'aws' });
  await local.createStream({ name: STREAM, shardCount: 1 });
  dir = await mkdtemp(join(tmpdir(), 'overload-'));
});
afterAll(async () => {
  await local.stop();
  await rm(dir, { recursive: true, force: true });
});

interface ChildReport {
  baselineRss: number;
  samples: { atMs: number; rss: number; bufferedBytes: number; waiting: number; outstanding: number }[];
  sent: number;
  overloadPuts: number;
  durationMs: number;
  maxBufferedBytes: number;
  maxOutstanding: number;
  recordBytes: number;
  throttled: number;
  retries: number;
}

const OVERLOAD_MS = 60_000;
const OFFERED_PER_SEC = 10_000;

describe('overload at 10× capacity', () => {
  it('RSS stays under the buffer plus a fixed overhead; put waits; nothing lost', async () => {
    const resultsFile = join(dir, 'results.json');
    const { stdout } = await promisify(execFile)(process.execPath, ['--max-old-space-size=48', '--max-semi-space-size=4', '--import', 'tsx', CHILD, local.endpoint, STREAM, String(OVERLOAD_MS), String(OFFERED_PER_SEC), resultsFile], {
      cwd: ROOT,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' },
      maxBuffer: 64 * MiB,
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildReport;
    const peakRss = Math.max(...report.samples.map((s) => s.rss));
    const bound = report.baselineRss + report.maxBufferedBytes + report.maxOutstanding * report.recordBytes + FIXED_OVERHEAD_BYTES;
    expect(peakRss).toBeLessThan(bound);
    const quarter = report.samples.length / 4;
    const secondQuarterPeak = Math.max(...report.samples.slice(quarter, 2 * quarter).map((s) => s.rss));
    const lastQuarterPeak = Math.max(...report.samples.slice(3 * quarter).map((s) => s.rss));
    expect(lastQuarterPeak - secondQuarterPeak).toBeLessThan(16 * MiB);
    // Backpressure: the buffer filled to its bound and never past it, and puts waited.
    expect(Math.max(...report.samples.map((s) => s.bufferedBytes))).toBeLessThanOrEqual(report.maxBufferedBytes);
    expect(Math.max(...report.samples.map((s) => s.bufferedBytes))).toBeGreaterThan(report.maxBufferedBytes * 0.8);
    expect(Math.max(...report.samples.map((s) => s.waiting))).toBeGreaterThan(0);
    // The caller could put only about what the stream took: far below what was offered.
    expect(report.overloadPuts).toBeLessThan((OFFERED_PER_SEC * OVERLOAD_MS) / 1000 / 3);

    // Accounting from the read-back.
    const outcomes = JSON.parse(await readFile(resultsFile, 'utf8')) as (string | [string, string, number | null])[];
    const results = new Map<number, PutResult>();
    const errors = new Map<number, Error>();
    const codes: Record<string, number> = {};
    outcomes.forEach((o, id) => {
      if (typeof o === 'string') {
        errors.set(id, new Error(o));
        codes[o] = (codes[o] ?? 0) + 1;
      } else {
        const [shardId, sequenceNumber, subSequenceNumber] = o;
        results.set(id, { shardId, sequenceNumber, ...(subSequenceNumber == null ? {} : { subSequenceNumber }), attempts: [] } as unknown as PutResult);
      }
    });
    expect(outcomes).toHaveLength(report.sent);
    for (const code of Object.keys(codes)) expect(code).toMatch(/^ERR_/);
    const fed: FeedResult = { count: report.sent, records: [], results, errors, putAtMs: [], peakOutstanding: 0 };
    const readBack = checkReadBack(userRecordsOf(await readAllRecords(local.client(), STREAM)), fed);
    expect(readBack.missing).toEqual([]);
    expect(readBack.misplaced).toEqual([]);
    expect(readBack.writtenButRejected).toEqual([]);
    expect(readBack.duplicates.size).toBe(0);
    console.info(`[reliability] overload 10x: ${JSON.stringify({ sent: report.sent, resolved: results.size, rejected: codes, lost: 0, duplicates: 0, baselineRssMiB: +(report.baselineRss / MiB).toFixed(1), peakRssMiB: +(peakRss / MiB).toFixed(1), boundMiB: +(bound / MiB).toFixed(1), throttled: report.throttled })}`);
  }, 240_000);
});

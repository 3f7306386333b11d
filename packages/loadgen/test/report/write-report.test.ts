import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFromCompressedBase64, HistogramLogReader } from 'hdr-histogram-js';
import { HISTOGRAM_NAMES, type RunResult } from '../../src/metrics/run-result.js';
import { evaluateThresholds, parseThresholds } from '../../src/metrics/thresholds.js';
import { formatSummary } from '../../src/report/summary.js';
import { writeReport } from '../../src/report/write-report.js';
import { replay, type Life } from '../metrics/helpers.js';

const MS = 1000;
const lives: Life[] = Array.from({ length: 50 }, (_, seq) => ({
  seq,
  intendedUs: seq * 100 * MS,
  ackUs: seq * 100 * MS + 3 * MS,
  consumedUs: seq === 7 ? [] : [seq * 100 * MS + 40 * MS],
  arrivalUs: seq * 100 * MS + 2 * MS,
  measured: seq >= 5,
}));

function makeResult(): RunResult {
  const { recorder, clock } = replay(lives, 1000);
  clock.set(5000 * MS);
  const result = recorder.finish({ meta: { scenario: 'unit' }, consumer: { invocations: 12, maxIteratorAgeMs: 38 } });
  result.thresholds = evaluateThresholds(parseThresholds(['e2e.p99 < 2000ms', 'lost == 0']), result);
  return result;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('report', () => {
  it('writes result.json in the OMB-like shape and a .hgrm and .hlog per histogram', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loadgen-report-'));
    dirs.push(dir);
    const out: string[] = [];
    const files = await writeReport(makeResult(), { out: dir, json: false, io: { stdout: (l) => out.push(l), stderr: () => {} } });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'result.json',
      ...HISTOGRAM_NAMES.flatMap((n) => [`${n}.hgrm`, `${n}.hlog`]),
    ]);
    const json = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as RunResult;
    expect(Object.keys(json)).toEqual([
      'schemaVersion', 'runId', 'startedAtUs', 'endedAtUs', 'durationMs', 'meta', 'rates', 'latency', 'clamped',
      'throttling', 'accounting', 'intervals', 'histograms', 'consumer', 'thresholds',
    ]);
    expect(Object.keys(json.latency.endToEnd)).toEqual(['count', 'minMs', 'meanMs', 'p50Ms', 'p75Ms', 'p95Ms', 'p99Ms', 'p999Ms', 'p9999Ms', 'maxMs']);
    expect(json.latency.endToEnd).toMatchObject({ count: 44 });
    expect(json.intervals).toHaveLength(5);
    expect(Object.keys(json.intervals[0] ?? {})).toEqual([
      'startUs', 'endUs', 'counts', 'targetRate', 'publishRate', 'publishErrorRate', 'consumeRate', 'backlog', 'latency',
    ]);
    expect(decodeFromCompressedBase64(json.histograms.endToEnd).totalCount).toBe(44);
    expect(await readFile(join(dir, 'endToEnd.hgrm'), 'utf8')).toMatch(/Value\s+Percentile\s+TotalCount/);
    const reader = new HistogramLogReader(await readFile(join(dir, 'endToEnd.hlog'), 'utf8'));
    let logged = 0;
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
      expect(h.tag).toBe('endToEnd');
      logged += h.totalCount;
    }
    expect(logged).toBe(44);
    expect(out.at(-1)).toBe(`Report written to ${dir}: ${files.length} files`);
  });

  it('with --json prints exactly one JSON document on stdout and the summary on stderr', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const result = makeResult();
    await writeReport(result, { out: undefined, json: true, io: { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) } });
    expect(stdout).toHaveLength(1);
    expect(JSON.parse(stdout[0] ?? '')).toEqual(JSON.parse(JSON.stringify(result)));
    expect(stderr[0]).toMatch(/^Run run-test: 5 s$/);
  });

  it('summarises latency, accounting, consumer and thresholds for a person', () => {
    const text = formatSummary(makeResult()).join('\n');
    expect(text).toMatch(/end-to-end\s+44\s+40/);
    expect(text).toMatch(/publish\s+45\s+3/);
    expect(text).toContain('lost seqs (first 1): 7');
    expect(text).toContain('Consumer: 12 invocations');
    expect(text).toContain('Thresholds: 1 of 2 failed');
    expect(text).toMatch(/ok {4}e2e\.p99 < 2000ms/);
    expect(text).toContain('FAIL  lost == 0  (lost = 1, expected == 0)');
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, HistogramLogReader, type Histogram } from 'hdr-histogram-js';
import { HISTOGRAM_NAMES, type RunResult } from '../../src/metrics/run-result.js';
import { histogramIntervalLog, writeHistogramFiles } from '../../src/report/hdr-files.js';
import { syntheticRun } from '../merge/synthetic-run.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function readLog(text: string): { histograms: Histogram[]; startTimeSec: number } {
  const reader = new HistogramLogReader(text);
  const histograms: Histogram[] = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) histograms.push(h);
  return { histograms, startTimeSec: reader.startTimeSec };
}

describe('writeHistogramFiles', () => {
  it('writes a .hgrm and an interval log per histogram that read back to the run histograms', async () => {
    const result = syntheticRun();
    const dir = await mkdtemp(join(tmpdir(), 'loadgen-hdr-'));
    dirs.push(dir);
    const files = await writeHistogramFiles(result, dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(HISTOGRAM_NAMES.flatMap((n) => [`${n}.hgrm`, `${n}.hlog`]));
    for (const name of HISTOGRAM_NAMES) {
      const expected = decodeFromCompressedBase64(result.histograms[name]);
      const hgrm = await readFile(join(dir, `${name}.hgrm`), 'utf8');
      expect(hgrm).toMatch(/^\s+Value\s+Percentile\s+TotalCount\s+1\/\(1-Percentile\)/);
      const footer = /#\[Max\s+=\s+([\d.]+), Total count\s+=\s+(\d+)\]/.exec(hgrm);
      expect([Number(footer?.[1]), Number(footer?.[2])]).toEqual([expected.maxValue / 1000, expected.totalCount]);
      const log = await readFile(join(dir, `${name}.hlog`), 'utf8');
      expect(log).toContain('#[Histogram log format version 1.3]');
      const { histograms, startTimeSec } = readLog(log);
      expect(startTimeSec).toBeCloseTo(result.startedAtUs / 1e6, 3);
      expect(histograms).toHaveLength(1);
      expect(histograms[0]?.tag).toBe(name);
      expect(histograms[0]?.totalCount).toBe(expected.totalCount);
      expect(histograms[0]?.getValueAtPercentile(99)).toBe(expected.getValueAtPercentile(99));
    }
  });

  it('logs one entry per interval when the intervals carry their histograms, summing to the run', () => {
    const base = syntheticRun({ count: 1500 });
    // Values spread over the intervals; the run's histogram is their sum.
    const whole = build({ numberOfSignificantValueDigits: 3 });
    const parts = base.intervals.map(() => build({ numberOfSignificantValueDigits: 3 }));
    for (let j = 0; j < 5000; j++) {
      const valueUs = 500 + ((j * 7919) % 90_000);
      whole.recordValue(valueUs);
      parts[j % parts.length]?.recordValue(valueUs);
    }
    const intervals = base.intervals.map((s, k) => ({ ...s, histograms: { publish: encodeIntoCompressedBase64(parts[k] ?? build()) } }));
    const result = { ...base, intervals, histograms: { ...base.histograms, publish: encodeIntoCompressedBase64(whole) } } as RunResult;
    const { histograms } = readLog(histogramIntervalLog(result, 'publish'));
    expect(histograms).toHaveLength(base.intervals.length);
    const sum = build({ numberOfSignificantValueDigits: 3 });
    for (const h of histograms) sum.add(h);
    expect(sum.totalCount).toBe(5000);
    expect(sum.getValueAtPercentile(99.9)).toBe(whole.getValueAtPercentile(99.9));
    // Entry timestamps: seconds since the run start, anchored by the log's StartTime.
    expect(histograms[1]?.startTimeStampMsec).toBeCloseTo((base.intervals[1]?.startUs ?? 0) / 1000, 0);
  });
});

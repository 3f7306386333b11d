import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { realStep, runProbe, type ProbeReport } from '../../src/commands/probe.js';
import type { RunResult } from '../../src/metrics/run-result.js';
import { judgeStep } from '../../src/plan/probe-search.js';
import { syntheticRun } from '../merge/synthetic-run.js';

const base = syntheticRun({ count: 400 });
/** A pipeline whose consumer keeps up to 2,300 records/s: above it, end-to-end p99 explodes. */
function pipeline(capacity: number): (rate: number) => Promise<RunResult> {
  return (rate) => {
    const e2eP99Ms = rate <= capacity ? 800 : 30_000;
    return Promise.resolve({
      ...base,
      accounting: { ...base.accounting, lost: 0, failed: 0 },
      rates: { ...base.rates, achievedRatio: 1 },
      latency: { ...base.latency, endToEnd: { ...base.latency.endToEnd, p99Ms: e2eP99Ms } },
    } as RunResult);
  };
}

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('runProbe', () => {
  it('doubles, then bisects to within 10%, and reports each step with its evidence', async () => {
    const lines: string[] = [];
    const report = await runProbe({ scenario: 's.yaml' }, 1000, { runStep: pipeline(2300), stdout: (l) => lines.push(l) });
    expect(report.steps.map((s) => [s.rate, s.ok])).toEqual([
      [1000, true], [2000, true], [4000, false], [3000, false], [2500, false], [2250, true], [2375, false],
    ]);
    expect([report.maxSustainableRate, report.firstFailingRate]).toEqual([2250, 2375]);
    expect(lines[2]).toMatch(/^step 3: 4,000 records\/s — FAIL \(e2e p99 30000 ms > 5000 ms\) — acked 100%, publish p99 [\d.,]+ ms, e2e p99 30,000 ms, lost 0/);
    expect(lines.at(-1)).toBe('Max sustainable rate ≈ 2,250 records/s (2,375 failed)');
  });

  it('stops at maxSteps and at the max rate', async () => {
    const few = await runProbe({ scenario: 's.yaml', maxSteps: 2 }, 1000, { runStep: pipeline(2300), stdout: () => {} });
    expect(few.steps).toHaveLength(2);
    const capped = await runProbe({ scenario: 's.yaml', maxRate: 1500 }, 1000, { runStep: pipeline(1e9), stdout: () => {} });
    expect(capped.steps.map((s) => s.rate)).toEqual([1000, 1500]);
    expect(capped.maxSustainableRate).toBe(1500);
  });

  it('reports when no rate passes, and writes probe.json and each step result with --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loadgen-probe-'));
    dirs.push(dir);
    const lines: string[] = [];
    const report = await runProbe({ scenario: 's.yaml', maxSteps: 3, out: dir }, 400, { runStep: pipeline(10), stdout: (l) => lines.push(l) });
    expect(report.maxSustainableRate).toBeUndefined();
    expect(lines.at(-1)).toBe('No rate passed; the lowest tried was 100 records/s');
    expect((await readdir(dir)).sort()).toEqual(['probe.json', 'step-1-400.json', 'step-2-200.json', 'step-3-100.json']);
    const saved = JSON.parse(await readFile(join(dir, 'probe.json'), 'utf8')) as ProbeReport;
    expect(saved.steps.map((s) => s.rate)).toEqual([400, 200, 100]);
  });
});

describe('realStep', () => {
  it('runs the scenario against local-kinesis at the step rate and returns its result', async () => {
    const scenario = fileURLToPath(new URL('./fixtures/probe-small.yaml', import.meta.url));
    const result = await realStep({ scenario, stepDuration: '1s' })(300);
    // Peak scaled to 300/s: 200 ms at 150/s + 800 ms at 300/s = 270 records.
    expect(result.accounting.scheduled).toBe(270);
    expect(result.accounting.lost).toBe(0);
    // Pass or fail depends on this machine's load; the judged evidence must be the run's own.
    const step = judgeStep(300, result);
    expect(step.evidence).toMatchObject({ lost: 0, e2eP99Ms: result.latency.endToEnd.p99Ms, achievedRatio: result.rates.achievedRatio });
    expect(result.latency.endToEnd.count).toBeGreaterThan(0);
  }, 30_000);
});

import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/metrics/run-result.js';
import { bracket, judgeStep, nextRate, type ProbeStep } from '../../src/plan/probe-search.js';
import { syntheticRun } from '../merge/synthetic-run.js';

const step = (rate: number, ok: boolean): ProbeStep => ({
  rate,
  ok,
  reasons: ok ? [] : ['e2e p99 high'],
  evidence: { achievedRatio: 1, publishP99Ms: 1, e2eP99Ms: 1, lost: 0, failed: 0, throttledPercent: 0 },
});

describe('nextRate', () => {
  it.each([
    { name: 'doubles while every step passes', steps: [step(1000, true)], next: 2000 },
    { name: 'stops doubling at the cap', steps: [step(1000, true), step(2000, true)], next: 3000 },
    { name: 'is done when the cap passed', steps: [step(3000, true)], next: undefined },
    { name: 'halves when the first step fails', steps: [step(1000, false)], next: 500 },
    { name: 'bisects between passing and failing', steps: [step(1000, true), step(2000, false)], next: 1500 },
    { name: 'keeps bisecting', steps: [step(1000, true), step(2000, false), step(1500, true)], next: 1750 },
    // 1,750 − 1,625 = 125 ≤ 10% of 1,625: close enough.
    { name: 'stops within 10% of the passing rate', steps: [step(1500, true), step(1750, false), step(1625, true)], next: undefined },
    { name: 'ignores a failure below a later pass (noise)', steps: [step(1000, false), step(500, true), step(800, true)], next: 900 },
    { name: 'gives up below 1 record/s', steps: [step(1, false)], next: undefined },
  ])('$name', ({ steps, next }) => {
    expect(nextRate(steps, { maxRate: 3000 })).toBe(next);
  });

  it('brackets the highest pass and the lowest failure above it', () => {
    expect(bracket([step(1000, false), step(500, true), step(800, true), step(900, false)])).toEqual({ okMax: 800, failMin: 900 });
  });
});

describe('judgeStep', () => {
  const result = syntheticRun({ count: 800 });

  it('fails a step for every broken bound and keeps the evidence', () => {
    const judged = judgeStep(400, result);
    expect(judged.ok).toBe(false);
    expect(judged.reasons).toEqual([`${result.accounting.lost} lost`, `${result.accounting.failed} failed`]);
    expect(judged.evidence).toEqual({
      achievedRatio: result.rates.achievedRatio,
      publishP99Ms: result.latency.correctedPublish.p99Ms,
      e2eP99Ms: result.latency.endToEnd.p99Ms,
      lost: result.accounting.lost,
      failed: result.accounting.failed,
      throttledPercent: result.throttling.throttledPercent,
    });
  });

  it.each([
    [{ publishP99Ms: 10 }, /^publish p99 [\d.]+ ms > 10 ms$/],
    [{ e2eP99Ms: 10 }, /^e2e p99 [\d.]+ ms > 10 ms$/],
    [{ minAchievedRatio: 1 }, /^acked 98\.\d% of target < 100%$/],
  ])('names the bound %o', (bound, reason) => {
    const clean = { ...result, accounting: { ...result.accounting, lost: 0, failed: 0 } } as RunResult;
    expect(judgeStep(400, clean).ok).toBe(true);
    const judged = judgeStep(400, clean, { minAchievedRatio: 0.9, publishP99Ms: 1000, e2eP99Ms: 5000, maxFailedRatio: 0.001, ...bound });
    expect(judged.reasons).toHaveLength(1);
    expect(judged.reasons[0]).toMatch(reason);
  });

  it('fails a step that measured no end-to-end latency', () => {
    const silent = { ...result, latency: { ...result.latency, endToEnd: { ...result.latency.endToEnd, count: 0 } } } as RunResult;
    expect(judgeStep(400, silent).reasons).toContain('no end-to-end samples');
  });
});

import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import { createSchedule, phaseCountAt, phaseTimeForCount, type SchedulePhase } from '../../src/schedule/schedule.js';

const phase = (over: Partial<SchedulePhase>): SchedulePhase => ({ durationMs: 1_000, rate: 100, arrival: 'uniform', warmup: false, ...over });

function drain(phases: SchedulePhase[], seed = 1): { offsetsUs: number[]; measured: boolean[] } {
  const schedule = createSchedule(phases, createRandom(seed));
  const offsetsUs: number[] = [];
  const measured: boolean[] = [];
  while (schedule.peekOffsetUs() !== Infinity) {
    offsetsUs.push(schedule.peekOffsetUs());
    measured.push(schedule.measured);
    schedule.take();
  }
  return { offsetsUs, measured };
}

describe('createSchedule', () => {
  it('spaces a constant uniform rate evenly, starting at offset 0', () => {
    const { offsetsUs } = drain([phase({ rate: 4, durationMs: 1_000 })]);
    expect(offsetsUs).toEqual([0, 250_000, 500_000, 750_000]);
  });

  it.each([
    // rate → rampTo over seconds: count = (r0 + r1) / 2 × D
    [500, 5_000, 30, 82_500],
    [5_000, 500, 30, 82_500],
    [0, 1_000, 10, 5_000],
    [100, undefined, 60, 6_000],
  ])('sends exactly ceil(target) records for %s → %s over %ss', (rate, rampTo, seconds, expected) => {
    const { offsetsUs } = drain([phase({ rate, rampTo, durationMs: seconds * 1000 })]);
    expect(offsetsUs).toHaveLength(expected);
    for (let i = 1; i < offsetsUs.length; i++) expect(offsetsUs[i]).toBeGreaterThanOrEqual(offsetsUs[i - 1] as number);
    expect(offsetsUs.at(-1)).toBeLessThan(seconds * 1e6);
  });

  it('puts half of a 500 → 5000 ramp later than half its duration (the end is denser)', () => {
    const { offsetsUs } = drain([phase({ rate: 500, rampTo: 5_000, durationMs: 30_000 })]);
    // N(t) = 500t + 75t² = 41,250 → t = 20.35 s
    expect((offsetsUs[41_250] as number) / 1e6).toBeCloseTo(20.354, 2);
  });

  it('chains phases: offsets continue after the previous phase and warmup is unmeasured', () => {
    const { offsetsUs, measured } = drain([
      phase({ name: 'warmup', rate: 2, durationMs: 1_000, warmup: true }),
      phase({ rate: 0, durationMs: 5_000 }),
      phase({ rate: 2, durationMs: 1_000 }),
    ]);
    expect(offsetsUs).toEqual([0, 500_000, 6_000_000, 6_500_000]);
    expect(measured).toEqual([false, false, true, true]);
  });

  it('gives Poisson arrivals the asked mean rate and exponential gaps', () => {
    const { offsetsUs } = drain([phase({ rate: 1_000, durationMs: 100_000, arrival: 'poisson' })], 42);
    // 100,000 expected; a Poisson count has σ = √100,000 ≈ 316, so ±1% is > 3σ.
    expect(offsetsUs.length).toBeGreaterThan(99_000);
    expect(offsetsUs.length).toBeLessThan(101_000);
    const gaps = offsetsUs.slice(1).map((t, i) => t - (offsetsUs[i] as number));
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const variance = gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length;
    expect(mean).toBeCloseTo(1_000, -1);
    // Exponential: standard deviation equals the mean (coefficient of variation 1).
    expect(Math.sqrt(variance) / mean).toBeGreaterThan(0.95);
    expect(Math.sqrt(variance) / mean).toBeLessThan(1.05);
  });

  it('is reproducible per seed and differs across seeds', () => {
    const poisson = [phase({ rate: 100, durationMs: 1_000, arrival: 'poisson' })];
    expect(drain(poisson, 7).offsetsUs).toEqual(drain(poisson, 7).offsetsUs);
    expect(drain(poisson, 7).offsetsUs).not.toEqual(drain(poisson, 8).offsetsUs);
  });

  it('reports the target curve for achieved-vs-target', () => {
    const schedule = createSchedule([phase({ rate: 100, durationMs: 10_000 }), phase({ rate: 100, rampTo: 300, durationMs: 10_000 })], createRandom(1));
    expect(schedule.expectedCountAt(5_000_000)).toBeCloseTo(500);
    expect(schedule.expectedCountAt(20_000_000)).toBeCloseTo(1_000 + 2_000);
    expect(schedule.totalDurationUs).toBe(20_000_000);
    expect([0, 9_999_999, 10_000_000, 15_000_000, 20_000_000].map((t) => schedule.rateAt(t))).toEqual([100, 100, 100, 200, 0]);
  });

  it('inverts the count curve exactly', () => {
    const p = phase({ rate: 300, rampTo: 20, durationMs: 7_000 });
    for (const t of [0.1, 1, 3.3, 6.9]) expect(phaseTimeForCount(p, phaseCountAt(p, t))).toBeCloseTo(t, 9);
  });
});

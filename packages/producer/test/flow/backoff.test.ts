import { describe, expect, it } from 'vitest';
import { BACKOFF_DEFAULTS, backoffCeilingMs, fullJitterDelayMs } from '../../src/flow/backoff.js';
import { InvalidOptionError } from '../../src/errors.js';
import { seededRandom } from './helpers.js';

const o = { baseMs: 100, capMs: 60_000 };

describe('fullJitterDelayMs', () => {
  it.each([
    // [attempt, ceiling ms]
    [0, 100],
    [1, 200],
    [3, 800],
    [9, 51_200],
    [10, 60_000], // 102,400 capped
    [1_000, 60_000],
    [Number.MAX_SAFE_INTEGER, 60_000],
    [Infinity, 60_000],
  ])('attempt %d draws from [0, %i) ms', (attempt, ceilingMs) => {
    expect(backoffCeilingMs(attempt, o)).toBe(ceilingMs);
    expect(fullJitterDelayMs(attempt, o, () => 0)).toBe(0);
    expect(fullJitterDelayMs(attempt, o, () => 0.5)).toBe(ceilingMs / 2);
    expect(fullJitterDelayMs(attempt, o, () => 0.999_999)).toBeCloseTo(ceilingMs * 0.999_999, 6);
  });

  it('spreads delays over the whole window (attempt 3: mean ≈ 400 ms, range [0, 800))', () => {
    const random = seededRandom(7);
    const delays = Array.from({ length: 10_000 }, () => fullJitterDelayMs(3, o, random));
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(800);
    expect(Math.max(...delays)).toBeGreaterThan(790);
    expect(mean).toBeGreaterThan(390);
    expect(mean).toBeLessThan(410);
  });

  it('stays finite and within [0, capMs] for huge attempts and odd random() values', () => {
    for (const attempt of [64, 1023, 1024, 1e6, 1e308]) {
      for (const r of [0, 0.3, 1, 1.5, -1, Number.NaN]) {
        const d = fullJitterDelayMs(attempt, o, () => r);
        expect(Number.isFinite(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(o.capMs);
      }
    }
  });

  it('returns 0 for baseMs = 0 even at huge attempts (no 0 × Infinity = NaN)', () => {
    expect(fullJitterDelayMs(5000, { baseMs: 0, capMs: 60_000 }, () => 0.5)).toBe(0);
  });

  it('defaults to a 100 ms base and a 60 s cap', () => {
    expect(BACKOFF_DEFAULTS).toEqual({ baseMs: 100, capMs: 60_000 });
  });

  it.each([
    ['attempt', -1, o],
    ['attempt', Number.NaN, o],
    ['baseMs', 0, { baseMs: -5, capMs: 100 }],
    ['capMs', 0, { baseMs: 5, capMs: Infinity }],
  ])('rejects a bad %s', (name, attempt, options) => {
    const call = () => fullJitterDelayMs(attempt, options, () => 0.5);
    expect(call).toThrow(InvalidOptionError);
    expect(call).toThrow(`Expected \`${name}\``);
  });
});

import { describe, expect, it } from 'vitest';
import { createAimdRateController } from '../../src/flow/rate-controller.js';
import { InvalidOptionError } from '../../src/errors.js';
import { fakeClock } from './helpers.js';

function controller(extra: Partial<Parameters<typeof createAimdRateController>[0]> = {}) {
  const clock = fakeClock();
  return { clock, c: createAimdRateController({ limitPerSec: 1000, now: clock.now, ...extra }) };
}

describe('createAimdRateController', () => {
  it('starts at the limit', () => {
    expect(controller().c.ratePerSec).toBe(1000);
  });

  it('follows the documented trajectory after one throttle (defaults: ×0.9, +100/s, 250 ms window)', () => {
    const { c, clock } = controller();
    expect(c.onThrottled()).toBe(true);
    expect(c.ratePerSec).toBe(900);
    for (let i = 0; i < 299; i++) expect(c.onThrottled()).toBe(false); // same response / same window
    clock.advance(249);
    expect(c.onThrottled()).toBe(false);
    expect(c.ratePerSec).toBe(900);
    clock.set(500);
    c.onAccepted(500);
    expect(c.ratePerSec).toBeCloseTo(950, 9);
    clock.set(1000);
    c.onAccepted(500);
    expect(c.ratePerSec).toBeCloseTo(1000, 9);
    clock.set(5000);
    c.onAccepted(500);
    expect(c.ratePerSec).toBe(1000); // never above the limit
  });

  it('decreases again once the reaction window has passed', () => {
    const { c, clock } = controller();
    c.onThrottled();
    clock.advance(250);
    expect(c.onThrottled()).toBe(true);
    expect(c.ratePerSec).toBeCloseTo(810, 9);
    clock.advance(250);
    c.onThrottled();
    expect(c.ratePerSec).toBeCloseTo(729, 9);
  });

  it('never drops below the floor, however long the throttling lasts', () => {
    const { c, clock } = controller({ minPerSec: 50 });
    for (let i = 0; i < 1000; i++) {
      c.onThrottled();
      clock.advance(250);
    }
    expect(c.ratePerSec).toBe(50);
  });

  it('defaults the floor to 5% of the limit', () => {
    const { c, clock } = controller();
    for (let i = 0; i < 100; i++) {
      c.onThrottled();
      clock.advance(1000);
    }
    expect(c.ratePerSec).toBe(50);
  });

  it('credits at most 1 s of increase per response (a long silence is no evidence of capacity)', () => {
    const { c, clock } = controller({ increasePerSec: 100 });
    for (let i = 0; i < 5; i++) {
      c.onThrottled();
      clock.advance(250);
    }
    const low = c.ratePerSec; // 1000 × 0.9^5 ≈ 590.5
    expect(low).toBeCloseTo(590.49, 2);
    clock.advance(60_000);
    c.onAccepted(1);
    expect(c.ratePerSec).toBeCloseTo(low + 100, 9);
  });

  it('ignores onAccepted(0)', () => {
    const { c, clock } = controller();
    c.onThrottled();
    clock.advance(500);
    c.onAccepted(0);
    expect(c.ratePerSec).toBe(900);
  });

  it.each([
    ['limitPerSec', { limitPerSec: 0 }],
    ['minPerSec', { minPerSec: 0 }],
    ['minPerSec', { minPerSec: 2000 }],
    ['decreaseFactor', { decreaseFactor: 1 }],
    ['decreaseFactor', { decreaseFactor: 0 }],
    ['increasePerSec', { increasePerSec: -1 }],
    ['reactionWindowMs', { reactionWindowMs: Number.NaN }],
  ])('rejects a bad %s', (option, bad) => {
    const create = () => createAimdRateController({ limitPerSec: 1000, now: () => 0, ...bad });
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(`Expected \`${option}\``);
  });
});

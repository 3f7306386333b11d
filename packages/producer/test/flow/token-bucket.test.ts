import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../src/flow/token-bucket.js';
import { InvalidOptionError } from '../../src/errors.js';
import { fakeClock } from './helpers.js';

function bucket(ratePerSec = 1000, burstMs = 500) {
  const clock = fakeClock();
  return { clock, b: createTokenBucket({ ratePerSec, burstMs, now: clock.now }) };
}

describe('createTokenBucket', () => {
  it('starts full at capacity = ratePerSec × burstMs / 1000', () => {
    const { b } = bucket(1000, 500);
    expect(b.capacity).toBe(500);
    expect(b.available()).toBe(500);
    expect(b.waitMsFor(500)).toBe(0);
  });

  it.each([
    // [elapsedMs, tokens after emptying at 1,000/s with capacity 500]
    [0, 0],
    [1, 1],
    [250, 250],
    [499, 499],
    [500, 500],
    [10_000, 500], // never above capacity
  ])('refills continuously: %i ms after emptying holds %i tokens', (elapsedMs, tokens) => {
    const { b, clock } = bucket();
    b.take(500);
    clock.advance(elapsedMs);
    expect(b.available()).toBeCloseTo(tokens, 9);
  });

  it.each([
    // [ratePerSec, tokens taken, amount asked, expected wait ms]
    [1000, 500, 100, 100],
    [1000, 450, 100, 50],
    [1000, 400, 100, 0],
    [3, 0.5, 1, 0],
    [3, 1, 1, 167], // needs 0.5 token at 3/s = 166.7 ms, rounded up to a whole ms
    [3, 1.5, 1, 334], // 1 token at 3/s = 333.3 ms → 334
    [1_048_576, 524_288, 65_536, 63], // 64 KiB at 1 MiB/s = 62.5 ms → 63
  ])('waitMsFor at %i/s after taking %d, for %d tokens, is %i ms', (rate, taken, amount, waitMs) => {
    const clock = fakeClock();
    const b = createTokenBucket({ ratePerSec: rate, burstMs: 500, now: clock.now });
    b.take(taken);
    expect(b.waitMsFor(amount)).toBe(waitMs);
    clock.advance(waitMs);
    expect(b.waitMsFor(amount)).toBe(0);
  });

  it('lets an oversize request go once the bucket is full, then repays the debt', () => {
    const { b, clock } = bucket(1000, 500);
    b.take(200);
    // 800 > capacity 500: waits for a full bucket (200 ms), never for ever.
    expect(b.waitMsFor(800)).toBe(200);
    clock.advance(200);
    expect(b.waitMsFor(800)).toBe(0);
    b.take(800); // → −300
    expect(b.available()).toBe(0);
    // The next 100 tokens need the 300 of debt repaid first: 400 ms.
    expect(b.waitMsFor(100)).toBe(400);
  });

  it('keeps the long-run rate exact with back-to-back oversize requests', () => {
    const { b, clock } = bucket(1000, 500);
    const sentAtMs: number[] = [];
    for (let i = 0; i < 1000; i++) {
      clock.advance(b.waitMsFor(800));
      sentAtMs.push(clock.now());
      b.take(800);
    }
    // Each 800-token request leaves −300 and the next waits for a full 500: one every 800 ms,
    // i.e. exactly 1,000 tokens/s; the first goes at once from the full bucket.
    expect(sentAtMs.slice(0, 3)).toEqual([0, 800, 1600]);
    expect(sentAtMs.at(-1)).toBe(999 * 800);
  });

  it('setRatePerSec keeps tokens earned at the old rate and clips to the new capacity', () => {
    const { b, clock } = bucket(1000, 500);
    b.take(500);
    clock.advance(100); // 100 tokens at 1,000/s
    b.setRatePerSec(500); // capacity 250
    expect(b.ratePerSec).toBe(500);
    expect(b.capacity).toBe(250);
    expect(b.available()).toBeCloseTo(100, 9);
    clock.advance(100); // + 50 at 500/s
    expect(b.available()).toBeCloseTo(150, 9);
    clock.advance(10_000);
    expect(b.available()).toBe(250);
    b.setRatePerSec(100); // capacity 50: 250 tokens clipped to 50
    expect(b.available()).toBe(50);
  });

  it('ignores a clock that steps backwards', () => {
    const { b, clock } = bucket(1000, 500);
    b.take(500);
    clock.advance(100);
    expect(b.available()).toBeCloseTo(100, 9);
    clock.advance(-50);
    expect(b.available()).toBeCloseTo(100, 9);
    clock.advance(60); // 10 ms past the last reading
    expect(b.available()).toBeCloseTo(110, 9);
  });

  it.each([
    ['ratePerSec', { ratePerSec: 0, burstMs: 500 }],
    ['ratePerSec', { ratePerSec: Number.NaN, burstMs: 500 }],
    ['burstMs', { ratePerSec: 1000, burstMs: -1 }],
    ['burstMs', { ratePerSec: 1000, burstMs: Infinity }],
  ])('rejects a bad %s with a typed error', (option, o) => {
    const create = () => createTokenBucket({ ...o, now: () => 0 });
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(new RegExp(`Expected \`${option}\` to be a finite number > 0`));
  });

  it('rejects setting a zero rate (which would make waits infinite)', () => {
    const { b } = bucket();
    expect(() => b.setRatePerSec(0)).toThrow('Expected `ratePerSec` to be a finite number > 0, got 0');
  });
});

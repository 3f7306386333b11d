import { describe, expect, it } from 'vitest';
import { fakeClock as clock } from './helpers.js';
import { TokenBucket } from '../src/token-bucket.js';

describe('TokenBucket', () => {
  it('starts full and refuses what it does not hold', () => {
    const time = clock();
    const bucket = new TokenBucket(1000, 1000, time.now);
    expect(bucket.take(1000)).toBe(true);
    expect(bucket.take(1)).toBe(false);
  });

  it.each([
    { idleMs: 1, expected: 1 },
    { idleMs: 250, expected: 250 },
    { idleMs: 1000, expected: 1000 },
    { idleMs: 5000, expected: 1000 }, // capped at capacity
  ])('refills $expected tokens after $idleMs ms at 1,000/s', ({ idleMs, expected }) => {
    const time = clock();
    const bucket = new TokenBucket(1000, 1000, time.now);
    bucket.take(1000);
    time.advance(idleMs);
    expect(bucket.available()).toBeCloseTo(expected, 6);
  });

  it('charge goes into debt that refills back before anything is granted', () => {
    const time = clock();
    const bucket = new TokenBucket(2, 2, time.now);
    bucket.charge(6);
    expect(bucket.available()).toBe(-4);
    time.advance(1999);
    expect(bucket.has(0.01)).toBe(false);
    time.advance(2001);
    expect(bucket.has(0.01)).toBe(true);
  });

  it('refund never exceeds capacity', () => {
    const time = clock();
    const bucket = new TokenBucket(10, 10, time.now);
    bucket.take(3);
    bucket.refund(100);
    expect(bucket.available()).toBe(10);
  });
});

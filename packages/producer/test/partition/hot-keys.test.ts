import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import { createHotKeySketch } from '../../src/partition/hot-keys.js';
import { seededRandom, zipfKeys } from './helpers.js';

describe('hot-key sketch (Space-Saving)', () => {
  it('finds the 10 heaviest of 100,000 zipfian keys (s = 0.99) with 1,000 counters', () => {
    const zipf = zipfKeys(100_000, 0.99, seededRandom(42));
    const sketch = createHotKeySketch(1000);
    const truth = new Map<string, number>();
    const draws = 500_000;
    for (let i = 0; i < draws; i++) {
      const key = zipf.next();
      sketch.add(key);
      truth.set(key, (truth.get(key) ?? 0) + 1);
    }
    const top = sketch.top(10);
    const heaviest = Array.from({ length: 10 }, (_, i) => zipf.keyOfRank(i + 1));
    console.log(`zipf top-10 by sketch: ${top.map((hot) => `${hot.key}=${hot.count}±${hot.errorBound}`).join(' ')}`);
    expect(new Set(top.map((hot) => hot.key))).toEqual(new Set(heaviest));
    expect(top[0]?.key).toBe(zipf.keyOfRank(1));
    expect(sketch.totalWeight()).toBe(draws);
    for (const hot of sketch.top(1000)) {
      const real = truth.get(hot.key) ?? 0;
      expect(hot.count).toBeGreaterThanOrEqual(real);
      expect(hot.count - hot.errorBound).toBeLessThanOrEqual(real);
      expect(hot.errorBound).toBeLessThanOrEqual(draws / 1000);
    }
  });

  it('counts exactly while distinct keys fit, heaviest first, with weights', () => {
    const sketch = createHotKeySketch(4);
    for (const [key, weight] of [['a', 5], ['b', 1], ['c', 2], ['a', 1], ['b', 3.5]] as const) sketch.add(key, weight);
    sketch.add('c');
    expect(sketch.top(10)).toEqual([
      { key: 'a', count: 6, errorBound: 0 },
      { key: 'b', count: 4.5, errorBound: 0 },
      { key: 'c', count: 3, errorBound: 0 },
    ]);
    expect(sketch.top(1)).toEqual([{ key: 'a', count: 6, errorBound: 0 }]);
    expect(sketch.totalWeight()).toBe(13.5);
  });

  it('a new key takes over the smallest counter and carries its count as error', () => {
    const sketch = createHotKeySketch(2);
    sketch.add('a', 10);
    sketch.add('b', 3);
    sketch.add('c', 1);
    expect(sketch.top(2)).toEqual([
      { key: 'a', count: 10, errorBound: 0 },
      { key: 'c', count: 4, errorBound: 3 },
    ]);
  });

  it('holds at most `capacity` keys however many distinct keys arrive', () => {
    const sketch = createHotKeySketch(16);
    for (let i = 0; i < 10_000; i++) sketch.add(`key-${i}`);
    expect(sketch.top(100)).toHaveLength(16);
  });

  it('clear() starts a new window', () => {
    const sketch = createHotKeySketch(4);
    sketch.add('a', 3);
    sketch.clear();
    sketch.add('b');
    expect(sketch.top(5)).toEqual([{ key: 'b', count: 1, errorBound: 0 }]);
    expect(sketch.totalWeight()).toBe(1);
  });

  it.each([[0], [-1], [Number.NaN], [Infinity]])('refuses weight %s', (weight) => {
    expect(() => createHotKeySketch().add('a', weight)).toThrow(`Expected \`weight\` to be a finite number > 0, got ${weight}`);
  });

  it.each([[0], [2.5]])('refuses capacity %s', (capacity) => {
    expect(() => createHotKeySketch(capacity)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidOption }));
  });
});

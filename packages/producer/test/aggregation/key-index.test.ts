import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex, MIN_SLOTS, hashKey, maxProbes } from '../../src/aggregation/key-index.js';
import { keyArb } from './helpers.js';

/** A key table as the builder keeps one: keys by position, the index beside it. */
function table(): { index: KeyIndex; keys: string[]; add(key: string): number } {
  const index = new KeyIndex();
  const keys: string[] = [];
  return {
    index,
    keys,
    add(key) {
      const found = index.find(key, keys);
      if (found >= 0) return found;
      keys.push(key);
      index.insert(key, keys.length - 1, keys);
      return keys.length - 1;
    },
  };
}

/** `count` distinct keys whose hashes agree in their low `bits` bits: they all probe from one slot. */
function collidingKeys(count: number, bits: number): string[] {
  const into = { keyBytes: 0 };
  const mask = (1 << bits) - 1;
  const target = hashKey('collide-0', into) & mask;
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    if ((hashKey(`collide-${i}`, into) & mask) === target) keys.push(`collide-${i}`);
  }
  return keys;
}

describe('hashKey', () => {
  it.each([
    ['empty', ''],
    ['one ASCII character', 'a'],
    ['odd ASCII length', 'user-1234-567890123'],
    ['even ASCII length', 'user-1234-56789012'],
    ['2-byte UTF-8 last, odd length', 'abcdé'],
    ['2-byte UTF-8 in the high half of a pair', 'aé'],
    ['3-byte UTF-8', '日本語キー'],
    ['4-byte UTF-8 (surrogate pairs)', '🦄🦄'],
    ['lone surrogate (written as U+FFFD, 3 bytes)', 'a\uD800b'],
    ['0x7F is still ASCII', 'a\u007f'],
    ['0x80 is not', 'a\u0080'],
  ])('measures the UTF-8 length as Buffer.byteLength does: %s', (_name, key) => {
    const into = { keyBytes: -1 };
    hashKey(key, into);
    expect(into.keyBytes).toBe(Buffer.byteLength(key, 'utf8'));
  });

  it('measures any string as Buffer.byteLength does', () => {
    // Any code point, and any UTF-16 code unit (so lone surrogates too).
    const anyString = fc.oneof(
      fc.string({ maxLength: 30, unit: 'binary' }),
      fc.string({ maxLength: 30, unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
    );
    fc.assert(
      fc.property(anyString, (key) => {
        const into = { keyBytes: -1 };
        hashKey(key, into);
        expect(into.keyBytes).toBe(Buffer.byteLength(key, 'utf8'));
      }),
    );
  });

  it('spreads keys that differ only in their last character over the low bits', () => {
    const into = { keyBytes: 0 };
    const buckets = new Set(Array.from({ length: 64 }, (_, i) => hashKey(`device-0000-${String.fromCharCode(48 + i)}`, into) & 63));
    // 64 keys into 64 buckets: a hash that ignored the last character would give 1 bucket.
    expect(buckets.size).toBeGreaterThan(30);
  });
});

describe('KeyIndex', () => {
  it('finds nothing, then the position a key was inserted at', () => {
    const t = table();
    expect(t.index.find('a', t.keys)).toBe(-1);
    expect(t.add('a')).toBe(0);
    expect(t.add('b')).toBe(1);
    expect(t.index.find('a', t.keys)).toBe(0);
    expect(t.index.find('b', t.keys)).toBe(1);
    expect(t.index.size).toBe(2);
  });

  it('agrees with a Map over random keys, through growth and clears', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(keyArb, fc.integer({ min: 0, max: 400 }).map((i) => `key-${i}`)), { maxLength: 300 }), { minLength: 1, maxLength: 4 }), (aggregates) => {
        const index = new KeyIndex();
        for (const keysAdded of aggregates) {
          index.clear();
          const keys: string[] = [];
          const model = new Map<string, number>();
          for (const key of keysAdded) {
            const found = index.find(key, keys);
            expect(found).toBe(model.get(key) ?? -1);
            expect(index.keyBytes).toBe(Buffer.byteLength(key, 'utf8'));
            if (found < 0) {
              keys.push(key);
              model.set(key, keys.length - 1);
              index.insert(key, keys.length - 1, keys);
            }
          }
          for (const [key, position] of model) expect(index.find(key, keys)).toBe(position);
          expect(index.size).toBe(model.size);
          expect(index.slotCount).toBeGreaterThanOrEqual(2 * model.size);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('keeps positions that are not dense (a table whose other keys came through their slots)', () => {
    const index = new KeyIndex();
    const keys: string[] = [];
    const positions = [3, 0, 7, 100];
    positions.forEach((position, i) => {
      keys[position] = `k${i}`;
      expect(index.find(`k${i}`, keys)).toBe(-1);
      index.insert(`k${i}`, position, keys);
    });
    positions.forEach((position, i) => expect(index.find(`k${i}`, keys)).toBe(position));
  });

  it('inserts correctly when another key was looked up between find and insert', () => {
    const t = table();
    t.add('a');
    expect(t.index.find('x', t.keys)).toBe(-1);
    expect(t.index.find('y', t.keys)).toBe(-1);
    t.keys.push('x');
    t.index.insert('x', 1, t.keys);
    expect(t.index.find('x', t.keys)).toBe(1);
    expect(t.index.find('y', t.keys)).toBe(-1);
    expect(t.index.find('a', t.keys)).toBe(0);
  });

  it('grows past its first slots and gives the grown memory back when aggregates shrink', () => {
    const t = table();
    for (let i = 0; i < 1000; i++) expect(t.add(`key-${i}`)).toBe(i);
    for (let i = 0; i < 1000; i++) expect(t.index.find(`key-${i}`, t.keys)).toBe(i);
    expect(t.index.slotCount).toBe(2048);
    t.index.clear();
    // 1,000 keys need 2,048 slots: kept for a next aggregate about as large...
    expect(t.index.slotCount).toBe(2048);
    expect(t.index.find('key-1', t.keys)).toBe(-1);
    t.index.insert('key-1', 0, ['key-1']);
    // ...but cleared after one that used 1 key, they are dropped.
    t.index.clear();
    expect(t.index.slotCount).toBe(MIN_SLOTS);
  });

  it('moves onto a Map when keys crafted to collide make a probe longer than the limit', () => {
    // All start from one slot in tables of up to 4,096 slots; from the 33rd key the table has 128
    // slots, so the key after `maxProbes(128)` others finds the probe too long.
    expect(maxProbes(128)).toBe(56);
    const colliding = collidingKeys(maxProbes(128) + 8, 12);
    const t = table();
    colliding.forEach((key, i) => expect(t.add(key)).toBe(i));
    expect(t.index.degraded).toBe(true);
    colliding.forEach((key, i) => expect(t.index.find(key, t.keys)).toBe(i));
    expect(t.index.find('not-there', t.keys)).toBe(-1);
    expect(t.add('after')).toBe(colliding.length);
    expect(t.index.find('after', t.keys)).toBe(colliding.length);
    t.index.clear();
    expect(t.index.degraded).toBe(false);
    expect(t.index.find(colliding[0] as string, [])).toBe(-1);
  });

  it('does not degrade on ordinary keys (100,000 distinct ones)', () => {
    const t = table();
    for (let i = 0; i < 100_000; i++) t.add(`user-${i}`);
    expect(t.index.degraded).toBe(false);
  });
});

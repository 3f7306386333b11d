import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex, MIN_SLOTS, hashKey, maxProbes } from '../../src/aggregation/key-index.js';
import { seeded } from '../../bench/seeded-random.js';
import { keyArb } from './helpers.js';

const murmur3 = createRequire(import.meta.url)('murmurhash3js-revisited') as { x86: { hash32(bytes: Uint8Array, seed?: number): number } };

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

/** Any UTF-16 code unit, lone surrogates included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

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
      fc.string({ maxLength: 30, unit: anyCodeUnit }),
    );
    fc.assert(
      fc.property(anyString, (key) => {
        const into = { keyBytes: -1 };
        hashKey(key, into);
        expect(into.keyBytes).toBe(Buffer.byteLength(key, 'utf8'));
      }),
    );
  });

  it('is MurmurHash3 x86 32-bit (seed 0) of the UTF-16LE bytes, as murmurhash3js-revisited computes it', () => {
    const into = { keyBytes: 0 };
    for (const key of ['', 'a', 'ab', 'abc', 'user-1234-567890123', '日本語キー', '🦄', 'a\uD800b']) {
      expect(hashKey(key, into) >>> 0, key).toBe(murmur3.x86.hash32(Buffer.from(key, 'utf16le'), 0));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: anyCodeUnit }), (key) => {
        expect(hashKey(key, into) >>> 0).toBe(murmur3.x86.hash32(Buffer.from(key, 'utf16le'), 0));
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

  // Keys crafted to collide, mixed in, take some aggregates onto the Map fallback and back.
  const colliding = collidingKeys(60, 12);
  const keyOrColliding = fc.oneof(keyArb, fc.integer({ min: 0, max: 400 }).map((i) => `key-${i}`), fc.constantFrom(...colliding));

  it('agrees with a Map over random keys, through growth, fallbacks and clears', () => {
    fc.assert(
      fc.property(fc.array(fc.array(keyOrColliding, { maxLength: 300 }), { minLength: 1, maxLength: 4 }), (aggregates) => {
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

  it('refuses to insert a key it already holds, right after finding it or inserted twice', () => {
    const t = table();
    t.add('a');
    expect(t.index.find('a', t.keys)).toBe(0);
    expect(() => t.index.insert('a', 1, t.keys)).toThrow(/already at position 0/);
    expect(t.index.find('b', t.keys)).toBe(-1);
    t.keys.push('b');
    t.index.insert('b', 1, t.keys);
    expect(() => t.index.insert('b', 2, t.keys)).toThrow(/already at position 1/);
    expect(t.index.size).toBe(2);
    expect(t.index.find('b', t.keys)).toBe(1);
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

  it('moves onto a Map when keys crafted to collide add up to too many long probes', () => {
    // All start from one slot in tables of up to 4,096 slots: the k-th key probes k − 1 steps,
    // so by the 18th the probes of 8 steps or more (8 + 9 + … + 17 = 125) pass 4 × 17 + 48 = 116.
    const colliding = collidingKeys(40, 12);
    const t = table();
    colliding.forEach((key, i) => {
      expect(t.add(key)).toBe(i);
      expect(t.index.degraded, `after ${i + 1} keys`).toBe(i + 1 >= 18);
    });
    colliding.forEach((key, i) => expect(t.index.find(key, t.keys)).toBe(i));
    expect(t.index.find('not-there', t.keys)).toBe(-1);
    expect(t.add('after')).toBe(colliding.length);
    expect(t.index.find('after', t.keys)).toBe(colliding.length);
    t.index.clear();
    expect(t.index.degraded).toBe(false);
    expect(t.index.find(colliding[0] as string, [])).toBe(-1);
  });

  it('moves onto a Map when one probe runs past the limit, however few long probes came before', () => {
    // 1,025 keys make the table 4,096 slots (limit 96); then 96 keys whose home slots follow one
    // another fill a run without long probes, and a key whose home is the run's start probes it all.
    const into = { keyBytes: 0 };
    const t = table();
    for (let i = 0; i < 1_025; i++) t.add(`filler-${i}`);
    expect(t.index.slotCount).toBe(4_096);
    expect(maxProbes(4_096)).toBe(96);
    const start = 100;
    const byHome = new Map<number, string>();
    let victim: string | undefined;
    for (let i = 0; byHome.size < 96 || victim === undefined; i++) {
      const key = `run-${i}`;
      const home = hashKey(key, into) & 4_095;
      if (home >= start && home < start + 96 && !byHome.has(home)) byHome.set(home, key);
      else if (home === start && victim === undefined) victim = key;
    }
    // Fillers may sit in the run's slots, so some run keys probe past them: still short probes.
    for (let home = start; home < start + 96; home++) t.add(byHome.get(home) as string);
    expect(t.index.degraded).toBe(false);
    expect(t.index.find(victim, t.keys)).toBe(-1);
    expect(t.index.degraded).toBe(true);
    for (let home = start; home < start + 96; home++) expect(t.index.find(byHome.get(home) as string, t.keys)).toBeGreaterThanOrEqual(1_025);
  });

  it('does not degrade on ordinary keys (100,000 distinct ones, and 65,536 seeded random UUIDs)', () => {
    const t = table();
    for (let i = 0; i < 100_000; i++) t.add(`user-${i}`);
    expect(t.index.degraded).toBe(false);
    const u = table();
    const random = seeded(65_536);
    const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
    for (let i = 0; i < 65_536; i++) u.add(`${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`);
    expect(u.index.degraded).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/errors.js';
import {
  assertShardRanges,
  formatHashKey,
  MAX_HASH_KEY,
  md5HashKey,
  murmur3HashKey,
  random128,
  randomHashKeyIn,
  scaleIntoRange,
  type ShardRange,
} from '../../src/partition/hash-range.js';
import { evenShardRanges, HASH_KEY_PATTERN, seededRandom } from './helpers.js';

describe('hashing partition keys', () => {
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
  ])('MD5(%j) is the big-endian integer of %s', (key, hex) => {
    expect(md5HashKey(key)).toBe(BigInt(`0x${hex}`));
  });

  it('MD5 hashes UTF-8 bytes: "é" is C3 A9', () => {
    const expected = createHash('md5').update(Buffer.from('c3a9', 'hex')).digest('hex');
    expect(md5HashKey('é')).toBe(BigInt(`0x${expected}`));
  });

  it.each([
    ["I will not buy this tobacconist's, it is scratched.", 'd30654abbd8227e367d73523f0079673'],
    ['', '00000000000000000000000000000000'],
  ])('murmur3 x64-128(%j) = %s (reference vectors)', (key, hex) => {
    expect(murmur3HashKey(key)).toBe(BigInt(`0x${hex}`));
  });
});

describe('points inside a range', () => {
  it.each([
    [0n, 0n, 0n, 0n],
    [0n, MAX_HASH_KEY, 0n, 0n],
    [0n, MAX_HASH_KEY, MAX_HASH_KEY, MAX_HASH_KEY],
    [10n, 19n, MAX_HASH_KEY, 19n],
    [10n, 19n, 1n << 127n, 15n],
  ])('scaleIntoRange(%s, %s, %s) = %s', (start, end, u, expected) => {
    expect(scaleIntoRange(start, end, u)).toBe(expected);
  });

  it('stays inside [start, end] for any range and any 128-bit value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MAX_HASH_KEY }),
        fc.bigInt({ min: 0n, max: MAX_HASH_KEY }),
        fc.bigInt({ min: 0n, max: MAX_HASH_KEY }),
        (a, b, u) => {
          const [start, end] = a <= b ? [a, b] : [b, a];
          const point = scaleIntoRange(start, end, u);
          return point >= start && point <= end;
        },
      ),
    );
  });

  it('random128 spans the whole space: all-zero draws give 0, near-one draws give near 2^128', () => {
    expect(random128(() => 0)).toBe(0n);
    expect(random128(() => 0.9999999999)).toBeGreaterThan(MAX_HASH_KEY - (1n << 97n));
  });

  it('random points in each of 8 shards land in that shard and are valid ExplicitHashKeys', () => {
    const random = seededRandom(7);
    for (const shard of evenShardRanges(8)) {
      for (let i = 0; i < 200; i++) {
        const point = randomHashKeyIn(shard, random);
        expect(point >= shard.startingHashKey && point <= shard.endingHashKey).toBe(true);
        expect(formatHashKey(point)).toMatch(HASH_KEY_PATTERN);
      }
    }
  });
});

describe('formatHashKey', () => {
  it.each([
    [0n, '0'],
    [MAX_HASH_KEY, '340282366920938463463374607431768211455'],
  ])('formats %s as %s', (value, text) => {
    expect(formatHashKey(value)).toBe(text);
  });

  it.each([[-1n], [MAX_HASH_KEY + 1n]])('refuses %s', (value) => {
    expect(() => formatHashKey(value)).toThrow(/Expected a hash key in \[0, 2\^128 − 1\]/);
  });
});

describe('assertShardRanges', () => {
  const shard = (shardId: string, start: bigint, end: bigint): ShardRange => ({
    shardId,
    startingHashKey: start,
    endingHashKey: end,
  });

  it('accepts an even split and a map with gaps (closed parents leave none, but children may)', () => {
    expect(() => assertShardRanges(evenShardRanges(5))).not.toThrow();
    expect(() => assertShardRanges([shard('a', 0n, 9n), shard('b', 20n, 29n)])).not.toThrow();
  });

  it.each([
    ['no shards', [], /at least one open shard, got 0/],
    ['start > end', [shard('a', 5n, 4n)], /`shards\[0\]` \(a\) to span 0 ≤ start ≤ end ≤ 2\^128 − 1, got \[5, 4\]/],
    ['beyond 2^128 − 1', [shard('a', 0n, MAX_HASH_KEY + 1n)], /to span/],
    ['overlap', [shard('a', 0n, 10n), shard('b', 10n, 20n)], /sorted by startingHashKey without overlap, but b starts at 10 ≤ 10/],
    ['unsorted', [shard('b', 20n, 29n), shard('a', 0n, 9n)], /without overlap/],
  ])('refuses %s with an InvalidOptionError', (_, shards, message) => {
    expect(() => assertShardRanges(shards)).toThrow(message);
    expect(() => assertShardRanges(shards)).toThrow(expect.objectContaining({ code: ErrorCode.InvalidOption }));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isAggregated,
  utf8Bytes,
  varintBytes,
  writeUtf8,
  writeVarint,
} from '../../src/aggregation/kpl-format.js';

// Any UTF-16 code unit, so lone surrogates occur too.
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 });

describe('UTF-8 helpers agree with Buffer', () => {
  it.each([
    ['ASCII', fc.string({ unit: 'grapheme-ascii' })],
    ['any code point', fc.string({ unit: 'binary' })],
    ['any UTF-16 unit, lone surrogates included', anyUtf16],
  ])('%s: length and bytes match Buffer.byteLength / Buffer.from', (_name, strings) => {
    fc.assert(
      fc.property(strings, (text) => {
        const bytes = utf8Bytes(text);
        expect(bytes).toBe(Buffer.byteLength(text, 'utf8'));
        const out = Buffer.alloc(bytes + 2);
        expect(writeUtf8(out, 1, text, bytes)).toBe(bytes + 1);
        expect(out.subarray(1, bytes + 1).equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('varints', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [16_383, [0xff, 0x7f]],
    [16_384, [0x80, 0x80, 0x01]],
    [10 * 1024 * 1024, [0x80, 0x80, 0x80, 0x05]],
    [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('%i is written as %j and measured as its length', (value, expected) => {
    const out = new Uint8Array(8);
    expect(writeVarint(out, 0, value)).toBe(expected.length);
    expect([...out.subarray(0, expected.length)]).toEqual(expected);
    expect(varintBytes(value)).toBe(expected.length);
  });
});

describe('isAggregated', () => {
  it.each([
    ['magic + 16 bytes', [0xf3, 0x89, 0x9a, 0xc2, ...Array<number>(16).fill(0)], true],
    ['magic + 15 bytes', [0xf3, 0x89, 0x9a, 0xc2, ...Array<number>(15).fill(0)], false],
    ['other magic', [0xf3, 0x89, 0x9a, 0xc3, ...Array<number>(16).fill(0)], false],
    ['empty', [], false],
  ])('%s → %s', (_name, bytes, expected) => {
    expect(isAggregated(Uint8Array.from(bytes))).toBe(expected);
  });
});

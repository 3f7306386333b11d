import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytesWriter } from '../src/json-bytes.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** Writes one value as a record of its own: what `JSON.stringify` + UTF-8 would give, or undefined. */
function write(writer: JsonBytesWriter, value: unknown): Uint8Array | undefined {
  writer.begin();
  if (!writer.value(value)) {
    writer.abort();
    return undefined;
  }
  return writer.end();
}

describe('JsonBytesWriter', () => {
  it('writes the bytes of JSON.stringify for any JSON value (property)', () => {
    const writer = new JsonBytesWriter();
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(Buffer.from(write(writer, value) as Uint8Array)).toEqual(Buffer.from(JSON.stringify(value), 'utf8'));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    ['integers and their edges', [0, -0, 7, -7, 10, 99, 100, 2 ** 53 - 1, -(2 ** 53 - 1), 1_764_000_000_123_456]],
    ['fractions and large numbers', [0.1, -1.5e-7, 1e21, 2 ** 60, Number.MIN_VALUE]],
    ['non-finite numbers', [Number.NaN, Infinity, -Infinity]],
    ['undefined and functions', { a: undefined, b: () => 1, c: [undefined, () => 2, 1] }],
    ['strings that need escapes or are not ASCII', ['"', '\\', '\n', '\u0000', '\u007f', 'Zürich 東京', '\u2028', '\ud800', '😀']],
    ['keys in JSON.stringify order', { b: 1, '1': 2, a: 3, '0': 4, '': 5 }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { x: 1 })],
    ['booleans and null', [true, false, null]],
  ])('matches JSON.stringify for %s', (_name, value) => {
    expect(text(write(new JsonBytesWriter(), value) as Uint8Array)).toBe(JSON.stringify(value));
  });

  it.each([
    ['a Date (toJSON)', { at: new Date(0) }],
    ['an object with toJSON', { nested: { toJSON: () => 'x' } }],
    ['a class instance', { m: new Map([[1, 2]]) }],
    ['a bigint', { n: 1n }],
    ['nesting deeper than 32', { deep: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown }],
  ])('leaves %s to JSON.stringify, writing nothing', (_name, value) => {
    const writer = new JsonBytesWriter();
    writer.begin();
    writer.byte(0x41);
    expect(writer.value(value)).toBe(false);
    expect(text(writer.end())).toBe('A');
  });

  it('writes members after the first with a leading comma each, skipping the named keys', () => {
    const writer = new JsonBytesWriter();
    writer.begin();
    expect(writer.members({ _loadgen: 1, a: 'x', pad: 'p', b: [1, { c: null }] }, '_loadgen', 'pad')).toBe(true);
    expect(text(writer.end())).toBe(',"a":"x","b":[1,{"c":null}]');
  });

  it('keeps every record it handed out intact across slab boundaries', () => {
    const writer = new JsonBytesWriter();
    // 64 KiB slabs: records of up to ~1,400 bytes cross a boundary every ~90 records.
    const records = Array.from({ length: 2_000 }, (_, i) => write(writer, { i, s: 'v'.repeat((i * 7) % 1_400) }) as Uint8Array);
    records.forEach((bytes, i) => expect(JSON.parse(text(bytes))).toEqual({ i, s: 'v'.repeat((i * 7) % 1_400) }));
  });

  it.each([
    [0xab, 4, '00ab'],
    [0, 8, '00000000'],
    [-1, 8, 'ffffffff'],
    [0x1234_5678, 4, '5678'],
    [-0x7fff_ffff - 1, 8, '80000000'],
  ])('writes %i as %i hex digits', (value, digits, expected) => {
    const writer = new JsonBytesWriter();
    writer.begin();
    writer.hex(value, digits);
    expect(text(writer.end())).toBe(expected);
  });

  it('drops a record begun and never ended when the next one begins', () => {
    const writer = new JsonBytesWriter();
    writer.begin();
    writer.string('unfinished');
    expect(text(write(writer, 'next') as Uint8Array)).toBe('"next"');
  });

  it('moves a record larger than a slab to a slab of its own size', () => {
    const writer = new JsonBytesWriter();
    const big = 'x'.repeat(200_000);
    expect(text(write(writer, { big }) as Uint8Array)).toBe(JSON.stringify({ big }));
    expect(text(write(writer, 'after') as Uint8Array)).toBe('"after"');
  });
});

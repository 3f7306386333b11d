import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidRecordError } from '../src/errors.js';
import { emptyValidRecord, KEY_BYTES_NOT_COUNTED, validateRecord } from '../src/validate.js';

const MiB = 1024 * 1024;

describe('validateRecord', () => {
  it('encodes string data as UTF-8 and measures the key in bytes', () => {
    const v = validateRecord({ data: 'héllo', partitionKey: 'ключ' }, MiB);
    expect(Buffer.from(v.data).toString('utf8')).toBe('héllo');
    expect(v.partitionKeyBytes).toBe(8);
  });

  it('encodes any string data to the bytes TextEncoder gives, lone surrogates included', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (data) => {
        const v = validateRecord({ data, partitionKey: 'k' }, MiB);
        expect(Buffer.from(v.data).equals(encoder.encode(data))).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect([...validateRecord({ data: 'a\ud800b', partitionKey: 'k' }, MiB).data]).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62]);
  });

  it('counts partition key length in code points, so 256 emoji are allowed', () => {
    expect(() => validateRecord({ data: 'x', partitionKey: '😀'.repeat(256) }, MiB)).not.toThrow();
  });

  it('parses an explicit hash key at both ends of the range', () => {
    expect(validateRecord({ data: 'x', explicitHashKey: '0' }, MiB).explicitHash).toBe(0n);
    expect(validateRecord({ data: 'x', explicitHashKey: ((1n << 128n) - 1n).toString() }, MiB).explicitHash).toBe((1n << 128n) - 1n);
  });

  it('without countKeyBytes, counts the key only when the size check needs it, and still checks exactly', () => {
    const into = emptyValidRecord();
    // 3 bytes per UTF-16 unit at most: 100 + 3 × 4 ≤ 200 fits whatever the key holds.
    expect(validateRecord({ data: new Uint8Array(100), partitionKey: 'ключ' }, 200, into, false).partitionKeyBytes).toBe(KEY_BYTES_NOT_COUNTED);
    // Near the limit the key is counted: 8 UTF-8 bytes (4 Cyrillic letters), so 192 + 8 fits exactly …
    expect(validateRecord({ data: new Uint8Array(192), partitionKey: 'ключ' }, 200, into, false).partitionKeyBytes).toBe(8);
    // … and 193 + 8 does not.
    expect(() => validateRecord({ data: new Uint8Array(193), partitionKey: 'ключ' }, 200, into, false)).toThrow(InvalidRecordError);
    expect(validateRecord({ data: 'x' }, 200, into, false).partitionKeyBytes).toBe(0);
  });

  it('accepts data plus key exactly at the record limit', () => {
    expect(() => validateRecord({ data: new Uint8Array(MiB - 1), partitionKey: 'k' }, MiB)).not.toThrow();
  });

  it.each([
    ['null record', null, 'record'],
    ['number data', { data: 42 }, 'data'],
    ['array data', { data: [1, 2] }, 'data'],
    ['empty key', { data: 'x', partitionKey: '' }, 'partitionKey'],
    ['257-character key', { data: 'x', partitionKey: 'k'.repeat(257) }, 'partitionKey'],
    ['257 emoji', { data: 'x', partitionKey: '😀'.repeat(257) }, 'partitionKey'],
    ['numeric key', { data: 'x', partitionKey: 7 }, 'partitionKey'],
    ['negative hash key', { data: 'x', explicitHashKey: '-1' }, 'explicitHashKey'],
    ['2^128 hash key', { data: 'x', explicitHashKey: (1n << 128n).toString() }, 'explicitHashKey'],
    ['non-numeric hash key', { data: 'x', explicitHashKey: '12ab' }, 'explicitHashKey'],
    ['leading-zero hash key', { data: 'x', explicitHashKey: '007' }, 'explicitHashKey'],
    ['oversize data', { data: new Uint8Array(MiB), partitionKey: 'k' }, 'data'],
  ])('rejects %s with a typed error naming the field', (_name, record, field) => {
    let error: unknown;
    try {
      validateRecord(record, MiB);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRecordError);
    expect((error as InvalidRecordError).field).toBe(field);
    expect((error as InvalidRecordError).code).toBe('ERR_INVALID_RECORD');
    expect((error as InvalidRecordError).record).toBe(record);
  });

  it('fills a reused object completely: nothing of the previous record is left behind', () => {
    const into = emptyValidRecord();
    expect(validateRecord({ data: 'abc', partitionKey: 'k', explicitHashKey: '7' }, MiB, into)).toBe(into);
    expect(into.explicitHash).toBe(7n);
    validateRecord({ data: new Uint8Array(2) }, MiB, into);
    expect(into).toEqual({ data: new Uint8Array(2), partitionKey: undefined, explicitHashKey: undefined, explicitHash: undefined, partitionKeyBytes: 0 });
    // A record that fails leaves the object as it was.
    expect(() => validateRecord({ data: 'x', partitionKey: '' }, MiB, into)).toThrow();
    expect(into.data).toEqual(new Uint8Array(2));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, deaggregate } from '@shardline/producer';
import { frame, record, recordsArb } from './helpers.js';

/** One raw record that is exactly the input: what every invalid aggregate must become. */
function expectRaw(data: Uint8Array): void {
  const out = deaggregate({ Data: data, PartitionKey: 'outer', SequenceNumber: '7' });
  expect(out).toHaveLength(1);
  expect(out[0]?.aggregated).toBe(false);
  expect(out[0]?.subSequenceNumber).toBeUndefined();
  expect(Buffer.from(out[0]?.data ?? []).equals(Buffer.from(data))).toBe(true);
}

// Protobuf bodies: 0x0a = partition_key_table, 0x12 = explicit_hash_key_table, 0x1a = records;
// inside a record 0x08 = pk index, 0x10 = ehk index, 0x1a = data, 0x22 = tag.
const PK_A = [0x0a, 0x01, 0x61];
const recordOf = (...fields: number[]) => [0x1a, fields.length, ...fields];

describe('decodeAggregate accepts valid protobuf variants', () => {
  it.each([
    ['minimal record', [...PK_A, ...recordOf(0x08, 0x00, 0x1a, 0x01, 0x78)]],
    ['records before the key table', [...recordOf(0x08, 0x00, 0x1a, 0x01, 0x78), ...PK_A]],
    ['an unknown varint field is skipped', [...PK_A, 0x28, 0x05, ...recordOf(0x08, 0x00, 0x1a, 0x01, 0x78)]],
    ['an unknown fixed32 field in a record', [...PK_A, ...recordOf(0x08, 0x00, 0x1a, 0x01, 0x78, 0x2d, 1, 2, 3, 4)]],
    ['a tag with key and value', [...PK_A, ...recordOf(0x08, 0x00, 0x1a, 0x01, 0x78, 0x22, 0x06, 0x0a, 0x01, 0x6b, 0x12, 0x01, 0x76)]],
    ['a non-minimal varint index', [...PK_A, ...recordOf(0x08, 0x80, 0x00, 0x1a, 0x01, 0x78)]],
  ])('%s', (_name, body) => {
    const out = deaggregate({ Data: frame(body), PartitionKey: 'outer' });
    expect(out).toEqual([{ partitionKey: 'a', data: Buffer.from('x'), subSequenceNumber: 0, aggregated: true }]);
  });
});

describe('deaggregate falls back to one raw record for an invalid aggregate', () => {
  const valid = aggregate([record('a', 'hello', '5'), record('b', 'world')]);

  it.each([
    ['bad magic', Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc3]), valid.subarray(4)])],
    ['bad MD5', Buffer.concat([valid.subarray(0, -1), Buffer.from([valid.at(-1)! ^ 1])])],
    ['flipped body byte', Buffer.concat([valid.subarray(0, 8), Buffer.from([valid[8]! ^ 0x40]), valid.subarray(9)])],
    ['magic only', Buffer.from([0xf3, 0x89, 0x9a, 0xc2])],
    ['magic + 15 bytes', Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), Buffer.alloc(15)])],
    ['no records at all', frame(PK_A)],
    ['empty protobuf', frame([])],
    ['partition key index out of table', frame([...PK_A, ...recordOf(0x08, 0x01, 0x1a, 0x00)])],
    ['hash key index with no hash key table', frame([...PK_A, ...recordOf(0x08, 0x00, 0x10, 0x00, 0x1a, 0x00)])],
    ['record without data', frame([...PK_A, ...recordOf(0x08, 0x00)])],
    ['record without partition key index', frame([...PK_A, ...recordOf(0x1a, 0x00)])],
    ['key table as a varint (wrong wire type)', frame([0x08, 0x01, ...recordOf(0x08, 0x00, 0x1a, 0x00)])],
    ['data as a varint (wrong wire type)', frame([...PK_A, ...recordOf(0x08, 0x00, 0x18, 0x00)])],
    ['index as bytes (wrong wire type)', frame([...PK_A, ...recordOf(0x0a, 0x00, 0x1a, 0x00)])],
    ['start-group wire type', frame([...PK_A, 0x23, ...recordOf(0x08, 0x00, 0x1a, 0x00)])],
    ['wire type 7', frame([...PK_A, 0x2f, ...recordOf(0x08, 0x00, 0x1a, 0x00)])],
    ['field number 0', frame([...PK_A, 0x00, ...recordOf(0x08, 0x00, 0x1a, 0x00)])],
    ['length past the end', frame([...PK_A, 0x1a, 0x7f, 0x08, 0x00])],
    ['data length past the record', frame([...PK_A, ...recordOf(0x08, 0x00, 0x1a, 0x05, 0x78)])],
    ['truncated varint', frame([...PK_A, 0x1a, 0x80])],
    ['11-byte varint', frame([...PK_A, ...recordOf(0x08, ...Array<number>(10).fill(0x80), 0x00, 0x1a, 0x00)])],
    ['tag without key', frame([...PK_A, ...recordOf(0x08, 0x00, 0x1a, 0x00, 0x22, 0x03, 0x12, 0x01, 0x76)])],
    ['truncated fixed64', frame([...PK_A, 0x29, 1, 2, 3])],
    ['field key past 32 bits', frame([...PK_A, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00, ...recordOf(0x08, 0x00, 0x1a, 0x00)])],
  ])('%s', (_name, data) => {
    expectRaw(data);
  });

  it('never throws on random bytes, and returns them as one raw record', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => expectRaw(data)),
      { numRuns: 500 },
    );
  });

  it('never throws on random bytes after the magic and a matching MD5 (fuzzes the protobuf parser)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (body) => {
        const out = deaggregate({ Data: frame(body), PartitionKey: 'outer' });
        expect(out.length).toBeGreaterThanOrEqual(1);
        if (out.length === 1 && !out[0]?.aggregated) expect(out[0]?.data.length).toBe(body.length + 20);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns every truncation of a valid aggregate as one raw record', () => {
    fc.assert(
      fc.property(recordsArb({ withHashKeys: 'some' }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (records, at) => {
        const blob = aggregate(records);
        expectRaw(blob.subarray(0, Math.floor(at * blob.length)));
      }),
      { numRuns: 100 },
    );
  });

  it('returns a valid aggregate with one flipped bit as one raw record', () => {
    fc.assert(
      fc.property(recordsArb({ withHashKeys: 'some' }), fc.nat(), fc.integer({ min: 0, max: 7 }), (records, at, bit) => {
        const blob = Buffer.from(aggregate(records));
        const i = at % blob.length;
        blob[i] = blob[i]! ^ (1 << bit);
        expectRaw(blob);
      }),
      { numRuns: 100 },
    );
  });
});

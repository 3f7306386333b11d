import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGGREGATION_OVERHEAD_BYTES, AggregateBuilder, aggregate, deaggregate, type UserRecordInput } from '@shardline/producer';
import { sharedBuilderForTests } from '../../src/aggregation/aggregate.js';
import { bytes, loadGolden, oracleAggregate, record, recordsArb } from './helpers.js';

describe('AggregateBuilder sizes', () => {
  it('is empty at first: size 0, and build() refuses', () => {
    const builder = new AggregateBuilder();
    expect(builder.count).toBe(0);
    expect(builder.sizeBytes).toBe(0);
    expect(() => builder.build()).toThrow(/at least 1 record/);
  });

  it('matches the worked example: 20 + 12 + 106 for the first record, +106 for a repeat key', () => {
    const builder = new AggregateBuilder();
    const data = new Uint8Array(100);
    expect(builder.sizeWithBytes('0123456789', undefined, 100)).toBe(138);
    builder.add('0123456789', undefined, data);
    expect(builder.sizeBytes).toBe(138);
    expect(builder.sizeWithBytes('0123456789', undefined, 100)).toBe(244);
    builder.add('0123456789', undefined, data);
    expect(builder.build().length).toBe(244);
    expect(AGGREGATION_OVERHEAD_BYTES).toBe(20);
  });

  it.each([
    ['1-byte varint edge', 'k', 127],
    ['2-byte varint start', 'k', 128],
    ['2-byte varint edge', 'k', 16_383],
    ['3-byte varint start', 'k', 16_384],
    ['2-byte UTF-8 key', 'é'.repeat(70), 10],
    ['4-byte UTF-8 key', '🦄'.repeat(40), 10],
    // A lone surrogate is written as U+FFFD (3 bytes) and measured the same way.
    ['lone surrogate key', 'a\uD800b', 1],
  ])('predicts the exact size: %s', (_name, key, dataBytes) => {
    const builder = new AggregateBuilder();
    const predicted = builder.sizeWithBytes(key, '42', dataBytes);
    builder.add(key, '42', new Uint8Array(dataBytes));
    expect(builder.sizeBytes).toBe(predicted);
    expect(builder.build().length).toBe(predicted);
  });

  it('stays exact once key indexes need two varint bytes (200 distinct keys)', () => {
    const builder = new AggregateBuilder();
    for (let i = 0; i < 200; i++) {
      const predicted = builder.sizeWithBytes(`key-${i}`, String(i), 3);
      builder.add(`key-${i}`, String(i), bytes('abc'));
      expect(builder.sizeBytes).toBe(predicted);
    }
    expect(builder.build().length).toBe(builder.sizeBytes);
    expect(deaggregate({ Data: builder.build(), PartitionKey: 'o' }).at(-1)).toMatchObject({
      partitionKey: 'key-199',
      explicitHashKey: '199',
    });
  });

  it.each(['none', 'all', 'some'] as const)('predicts exactly over random records (hash keys: %s)', (withHashKeys) => {
    fc.assert(
      fc.property(recordsArb({ withHashKeys }), (records) => {
        const builder = new AggregateBuilder();
        for (const r of records) {
          const predicted = builder.sizeWithBytes(r.partitionKey, r.explicitHashKey, r.data.length);
          builder.add(r.partitionKey, r.explicitHashKey, r.data);
          expect(builder.sizeBytes).toBe(predicted);
        }
        expect(builder.count).toBe(records.length);
        expect(builder.build().length).toBe(builder.sizeBytes);
      }),
      { numRuns: 60 },
    );
  });

  it('stays exact when the record asked about is not the one added next', () => {
    const op = fc.record({ ask: fc.constantFrom('a', 'b', 'c'), add: fc.constantFrom('a', 'b', 'c'), hashKey: fc.constantFrom(undefined, '1', '2') });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        const builder = new AggregateBuilder();
        for (const { ask, add, hashKey } of ops) {
          builder.sizeWithBytes(ask, hashKey === undefined ? '3' : undefined, 1);
          const predicted = builder.sizeWithBytes(add, hashKey, 1);
          builder.sizeWithBytes(ask, '3', 1);
          builder.add(add, hashKey, bytes(add));
          expect(builder.sizeBytes).toBe(predicted);
        }
        const out = deaggregate({ Data: builder.build(), PartitionKey: 'o' });
        expect(out.map((r) => [r.partitionKey, r.explicitHashKey, Buffer.from(r.data).toString()])).toEqual(
          ops.map((o) => [o.add, o.hashKey, o.add]),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('AggregateBuilder output', () => {
  it('re-encodes the user records of every KPL golden aggregate to the identical bytes', () => {
    const aggregated = loadGolden().filter((v) => v.aggregated);
    expect(aggregated.length).toBeGreaterThanOrEqual(3);
    for (const vector of aggregated) {
      const builder = new AggregateBuilder();
      for (const u of vector.userRecords ?? []) {
        builder.add(u.partitionKey, u.explicitHashKey ?? undefined, Buffer.from(u.data, 'base64'));
      }
      expect(builder.build().toString('base64'), vector.name).toBe(vector.data);
    }
  });

  it('addMeasured after sizeWithBytes builds the same bytes and sizes as add', () => {
    fc.assert(
      fc.property(recordsArb({ withHashKeys: 'some' }), (records) => {
        const measured = new AggregateBuilder();
        for (const r of records) {
          const size = measured.sizeWithBytes(r.partitionKey, r.explicitHashKey, r.data.length);
          measured.addMeasured(r.partitionKey, r.explicitHashKey, r.data);
          expect(measured.sizeBytes).toBe(size);
        }
        expect(measured.build().equals(aggregate(records))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('builds the same bytes after reset() as a fresh builder, with nothing left over', () => {
    const reused = new AggregateBuilder();
    reused.add('old', '1', bytes('stale payload'));
    reused.add('older', undefined, bytes('more'));
    reused.build();
    reused.reset();
    expect(reused.count).toBe(0);
    expect(reused.sizeBytes).toBe(0);
    reused.add('new', undefined, bytes('fresh'));
    const fresh = aggregate([{ partitionKey: 'new', data: bytes('fresh') }]);
    expect(reused.build().equals(fresh)).toBe(true);
  });

  it('keeps building exact aggregates as one builder grows and drops its staging memory', () => {
    // Aggregates from one record of a few bytes to dozens of records of up to 20 KB, in random
    // order: the builder's staging buffer grows past its 4 KiB start and is dropped after big ones.
    const sized = fc.array(
      fc.record({ partitionKey: fc.string({ minLength: 1, maxLength: 20 }), size: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1_000, max: 20_000 })) }),
      { minLength: 1, maxLength: 40 },
    );
    fc.assert(
      fc.property(fc.array(sized, { minLength: 2, maxLength: 8 }), (batches) => {
        const builder = new AggregateBuilder();
        for (const batch of batches) {
          const records = batch.map((r, i) => ({ partitionKey: r.partitionKey, data: Buffer.alloc(r.size, i) }));
          for (const r of records) builder.add(r.partitionKey, undefined, r.data);
          const built = builder.build();
          builder.reset();
          expect(built.equals(aggregate(records))).toBe(true);
          expect(deaggregate({ Data: built, PartitionKey: 'o' }).map((r) => Buffer.from(r.data).equals(records[r.subSequenceNumber ?? 0]?.data ?? Buffer.alloc(1)))).toEqual(records.map(() => true));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('copies a record\'s data at add(): changing the caller\'s bytes afterwards changes nothing', () => {
    const builder = new AggregateBuilder();
    const data = bytes('before');
    builder.add('k', undefined, data);
    builder.add('k', undefined, bytes('other'));
    data.set(bytes('AFTER!'));
    expect(deaggregate({ Data: builder.build(), PartitionKey: 'o' }).map((r) => Buffer.from(r.data).toString())).toEqual(['before', 'other']);
  });

  it('dedupes key tables: 1,000 records over 3 keys store each key once', () => {
    const records = Array.from({ length: 1000 }, (_, i) => ({ partitionKey: `key-${i % 3}`, data: bytes('x') }));
    const blob = aggregate(records);
    expect(blob.toString('latin1').split('key-1').length - 1).toBe(1);
    expect(deaggregate({ Data: blob, PartitionKey: 'o' }).map((r) => r.partitionKey)).toEqual(
      records.map((r) => r.partitionKey),
    );
  });
});

describe('aggregate input validation', () => {
  it.each([
    ['an empty list', [], /`records` to hold at least 1 record/],
    ['a non-string key', [{ partitionKey: 7, data: new Uint8Array(1) }], /`records\[0\]\.partitionKey` to be a string, got number/],
    ['a string payload', [{ partitionKey: 'k', data: 'text' }], /`records\[0\]\.data` to be a Uint8Array, got string/],
    ['a numeric hash key', [{ partitionKey: 'k', explicitHashKey: 5, data: new Uint8Array(1) }], /explicitHashKey` to be a string/],
    ['a null record', [null], /`records\[0\]` to be an object, got null/],
  ])('rejects %s with a typed error', (_name, records, message) => {
    expect(() => aggregate(records as never)).toThrow(message);
    try {
      aggregate(records as never);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_INVALID_RECORD', retriable: false });
    }
  });
});

describe('AggregateBuilder key slots', () => {
  const slotFor = (key: string) => ({ table: 0, index: 0, keyBytes: Buffer.byteLength(key) });

  it('deduplicates keys through their slots to the same bytes as without slots', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 40 })), { minLength: 1, maxLength: 60 }), (picks) => {
        const keys = Array.from({ length: 10 }, (_, i) => `key-${i}-é`);
        const slots = keys.map(slotFor);
        const plain = new AggregateBuilder();
        const slotted = new AggregateBuilder();
        for (const [k, data] of picks) {
          const key = keys[k] as string;
          expect(slotted.sizeWithBytes(key, undefined, data.length, slots[k])).toBe(plain.sizeWithBytes(key, undefined, data.length));
          plain.add(key, undefined, data);
          slotted.add(key, undefined, data, slots[k]);
        }
        expect(Buffer.from(slotted.build())).toEqual(Buffer.from(plain.build()));
      }),
    );
  });

  it('ignores a slot left by another aggregate: the key is added again, at its right index', () => {
    const slot = slotFor('a');
    const first = new AggregateBuilder();
    first.add('x', undefined, bytes('1'));
    first.add('a', undefined, bytes('2'), slot);
    expect(slot.index).toBe(1);
    const second = new AggregateBuilder();
    second.add('a', undefined, bytes('3'), slot);
    second.add('b', undefined, bytes('4'));
    second.add('a', undefined, bytes('5'), slot);
    const users = deaggregate({ Data: second.build(), PartitionKey: 'o' });
    expect(users.map((u) => [u.partitionKey, Buffer.from(u.data).toString()])).toEqual([
      ['a', '3'],
      ['b', '4'],
      ['a', '5'],
    ]);
    // A memo of this very table that points at another key is not trusted either.
    const third = new AggregateBuilder();
    const misused = slotFor('y');
    third.add('z', undefined, bytes('6'));
    third.add('y', undefined, bytes('7'), misused);
    third.add('a', undefined, bytes('8'), misused);
    expect(deaggregate({ Data: third.build(), PartitionKey: 'o' }).map((u) => u.partitionKey)).toEqual(['z', 'y', 'a']);
  });

  it('resets: a slot from before reset() is not trusted after it', () => {
    const slot = slotFor('a');
    const builder = new AggregateBuilder();
    builder.add('a', undefined, bytes('1'), slot);
    builder.build();
    builder.reset();
    builder.add('b', undefined, bytes('2'));
    builder.add('a', undefined, bytes('3'), slot);
    expect(deaggregate({ Data: builder.build(), PartitionKey: 'o' }).map((u) => u.partitionKey)).toEqual(['b', 'a']);
  });
});

describe('aggregate() with its reused builder', () => {
  it('encodes a call after one that threw on a bad record as if it were the first', () => {
    const good = [record('a', 'one'), record('b', 'two', '7')];
    const expected = new AggregateBuilder();
    for (const r of good) expected.add(r.partitionKey, r.explicitHashKey, r.data);
    expect(() => aggregate([record('stale', 'x', '1'), record('stale2', 'y'), { partitionKey: 3 } as never])).toThrow(/partitionKey/);
    expect(aggregate(good).equals(expected.build())).toBe(true);
  });

  it('encodes correctly when reading a record calls aggregate() again', () => {
    const inner = [record('inner-key', 'inner data')];
    let innerResult: Buffer | undefined;
    const tricky = {
      get partitionKey(): string {
        innerResult ??= aggregate(inner);
        return 'outer-key';
      },
      data: bytes('outer data'),
    };
    const outer = aggregate([record('first', '1'), tricky, record('outer-key', '3')]);
    expect(deaggregate({ Data: outer, PartitionKey: 'o' }).map((u) => [u.partitionKey, Buffer.from(u.data).toString()])).toEqual([
      ['first', '1'],
      ['outer-key', 'outer data'],
      ['outer-key', '3'],
    ]);
    expect(innerResult?.equals(aggregate(inner))).toBe(true);
  });

  it('matches aws-kinesis-agg over aggregates of many distinct keys, one call after another', () => {
    for (const distinct of [1, 40, 1_000, 300]) {
      const records = Array.from({ length: 1_200 }, (_, i) => record(`key-${i % distinct}-é`, `data ${i}`, i % 3 === 0 ? String(i) : undefined));
      const decoded = deaggregate({ Data: aggregate(records), PartitionKey: 'o' });
      expect(decoded.map((u) => [u.partitionKey, u.explicitHashKey, Buffer.from(u.data).toString()])).toEqual(
        records.map((r) => [r.partitionKey, r.explicitHashKey, Buffer.from(r.data).toString()]),
      );
      expect(Buffer.from(oracleAggregate(records)).equals(aggregate(records))).toBe(true);
    }
  });
});

describe('AggregateBuilder after a large aggregate', () => {
  it('builds exact aggregates when its key arrays are cut back and grown again', () => {
    const builder = new AggregateBuilder();
    const large = Array.from({ length: 5_000 }, (_, i) => record(`key-${i}`, 'x', String(i)));
    const encode = (records: UserRecordInput[]) => {
      builder.reset();
      for (const r of records) builder.add(r.partitionKey, r.explicitHashKey, r.data);
      return Buffer.from(builder.build());
    };
    expect(encode(large).equals(oracleAggregate(large))).toBe(true);
    const small = [record('a', '1', '5'), record('b', '2'), record('a', '3', '6')];
    expect(encode(small).equals(oracleAggregate(small))).toBe(true);
    expect(encode(large.slice(0, 2_000)).equals(oracleAggregate(large.slice(0, 2_000)))).toBe(true);
  });
});

describe('aggregate() memory', () => {
  it('keeps its builder after an ordinary call and replaces it after one over 10,000 records or 1 MiB', () => {
    aggregate([record('a', '1')]);
    const kept = sharedBuilderForTests();
    aggregate(Array.from({ length: 250 }, (_, i) => record(`k${i}`, 'x'.repeat(100))));
    expect(sharedBuilderForTests()).toBe(kept);
    aggregate(Array.from({ length: 10_001 }, (_, i) => record(`k${i}`, 'x')));
    const afterMany = sharedBuilderForTests();
    expect(afterMany).not.toBe(kept);
    aggregate([{ partitionKey: 'big', data: new Uint8Array((1 << 20) + 1) }]);
    expect(sharedBuilderForTests()).not.toBe(afterMany);
    expect(sharedBuilderForTests().count).toBe(0);
  });
});

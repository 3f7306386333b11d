/**
 * Interoperability with the npm `aws-kinesis-agg` 4.2.8 in both directions. Its quirks shape the
 * comparisons: it decodes a missing hash key index as 0 (so a record without a hash key reads back
 * with table entry 0 when the table is not empty), it reports data as base64, and it keys its
 * tables by object property, which reorders integer-like keys (so only decoded records, not bytes,
 * are compared for its output).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, deaggregate, type UserRecordInput } from '@shardline/producer';
import { loadGolden, oracleAggregate, oracleDeaggregate, recordsArb } from './helpers.js';

const expectedUserRecords = (records: readonly UserRecordInput[]) =>
  records.map((r, i) => ({
    PartitionKey: r.partitionKey,
    ExplicitPartitionKey: r.explicitHashKey,
    SequenceNumber: '42',
    SubSequenceNumber: i,
    Data: Buffer.from(r.data).toString('base64'),
  }));

describe('aws-kinesis-agg reads what aggregate() writes', () => {
  it.each(['none', 'all'] as const)('random record sets (hash keys: %s)', (withHashKeys) => {
    fc.assert(
      fc.property(recordsArb({ withHashKeys }), (records) => {
        const decoded = oracleDeaggregate(aggregate(records), 'outer', '42');
        expect(decoded).toEqual(expectedUserRecords(records));
      }),
      { numRuns: 40 },
    );
  });
});

describe('deaggregate() reads what aws-kinesis-agg writes', () => {
  // Its key tables are plain objects: '__proto__' lands on the prototype, and integer-like keys
  // below 2^32 - 1 (array indexes) are listed in numeric order, not insertion order, so their
  // table indexes come out wrong. Neither is a key it can carry.
  const carried = (key: string | undefined) =>
    key === undefined || (key !== '__proto__' && !(/^(0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1));
  const usable = (records: UserRecordInput[]) =>
    records.every((r) => carried(r.partitionKey) && carried(r.explicitHashKey));

  it.each(['none', 'all', 'some'] as const)('random record sets (hash keys: %s)', (withHashKeys) => {
    fc.assert(
      fc.property(recordsArb({ withHashKeys }).filter(usable), (records) => {
        const out = deaggregate({ Data: oracleAggregate(records), PartitionKey: 'outer', SequenceNumber: '42' });
        expect(out.map((r) => [r.partitionKey, r.explicitHashKey, Buffer.from(r.data).toString('base64')])).toEqual(
          records.map((r) => [r.partitionKey, r.explicitHashKey, Buffer.from(r.data).toString('base64')]),
        );
        expect(out.map((r) => r.subSequenceNumber)).toEqual(records.map((_, i) => i));
      }),
      { numRuns: 40 },
    );
  });
});

describe('both codecs agree on the Java KPL golden vectors', () => {
  it.each(loadGolden().map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const data = Buffer.from(vector.data, 'base64');
    const ours = deaggregate({ Data: data, PartitionKey: vector.outerPartitionKey, SequenceNumber: '42' });
    const theirs = oracleDeaggregate(data, vector.outerPartitionKey, '42');
    expect(ours.map((r) => [r.partitionKey, Buffer.from(r.data).toString('base64'), r.subSequenceNumber])).toEqual(
      // For a plain record it hands back the input bytes instead of base64.
      theirs.map((r) => [r.PartitionKey, typeof r.Data === 'string' ? r.Data : Buffer.from(r.Data).toString('base64'), r.SubSequenceNumber]),
    );
  });
});

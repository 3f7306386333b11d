import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, deaggregate, isAggregated, type DeaggregatedRecord } from '@shardline/producer';
import { bytes, loadGolden, record, recordsArb } from './helpers.js';

/** What a test compares: the user-visible fields, data as base64. */
const view = (r: Pick<DeaggregatedRecord, 'partitionKey' | 'data'> & { explicitHashKey?: string | undefined }) => ({
  partitionKey: r.partitionKey,
  explicitHashKey: r.explicitHashKey,
  data: Buffer.from(r.data).toString('base64'),
});

describe('deaggregate golden vectors (Java KPL output)', () => {
  it.each(loadGolden().map((v) => [v.name, v] as const))('%s decodes to exactly its user records', (_name, vector) => {
    const data = Buffer.from(vector.data, 'base64');
    const out = deaggregate({ Data: data, PartitionKey: vector.outerPartitionKey, SequenceNumber: '495' });
    expect(isAggregated(data)).toBe(vector.aggregated);
    if (vector.userRecords === null) {
      expect(out).toEqual([{ partitionKey: vector.outerPartitionKey, data, sequenceNumber: '495', aggregated: false }]);
      return;
    }
    expect(out.map(view)).toEqual(
      vector.userRecords.map((u) => ({ ...u, explicitHashKey: u.explicitHashKey ?? undefined })),
    );
    expect(out.map((r) => [r.subSequenceNumber, r.sequenceNumber, r.aggregated])).toEqual(
      vector.userRecords.map((_, i) => [i, '495', true]),
    );
  });
});

describe('deaggregate input shapes', () => {
  const blob = aggregate([record('pk-1', 'one', '170141183460469231731687303715884105728'), record('pk-2', 'two')]);
  const expected = [
    { partitionKey: 'pk-1', explicitHashKey: '170141183460469231731687303715884105728', data: bytes('one').toString('base64') },
    { partitionKey: 'pk-2', explicitHashKey: undefined, data: bytes('two').toString('base64') },
  ];

  it('reads an SDK GetRecords record, keeping sequence number and arrival time', () => {
    const arrival = new Date('2026-11-25T23:00:00.123Z');
    const out = deaggregate({ Data: blob, PartitionKey: 'a', SequenceNumber: '4959', ApproximateArrivalTimestamp: arrival });
    expect(out.map(view)).toEqual(expected);
    expect(out[1]).toMatchObject({ sequenceNumber: '4959', subSequenceNumber: 1, aggregated: true });
    expect(out[1]?.approximateArrivalTimestamp?.getTime()).toBe(arrival.getTime());
  });

  it.each([
    ['a Lambda event record', (p: object) => ({ kinesis: p, eventSource: 'aws:kinesis', eventID: 'shardId-0:1' })],
    ['the bare `kinesis` payload of a Lambda event record', (p: object) => p],
  ])('reads %s (base64 data, arrival time in seconds)', (_name, wrap) => {
    const payload = {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'a',
      sequenceNumber: '4959',
      data: blob.toString('base64'),
      approximateArrivalTimestamp: 1545084650.987,
    };
    const out = deaggregate(wrap(payload) as never);
    expect(out.map(view)).toEqual(expected);
    expect(out.map((r) => r.subSequenceNumber)).toEqual([0, 1]);
    expect(out[0]?.approximateArrivalTimestamp?.getTime()).toBe(1545084650987);
    expect(out[0]?.sequenceNumber).toBe('4959');
  });

  it('returns a plain record as one raw record without subSequenceNumber', () => {
    const out = deaggregate({ kinesis: { data: bytes('{"click":1}').toString('base64'), partitionKey: 'u-1', explicitHashKey: '7' } });
    expect(out).toEqual([{ partitionKey: 'u-1', explicitHashKey: '7', data: bytes('{"click":1}'), aggregated: false }]);
  });

  it('treats a missing SDK Data as an empty raw record', () => {
    expect(deaggregate({ Data: undefined, SequenceNumber: '1' })).toEqual([
      { partitionKey: '', data: new Uint8Array(0), sequenceNumber: '1', aggregated: false },
    ]);
  });

  it.each([null, 42, 'text', {}, { kinesis: null }])('throws a typed error for a non-record argument: %j', (input) => {
    expect(() => deaggregate(input as never)).toThrow(/Expected an SDK GetRecords record/);
  });
});

describe('deaggregate round trips', () => {
  it.each(['none', 'all', 'some'] as const)('random record sets come back exactly (hash keys: %s)', (withHashKeys) => {
    fc.assert(
      fc.property(recordsArb({ withHashKeys }), (records) => {
        const out = deaggregate({ Data: aggregate(records), PartitionKey: 'outer', SequenceNumber: '9' });
        expect(out.map(view)).toEqual(records.map(view));
        expect(out.every((r, i) => r.subSequenceNumber === i && r.aggregated)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

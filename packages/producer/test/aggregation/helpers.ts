/** Record factories, fast-check arbitraries, the golden fixture and the aws-kinesis-agg oracle. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import agg from 'aws-kinesis-agg';
import fc from 'fast-check';
import type { UserRecordInput } from '@shardline/producer';

export interface GoldenVector {
  name: string;
  outerPartitionKey: string;
  /** base64 */
  data: string;
  aggregated: boolean;
  userRecords: { partitionKey: string; explicitHashKey: string | null; data: string }[] | null;
}

/** Records made by the real Java KPL, with their decoded contents (kept in the repository). */
export function loadGolden(): GoldenVector[] {
  const url = new URL('./fixtures/kpl-golden.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { vectors: GoldenVector[] }).vectors;
}

export function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

export function record(partitionKey: string, data: string, explicitHashKey?: string): UserRecordInput {
  return { partitionKey, explicitHashKey, data: bytes(data) };
}

/** Keys mixing ASCII, 2-, 3- and 4-byte UTF-8 (`unit: 'binary'` is any code point, no lone surrogates). */
export const keyArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }),
  fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }),
  fc.constantFrom('é', '日本語キー', '🦄🦄', 'k'.repeat(256)),
);

export const hashKeyArb = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }).map(String);

/** Random record sets with repeated keys (drawn from a small pool) and sizes from 0 to 70,000 bytes. */
export const recordsArb = (options: { withHashKeys: 'none' | 'all' | 'some' }): fc.Arbitrary<UserRecordInput[]> =>
  fc
    .tuple(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 6 }), fc.uniqueArray(hashKeyArb, { minLength: 1, maxLength: 4 }))
    .chain(([keys, hashKeys]) =>
      fc.array(
        fc.record({
          partitionKey: fc.constantFrom(...keys),
          explicitHashKey:
            options.withHashKeys === 'none'
              ? fc.constant(undefined)
              : options.withHashKeys === 'all'
                ? fc.constantFrom(...hashKeys)
                : fc.option(fc.constantFrom(...hashKeys), { nil: undefined }),
          data: fc.oneof(
            { weight: 5, arbitrary: fc.uint8Array({ maxLength: 200 }) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 70_000 }).map((n) => new Uint8Array(n).fill(n & 0xff)) },
          ),
        }),
        { minLength: 1, maxLength: 300 },
      ),
    );

interface OracleUserRecord {
  PartitionKey: string;
  ExplicitPartitionKey?: string;
  SequenceNumber: string;
  SubSequenceNumber?: number;
  /** base64, except for a plain record: then the input bytes as given. */
  Data: string | Uint8Array;
}

/** aws-kinesis-agg's deaggregateSync on an SDK-shaped record, as a plain return value. */
export function oracleDeaggregate(data: Uint8Array, partitionKey: string, sequenceNumber: string): OracleUserRecord[] {
  let result: OracleUserRecord[] | undefined;
  let failure: unknown;
  agg.deaggregateSync(
    { Data: data, PartitionKey: partitionKey, SequenceNumber: sequenceNumber } as never,
    true,
    (err: unknown, records?: unknown) => {
      failure = err;
      result = records as OracleUserRecord[] | undefined;
    },
  );
  if (failure) throw failure as Error;
  if (result === undefined) throw new Error('aws-kinesis-agg returned no records');
  return result;
}

interface OracleAggregator {
  addUserRecord(record: { partitionKey: string; explicitHashKey?: string; data: Uint8Array }): void;
  build(): { partitionKey: string; data: Buffer; ExplicitHashKey?: string } | undefined;
}

/** aws-kinesis-agg's RecordAggregator: one aggregate of `records`. */
export function oracleAggregate(records: readonly UserRecordInput[]): Buffer {
  const RecordAggregator = (agg as unknown as { RecordAggregator: new () => OracleAggregator }).RecordAggregator;
  const aggregator = new RecordAggregator();
  for (const r of records) {
    aggregator.addUserRecord(
      r.explicitHashKey === undefined
        ? { partitionKey: r.partitionKey, data: r.data }
        : { partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: r.data },
    );
  }
  const built = aggregator.build();
  if (built === undefined) throw new Error('aws-kinesis-agg built nothing');
  return built.data;
}

/** Wraps a hand-made protobuf body as an aggregate with the right magic and MD5. */
export function frame(body: readonly number[] | Uint8Array): Buffer {
  const protobuf = Buffer.from(body);
  const digest = createHash('md5').update(protobuf).digest();
  return Buffer.concat([Buffer.from([0xf3, 0x89, 0x9a, 0xc2]), protobuf, digest]);
}

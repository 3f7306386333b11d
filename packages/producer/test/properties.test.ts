/**
 * Property tests of the producer's API edge: whatever a caller passes to `put`, a bad record is
 * rejected with `InvalidRecordError` (stable code, not retriable, the offending `field` and the
 * record itself) before any request reaches the server, and the producer keeps writing valid
 * records afterwards.
 *
 * "Before any I/O" is checked with the server's own request counter: it does not move while
 * invalid records are put. The limits come from kinesis-facts §1: partition key 1–256 Unicode
 * characters (code points), explicit hash key a decimal in [0, 2^128 − 1], data + key ≤ 1 MiB.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, InvalidRecordError, type Producer } from '@shardline/producer';

const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_HASH = 2n ** 128n - 1n;
const STREAM = 'props';

let local: LocalKinesis;
let producer: Producer;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'off' });
  await local.createStream({ name: STREAM, shardCount: 2 });
  producer = createProducer({ streamName: STREAM, client: local.client(), lingerMs: 1 });
  await producer.ready;
});
afterAll(async () => {
  await producer.close();
  await local.stop();
});

/** A string of `n` code points, each drawn from the BMP or from the astral planes. */
const codePoints = (n: number) =>
  fc
    .array(fc.oneof(fc.integer({ min: 0x20, max: 0xd7ff }), fc.integer({ min: 0x10000, max: 0x10ffff })), { minLength: n, maxLength: n })
    .map((cps) => String.fromCodePoint(...cps));

const badPartitionKey = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 257, max: 600 }).chain(codePoints),
  fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object(), fc.array(fc.string())),
);

const badHashKey = fc.oneof(
  fc.bigInt({ min: -(2n ** 130n), max: -1n }).map(String),
  fc.bigInt({ min: MAX_HASH + 1n, max: 2n ** 140n }).map(String),
  fc.constant((2n ** 128n).toString()),
  fc.string().filter((s) => !/^\d+$/.test(s)),
  fc.constantFrom('1e3', '0x10', ' 12', '12 ', '+5', '1.5', ''),
  fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.bigInt({ min: 0n, max: 10n })),
);

const badData = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer({ min: 0, max: 255 })),
  fc.object(),
);

/** Puts `record` expecting an InvalidRecordError on `field`; returns the error. */
async function expectRejected(record: unknown, field: string): Promise<void> {
  const error: unknown = await producer.put(record as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidRecordError);
  const invalid = error as InvalidRecordError;
  expect(invalid.code).toBe('ERR_INVALID_RECORD');
  expect(invalid.retriable).toBe(false);
  expect(invalid.field).toBe(field);
  expect(invalid.record).toBe(record);
  expect(invalid.message).toMatch(/^Expected /);
}

async function expectStillWorking(id: number): Promise<void> {
  const result = await producer.put({ data: `ok-${id}`, partitionKey: `k${id}` });
  expect(result.shardId).toMatch(/^shardId-/);
  expect(result.sequenceNumber).toMatch(/^\d+$/);
}

describe('put rejects bad records before any I/O and keeps working', () => {
  it.each([
    { name: 'partition keys', field: 'partitionKey', arb: badPartitionKey.map((partitionKey) => ({ data: 'x', partitionKey })) },
    { name: 'explicit hash keys', field: 'explicitHashKey', arb: badHashKey.map((explicitHashKey) => ({ data: 'x', partitionKey: 'k', explicitHashKey })) },
    { name: 'data types', field: 'data', arb: badData.map((data) => ({ data, partitionKey: 'k' })) },
    { name: 'record types', field: 'record', arb: fc.oneof(fc.constant(null), fc.constant(undefined), fc.integer(), fc.string(), fc.boolean()) },
  ])('random bad $name', async ({ field, arb }) => {
    let id = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arb as fc.Arbitrary<unknown>, { minLength: 1, maxLength: 8 }), async (records) => {
        const requestsBefore = local.stats().requests;
        for (const record of records) await expectRejected(record, field);
        expect(local.stats().requests).toBe(requestsBefore);
        await expectStillWorking(id++);
      }),
      { numRuns: 40 },
    );
  });

  it('data + key sizes around the 1 MiB record limit: at or under is written, one byte over is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 256 }), fc.integer({ min: -2, max: 2 }), async (keyChars, delta) => {
        const partitionKey = 'k'.repeat(keyChars);
        const record = { data: new Uint8Array(MAX_RECORD_BYTES - keyChars + delta), partitionKey };
        if (delta <= 0) {
          const result = await producer.put(record);
          expect(result.shardId).toMatch(/^shardId-/);
        } else {
          const requestsBefore = local.stats().requests;
          await expectRejected(record, 'data');
          expect(local.stats().requests).toBe(requestsBefore);
        }
      }),
      { numRuns: 12 },
    );
  }, 60_000);

  // 128 astral code points are 256 UTF-16 units: the most that both the producer (which counts
  // code points, as the AWS API model does) and kinesalite (which counts UTF-16 units) accept.
  it.each([
    { name: '256 BMP characters', keyChars: 256, astral: false },
    { name: '128 astral code points', keyChars: 128, astral: true },
  ])('valid edge records are written: $name, hash keys 0 and 2^128 − 1, empty data', async ({ keyChars, astral }) => {
    const char = fc.integer({ min: astral ? 0x10000 : 0x20, max: astral ? 0x10ffff : 0xd7ff });
    const key = fc.array(char, { minLength: keyChars, maxLength: keyChars }).map((cps) => String.fromCodePoint(...cps));
    await fc.assert(
      fc.asyncProperty(key, fc.constantFrom('0', MAX_HASH.toString()), async (partitionKey, explicitHashKey) => {
        const result = await producer.put({ data: new Uint8Array(0), partitionKey, explicitHashKey });
        expect(result.shardId).toBe(explicitHashKey === '0' ? 'shardId-000000000000' : 'shardId-000000000001');
      }),
      { numRuns: 8 },
    );
  });

  it('putMany settles each bad record alone: valid neighbours are written', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(badPartitionKey.map((partitionKey) => ({ bad: true, partitionKey })), fc.constant({ bad: false, partitionKey: 'good' })), { minLength: 1, maxLength: 20 }), async (rows) => {
        const outcomes = await producer.putMany(rows.map((r) => ({ data: 'x', partitionKey: r.partitionKey as string })));
        expect(outcomes.map((o) => o.status)).toEqual(rows.map((r) => (r.bad ? 'rejected' : 'fulfilled')));
        for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(InvalidRecordError);
      }),
      { numRuns: 30 },
    );
  });
});

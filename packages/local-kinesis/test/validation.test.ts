import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutRecordCommand, PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type LocalKinesis } from '../src/index.js';
import { entries } from './helpers.js';

const MiB = 1024 * 1024;
const one = (entry: Partial<PutRecordsRequestEntry>): PutRecordsRequestEntry[] => [
  { PartitionKey: 'k', Data: new Uint8Array(1), ...entry },
];

describe('bad input gets the AWS error and the server keeps serving', () => {
  let local: LocalKinesis;
  let client: KinesisClient;
  beforeAll(async () => {
    local = await startLocalKinesis();
    client = local.client({ maxAttempts: 1 });
    await local.createStream({ name: 'strict', shardCount: 1 });
  });
  afterAll(() => local.stop());

  it.each([
    {
      name: 'zero entries',
      records: [],
      error: 'ValidationException',
      message: /Value '\[\]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1/,
    },
    {
      name: '501 entries',
      records: entries(501, 1),
      error: 'ValidationException',
      message: /at 'records' failed to satisfy constraint: Member must have length less than or equal to 500/,
    },
    {
      name: 'a 257-character partition key',
      records: one({ PartitionKey: 'x'.repeat(257) }),
      error: 'ValidationException',
      message: /at 'records.1.member.partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256/,
    },
    {
      name: 'data over 1 MiB',
      records: one({ Data: new Uint8Array(MiB + 1) }),
      error: 'ValidationException',
      message: /at 'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576/,
    },
    {
      name: 'data + partition key over 1 MiB',
      records: one({ PartitionKey: 'key', Data: new Uint8Array(MiB - 1) }),
      error: 'InvalidArgumentException',
      message: /Record size 1048578 exceeds the 1048576 byte limit/,
    },
    {
      name: 'a request over 10 MiB',
      records: Array.from({ length: 11 }, (_, index) => ({ PartitionKey: `k${index}`, Data: new Uint8Array(1_000_000) })),
      error: 'InvalidArgumentException',
      message: /^Records size exceeds 10 MB limit$/,
    },
    {
      name: 'a non-numeric hash key',
      records: one({ ExplicitHashKey: 'abc' }),
      error: 'ValidationException',
      message: /at 'records.1.member.explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    },
    {
      name: 'a hash key of 2^128',
      records: one({ ExplicitHashKey: (1n << 128n).toString() }),
      error: 'InvalidArgumentException',
      message: /ExplicitHashKey must be in the range: \[0, 2\^128-1\]/,
    },
  ])('PutRecords with $name → $error', async ({ records, error, message }) => {
    const attempt = client.send(new PutRecordsCommand({ StreamName: 'strict', Records: records }));
    await expect(attempt).rejects.toMatchObject({ name: error, message: expect.stringMatching(message) });
    const healthy = await client.send(new PutRecordsCommand({ StreamName: 'strict', Records: entries(2, 10) }));
    expect(healthy.FailedRecordCount).toBe(0);
  });

  it.each([
    { name: 'a 257-character partition key', input: { PartitionKey: 'x'.repeat(257) }, error: 'ValidationException' },
    { name: 'data + partition key over 1 MiB', input: { Data: new Uint8Array(MiB) }, error: 'InvalidArgumentException' },
    { name: 'a non-numeric hash key', input: { ExplicitHashKey: '12a' }, error: 'ValidationException' },
    { name: 'an unknown stream', input: { StreamName: 'missing' }, error: 'ResourceNotFoundException' },
  ])('PutRecord with $name → $error', async ({ input, error }) => {
    const attempt = client.send(
      new PutRecordCommand({ StreamName: 'strict', PartitionKey: 'k', Data: new Uint8Array(1), ...input }),
    );
    await expect(attempt).rejects.toMatchObject({ name: error, $metadata: { httpStatusCode: 400 } });
    const healthy = await client.send(new PutRecordCommand({ StreamName: 'strict', PartitionKey: 'k', Data: new Uint8Array(1) }));
    expect(healthy.ShardId).toBe('shardId-000000000000');
  });

  it('PutRecords to an unknown stream → ResourceNotFoundException', async () => {
    await expect(
      client.send(new PutRecordsCommand({ StreamName: 'missing', Records: entries(1, 1) })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { InvalidOptionError, readAllRecords, startLocalKinesis } from '../src/index.js';
import { entries } from './helpers.js';
import { cbor } from '../src/kinesalite-backend.js';

/** Resolves when something else can bind the port, i.e. the server really let go of it. */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('lifecycle', () => {
  it('starts on 127.0.0.1 well under a second and frees the port on stop', async () => {
    const startMs = performance.now();
    const local = await startLocalKinesis();
    expect(performance.now() - startMs).toBeLessThan(500);
    expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
    expect(await canBind(local.port)).toBe(false);
    await local.createStream({ name: 'a', shardCount: 1 });
    await local.client().send(new PutRecordsCommand({ StreamName: 'a', Records: entries(1, 1) }));
    await local.stop();
    await local.stop(); // harmless twice
    expect(await canBind(local.port)).toBe(true);
  });

  it('keeps streams and records in dataDir across a restart on the same port', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-kinesis-'));
    try {
      const first = await startLocalKinesis({ dataDir });
      await first.createStream({ name: 'kept', shardCount: 2 });
      await first.client().send(new PutRecordsCommand({ StreamName: 'kept', Records: entries(50, 8) }));
      await first.stop();

      const second = await startLocalKinesis({ dataDir, port: first.port });
      try {
        const records = await readAllRecords(second.client(), 'kept');
        expect(records).toHaveLength(50);
        expect(new Set(records.map((record) => record.shardId))).toEqual(
          new Set(['shardId-000000000000', 'shardId-000000000001']),
        );
        expect(records.map((record) => record.partitionKey).sort()).toEqual(
          entries(50, 8).map((entry) => entry.PartitionKey).sort(),
        );
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('stops cleanly with requests in flight and restarts on the same port and dataDir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-kinesis-'));
    try {
      const first = await startLocalKinesis({ dataDir, limits: 'off' });
      await first.createStream({ name: 'busy', shardCount: 2 });
      const client = first.client({ maxAttempts: 1 });
      const inFlight = Array.from({ length: 20 }, () =>
        client.send(new PutRecordsCommand({ StreamName: 'busy', Records: entries(500, 50) })).then(
          (answer) => 500 - (answer.FailedRecordCount ?? 0),
          () => 0, // arrived after stop began: cut off, the client sees a network error
        ),
      );
      // Stop while requests are inside the server: closing kinesalite's LevelDB under them would
      // crash the process (a segfault in leveldown) unless stop lets them finish first.
      while (first.stats().requests < 3) await new Promise((resolve) => setImmediate(resolve));
      await first.stop();
      const acknowledged = (await Promise.all(inFlight)).reduce((sum, count) => sum + count, 0);
      expect(acknowledged).toBeGreaterThanOrEqual(500);

      const second = await startLocalKinesis({ dataDir, port: first.port, limits: 'off' });
      try {
        const stored = await readAllRecords(second.client(), 'busy');
        // Every acknowledged record survived; a request cut off may still have been stored.
        expect(stored.length).toBeGreaterThanOrEqual(acknowledged);
        expect(stored.length % 500).toBe(0);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('meters CBOR requests (the Java SDK and KPL wire format) like JSON ones', async () => {
    const local = await startLocalKinesis({ limits: { writeRecordsPerSec: 10, burstMs: 1000 } });
    try {
      await local.createStream({ name: 'cbor', shardCount: 1 });
      const records = Array.from({ length: 15 }, (_, index) => ({ PartitionKey: `k${index}`, Data: Buffer.alloc(4) }));
      const response = await fetch(local.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-cbor-1.1',
          'x-amz-target': 'Kinesis_20131202.PutRecords',
          'x-amz-date': '20260101T000000Z',
          authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=0',
        },
        body: cbor.Encoder.encodeOne({ StreamName: 'cbor', Records: records }),
      });
      expect(response.headers.get('content-type')).toBe('application/x-amz-cbor-1.1');
      const answer = cbor.Decoder.decodeFirstSync(Buffer.from(await response.arrayBuffer())) as {
        FailedRecordCount: number;
        Records: { ErrorCode?: string }[];
      };
      // A 10-record bucket: the first 10 pass, the other 5 are throttled per entry.
      expect(answer.FailedRecordCount).toBe(5);
      expect(answer.Records.map((entry) => entry.ErrorCode ?? 'ok')).toEqual([
        ...Array<string>(10).fill('ok'),
        ...Array<string>(5).fill('ProvisionedThroughputExceededException'),
      ]);
    } finally {
      await local.stop();
    }
  });

  it('accepts a 9 MB PutRecords (12 MB as JSON), which kinesalite alone refuses over 7 MiB', async () => {
    const local = await startLocalKinesis({ limits: 'off' });
    try {
      await local.createStream({ name: 'large', shardCount: 1 });
      const records = Array.from({ length: 9 }, (_, index) => ({ PartitionKey: `k${index}`, Data: new Uint8Array(1_000_000) }));
      const answer = await local.client().send(new PutRecordsCommand({ StreamName: 'large', Records: records }));
      expect(answer.FailedRecordCount).toBe(0);
      expect(answer.Records?.every((entry) => entry.SequenceNumber !== undefined)).toBe(true);
      expect(local.stats().streams['large']?.totals.acceptedBytes).toBe(9 * 1_000_002);
    } finally {
      await local.stop();
    }
  });

  it('validates options before opening anything', async () => {
    await expect(startLocalKinesis({ faults: { dropConnectionRate: 2 } })).rejects.toThrow(InvalidOptionError);
  });
});

/**
 * Keyless records spread evenly: 200,000 records without a partition key through the real producer
 * onto an 8-shard local stream land within ±5% of the mean per shard, by the producer's results
 * and by what is read back.
 *
 * Why ±5% holds: a sticky run fills one aggregate (16 KiB here ≈ 585 records of 20 bytes, as
 * the partitioner counts data + 8), so 200,000 records make ≈ 340 runs, ≈ 43 per shard; the smooth
 * weighted round-robin keeps each shard within about one run of its share, 585 / 25,000 ≈ 2.3% of
 * the mean. Small records and 16 KiB aggregates keep the bytes the in-process server must store
 * (≈ 6 MB) small; the spreading rule is the same at any size.
 * The server runs with `limits: 'off'` so the test takes seconds; the producer keeps its default
 * pacing (`rateControl: 'adaptive'`), whose token buckets feed the shard choice — the path users get.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, type PutOutcome, type UserRecord } from '@shardline/producer';
import { seededRandom, tagOf, taggedData, userRecordsOf } from '../helpers/records.js';
import { countPerShard, maxDeviationFromMean, shardRanges } from './stream-layout.js';

const RECORDS = 200_000;
const SHARDS = 8;
const CHUNK = 5_000;
const DATA_BYTES = 20;
const AGGREGATE_BYTES = 16 * 1024;
const MAX_CHUNKS_IN_FLIGHT = 4;

let local: LocalKinesis;

beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'off' });
});
afterAll(async () => {
  await local.stop();
});

describe('keyless records spread evenly over an 8-shard stream', () => {
  it('200,000 records land within ±5% of the mean per shard', async () => {
    const stream = 'keyless-even';
    await local.createStream({ name: stream, shardCount: SHARDS });
    const client = local.client();
    const random = seededRandom(11);
    // Expiry and request timeouts are not under test; on two shared cores the in-process server
    // can stall for seconds, which must not turn into rejected records here.
    const producer = createProducer({
      streamName: stream,
      client,
      lingerMs: 20,
      random,
      aggregation: { maxBytes: AGGREGATE_BYTES },
      recordTtlMs: Infinity,
      requestTimeoutMs: 60_000,
    });

    const shardOf: string[] = [];
    const inFlight: Promise<PutOutcome[]>[] = [];
    const collect = async (): Promise<void> => {
      for (const outcome of (await inFlight.shift()) ?? []) {
        if (outcome.status === 'rejected') throw outcome.reason;
        shardOf.push(outcome.value.shardId);
      }
    };
    for (let first = 0; first < RECORDS; first += CHUNK) {
      const chunk: UserRecord[] = [];
      for (let id = first; id < first + CHUNK; id++) chunk.push({ data: taggedData(id, DATA_BYTES) });
      inFlight.push(producer.putMany(chunk));
      if (inFlight.length >= MAX_CHUNKS_IN_FLIGHT) await collect();
    }
    while (inFlight.length > 0) await collect();
    await producer.close();

    const ranges = await shardRanges(client, stream);
    const fromResults = countPerShard(ranges, shardOf);
    const users = userRecordsOf(await readAllRecords(client, stream));
    expect(users).toHaveLength(RECORDS);
    const fromReadBack = countPerShard(ranges, users.map((u) => u.shardId));
    for (const u of users) expect(u.shardId).toBe(shardOf[tagOf(u.data)]);

    console.log(`keyless: per-shard records ${fromResults.join(', ')}; max deviation ${(maxDeviationFromMean(fromResults) * 100).toFixed(2)}%`);
    expect(fromReadBack).toEqual(fromResults);
    expect(maxDeviationFromMean(fromResults)).toBeLessThanOrEqual(0.05);
    expect(producer.metrics().userRecordsPerKinesisRecord).toBeGreaterThan(100);
  }, 180_000);
});

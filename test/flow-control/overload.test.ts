/**
 * Overload: a 2-shard stream fed at 3× what it can take for 6 s. The producer must settle at the
 * limit (not above it, so throttles stay rare), lose nothing and keep its memory bounded by
 * waiting in `put`.
 *
 * Scale: the shards are 1/16-size AWS shards (64 KiB/s and 62.5 records/s, the server's 1 s
 * burst kept) and the producer is told so (`shardBytesPerSec`, `shardRecordsPerSec`, as for a
 * stream shared with another producer). Two full-size shards need ~19,000 user records/s of 100 bytes,
 * which a 2-core machine shared with kinesalite and other test files cannot always generate,
 * and then the test would measure the CPU, not flow control. Every rule of the flow control is in
 * milliseconds of traffic or fractions of the limit, so the scale does not change what is tested,
 * except that one 51,200-byte aggregate is a larger share of a small shard's second (0.78 s here,
 * 0.05 s on AWS): coarser steps, which makes staying under the limit harder, not easier. The
 * benchmark (packages/producer/bench/flow-control.bench.ts) runs full-size AWS limits.
 *
 * How the burst allowances are accounted for: local-kinesis lets each shard save up 1 s of its
 * rate and the producer's buckets hold `shardBurstMs` = 500 ms. In the first second both bursts
 * are spent (the producer sends up to 1.5 s worth of traffic in its first second), so throughput
 * is measured only from t = 1 s to the end of the feed, from the server's own accepted counters.
 * In that window the producer can send at most its rate plus what its bucket still held at 1 s
 * (≈ 0 under overload), so the expected figure is the limit itself: 2 × 64 KiB/s = 131,072 B/s
 * with aggregation (the byte limit binds), or 2 × 62.5 = 125 records/s without (the record limit
 * binds: 100-byte records are only ~13 KB/s).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllRecords, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, ShardlineError } from '@shardline/producer';
import { seededRandom, userRecordsOf } from '../helpers/records.js';
import { checkReadBack, cheapTaggedData, feed, streamTotals } from './harness.js';

const KiB = 1024;
const SHARDS = 2;
const SHARD_BYTES_PER_SEC = 64 * KiB;
const SHARD_RECORDS_PER_SEC = 62.5;
const FEED_MS = 6_000;
const WINDOW_START_MS = 1_000;

let local: LocalKinesis;
beforeAll(async () => {
  local = await startLocalKinesis({ limits: { writeBytesPerSec: SHARD_BYTES_PER_SEC, writeRecordsPerSec: SHARD_RECORDS_PER_SEC } });
});
afterAll(async () => {
  await local.stop();
});

describe('producer under 3× overload (2 sixteenth-size shards)', () => {
  it.each([
    // ~110 B per aggregated user record (100 B data, ~6 B key, ~5 B framing): 128 KiB/s ≈ 1,200 records/s.
    // The buffers hold 4 s of traffic at the limit: room for requests that take seconds on a busy
    // machine (the buffer counts records in flight too) while the rest wait for tokens.
    { name: 'aggregation on', aggregation: true, offeredPerSec: 3 * 1_200, maxBufferedRecords: 5_000, limit: SHARDS * SHARD_BYTES_PER_SEC, unit: 'bytes' as const },
    { name: 'aggregation off', aggregation: false, offeredPerSec: 3 * 125, maxBufferedRecords: 500, limit: SHARDS * SHARD_RECORDS_PER_SEC, unit: 'records' as const },
  ])('$name: accepted throughput at the limit, throttles rare, nothing lost', async ({ aggregation, offeredPerSec, maxBufferedRecords, limit, unit }) => {
    const stream = `overload-${aggregation ? 'agg' : 'raw'}`;
    await local.createStream({ name: stream, shardCount: SHARDS });
    const random = seededRandom(aggregation ? 11 : 12);
    const producer = createProducer({
      streamName: stream,
      client: local.client(),
      aggregation,
      maxBufferedRecords,
      shardBytesPerSec: SHARD_BYTES_PER_SEC,
      shardRecordsPerSec: SHARD_RECORDS_PER_SEC,
      random,
    });
    await producer.ready;

    const samples: { atMs: number; accepted: number }[] = [];
    let peakBufferedRecords = 0;
    const start = performance.now();
    const sample = () => {
      const t = streamTotals(local, stream);
      samples.push({ atMs: performance.now() - start, accepted: unit === 'bytes' ? t.acceptedBytes : t.acceptedRecords });
      peakBufferedRecords = Math.max(peakBufferedRecords, producer.metrics().bufferedRecords);
    };
    const sampler = setInterval(sample, 50);
    const fed = await feed({
      producer,
      ratePerSec: offeredPerSec,
      durationMs: FEED_MS,
      // 1.1× the producer's own buffer: some puts wait inside `put` for room.
      maxOutstanding: 1.1 * maxBufferedRecords,
      makeRecord: (id) => ({ data: cheapTaggedData(id, 100), partitionKey: `k${Math.floor(random() * 4_000)}` }),
    });
    clearInterval(sampler);
    sample();
    const from = samples.find((s) => s.atMs >= WINDOW_START_MS)!;
    const feedEnd = samples.filter((s) => s.atMs <= FEED_MS).at(-1)!;
    const rate = ((feedEnd.accepted - from.accepted) * 1000) / (feedEnd.atMs - from.atMs);
    await producer.close();

    // Accepted throughput at the limit once the bursts are spent. The bound is 0.9, not the 0.95
    // the benchmark checks over 60 s: in a 5 s window a stall of the whole process (GC, other
    // test files on 2 cores, kinesalite in the same event loop) of ~200 ms costs 5% by itself.
    // There is no upper bound on this figure: the window can honestly exceed the limit by the
    // tokens saved before it (the producer's 500 ms burst if it stalled early, one Kinesis record
    // of overdraft, requests sent before t = 1 s that the busy server stores after it). Over-driving
    // is checked where it shows, as throttled records.
    expect(rate / limit).toBeGreaterThan(0.9);
    // It really was an overload (the producer's buffer filled up), and memory stayed bounded.
    expect(peakBufferedRecords).toBeGreaterThan(0.9 * maxBufferedRecords);
    expect(peakBufferedRecords).toBeLessThanOrEqual(maxBufferedRecords);

    // Throttled Kinesis records: a small fraction of those sent (server counters).
    const totals = streamTotals(local, stream);
    const throttleRate = totals.throttledRecords / (totals.acceptedRecords + totals.throttledRecords);
    expect(throttleRate).toBeLessThan(0.05);

    // Every record settled once: resolved, or rejected with a typed error.
    expect(fed.results.size + fed.errors.size).toBe(fed.count);
    for (const error of fed.errors.values()) expect(error).toBeInstanceOf(ShardlineError);
    const metrics = producer.metrics();
    expect(metrics.userRecordsPut).toBe(fed.results.size);
    expect(metrics.errorsByCode['DoubleSettle']).toBeUndefined();

    // Read back: every resolved record exactly once, where its result says; no rejected one written.
    const report = checkReadBack(userRecordsOf(await readAllRecords(local.client(), stream)), fed);
    expect(report.missing).toEqual([]);
    expect([...report.duplicates.keys()]).toEqual([]);
    expect(report.misplaced).toEqual([]);
    expect(report.writtenButRejected).toEqual([]);
  }, 60_000);
});

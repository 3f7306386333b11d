/**
 * Hot keys through the real producer onto a local stream: under zipfian keys (s = 0.99 over
 * 100,000 keys) `metrics().hotKeys` must name the generator's heaviest keys, and a key that alone
 * needs more than a shard must raise the `'hot-key'` event with the salting advice.
 *
 * Why top-10 overlap ≥ 8 (and not top-5 set equality): the monitor counts one record in 16, so
 * 300,000 records give it ~18,750 samples, and a key's estimate (16 × its samples) is off by about
 * 4√n for a key put n times. Ranks 5 and 6 (≈ 4,770 and 3,980 records) are only 2.1 σ apart, so
 * set equality of the top 5 would fail for about one seed in 50. For the top 10 to share fewer than
 * 8 keys, a key of rank ≤ 8 (≈ 3,000 records) must fall below three keys of rank ≥ 11 (≤ 2,190);
 * rank 8 against rank 11 alone is (2,996 − 2,186) / (4√5,182) ≈ 2.8 σ, and three such at once is far
 * rarer. The hottest key is ≈ 23,500 records against ≈ 11,800 for the next: it must come first.
 *
 * The hot-key event needs a key over a shard's 1 MiB/s for two check windows (1 s each) of the
 * producer's clock, which is injected and advanced by the test: 2,000 records/s of ~1,010 bytes,
 * three in four for one key, make that key ≈ 1,500 records/s ≈ 1.5 MB/s, 1.44× a shard, while each
 * of the 50 other keys makes ≈ 10 records/s. A zipfian key would need ~27 MB of writes to get there
 * (7.8% of the traffic over 1 MiB/s for 2 s), too much for the in-process server in a unit of seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, type ProducerEvents, type PutOutcome, type UserRecord } from '@shardline/producer';
import { seededRandom } from '../helpers/records.js';
import { createZipfKeys } from './zipf-keys.js';

const ZIPF_RECORDS = 300_000;
const ZIPF_KEYS = 100_000;
const CHUNK = 10_000;

let local: LocalKinesis;

beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'off' });
});
afterAll(async () => {
  await local.stop();
});

function expectAllWritten(outcomes: readonly PutOutcome[]): void {
  const rejected = outcomes.find((o) => o.status === 'rejected');
  if (rejected?.status === 'rejected') throw rejected.reason;
}

describe('hot keys', () => {
  it('metrics().hotKeys names the heaviest of 100,000 zipfian keys (s = 0.99)', async () => {
    await local.createStream({ name: 'hot-keys-zipf', shardCount: 4 });
    const random = seededRandom(31);
    const zipf = createZipfKeys(ZIPF_KEYS, 0.99, random);
    const producer = createProducer({
      streamName: 'hot-keys-zipf',
      client: local.client(),
      random,
      recordTtlMs: Infinity,
      requestTimeoutMs: 60_000,
      maxBufferedRecords: ZIPF_RECORDS,
    });
    const trueCounts = new Map<string, number>();
    const data = new Uint8Array(10);
    const pending: Promise<PutOutcome[]>[] = [];
    for (let first = 0; first < ZIPF_RECORDS; first += CHUNK) {
      const chunk: UserRecord[] = [];
      for (let i = 0; i < CHUNK; i++) {
        const partitionKey = zipf.keyOf(zipf.draw());
        trueCounts.set(partitionKey, (trueCounts.get(partitionKey) ?? 0) + 1);
        chunk.push({ partitionKey, data });
      }
      pending.push(producer.putMany(chunk));
    }
    expectAllWritten((await Promise.all(pending)).flat());
    await producer.close();

    const heaviest = [...trueCounts.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key);
    const reported = producer.metrics().hotKeys;
    console.log(`hot keys reported: ${reported.map((k) => `${k.key}: ${k.count} (true ${trueCounts.get(k.key) ?? 0})`).join('; ')}`);
    expect(reported).toHaveLength(10);
    const top10 = new Set(heaviest.slice(0, 10));
    expect(reported.filter((k) => top10.has(k.key)).length).toBeGreaterThanOrEqual(8);
    expect(reported[0]?.key).toBe(heaviest[0]);
    // 16 × samples of ~23,500 records: σ ≈ 4√23,500 ≈ 610, so 10% (≈ 3.8 σ) is a safe bound.
    expect(Math.abs((reported[0]?.count ?? 0) / (trueCounts.get(heaviest[0] as string) ?? 1) - 1)).toBeLessThan(0.1);
  }, 120_000);

  it("a key over one shard's limit raises 'hot-key' with the salting advice, and only that key", async () => {
    await local.createStream({ name: 'hot-keys-event', shardCount: 4 });
    const random = seededRandom(32);
    let clockMs = 1_700_000_000_000;
    const producer = createProducer({
      streamName: 'hot-keys-event',
      client: local.client(),
      now: () => clockMs,
      random,
      rateControl: 'off',
      recordTtlMs: Infinity,
      requestTimeoutMs: 60_000,
    });
    const events: ProducerEvents['hot-key'][] = [];
    producer.on('hot-key', (event) => void events.push(event));
    const data = new Uint8Array(1_000);
    const pending: Promise<PutOutcome[]>[] = [];
    // 2 records per ms for 2.5 s. Keys are drawn at random, not in a fixed pattern, because the
    // monitor samples every 16th record: a period dividing 16 could hide a key from it entirely.
    for (let ms = 0; ms < 2_500; ms++) {
      const chunk = [0, 1].map(() => ({ data, partitionKey: random() < 0.75 ? 'hot-device' : `device-${Math.floor(random() * 50)}` }));
      pending.push(producer.putMany(chunk));
      clockMs += 1;
    }
    // The clock stands still from here on, so lingering records would wait for ever: close()
    // flushes them out.
    const closing = producer.close();
    expectAllWritten((await Promise.all(pending)).flat());
    await closing;

    console.log(`hot-key events: ${events.map((e) => `${e.partitionKey} ${Math.round(e.bytesPerSec)} B/s`).join('; ')}`);
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.partitionKey))).toEqual(new Set(['hot-device']));
    const event = events[0] as ProducerEvents['hot-key'];
    expect(event.bytesPerSec).toBeGreaterThan(1024 * 1024);
    expect(event.bytesPerSec).toBeLessThan(2 * 1024 * 1024);
    expect(event.message).toContain('no key hashing can spread it');
    expect(event.message).toContain('Salt the key: append a suffix 0..1 (e.g. "hot-device#1") to spread it over 2 keys');
  }, 60_000);
});

/**
 * Hot keys through the real producer: zipfian keys (s = 0.99 over 100,000 keys) put to a local
 * stream; `metrics().hotKeys` must name the generator's heaviest keys, and the one key that alone
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
 * Time: the producer's clock is injected and advanced 1 ms per 100 puts, i.e. the records arrive
 * at 100,000/s over 3 s (the server runs without limits, so only the producer's view of time
 * matters). The hottest key then makes 7.8% × 100,000 ≈ 7,800 records/s × ~209 bytes ≈ 1.6 MB/s,
 * over the 1 MiB/s a shard takes; the second makes ≈ 0.8 MB/s, which fits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';
import { createProducer, type ProducerEvents, type UserRecord } from '@shardline/producer';
import { seededRandom } from '../helpers/records.js';
import { createZipfKeys } from './zipf-keys.js';

const RECORDS = 300_000;
const KEYS = 100_000;
const PUTS_PER_MS = 100;
const DATA_BYTES = 200;

let local: LocalKinesis;

beforeAll(async () => {
  local = await startLocalKinesis({ limits: 'off' });
});
afterAll(async () => {
  await local.stop();
});

describe('hot keys under zipfian load (s = 0.99, 100,000 keys)', () => {
  it('reports the heaviest keys and raises the hot-key event for the key no shard can take', async () => {
    await local.createStream({ name: 'hot-keys', shardCount: 4 });
    const random = seededRandom(31);
    const zipf = createZipfKeys(KEYS, 0.99, random);
    let clockMs = 1_700_000_000_000;
    const producer = createProducer({
      streamName: 'hot-keys',
      client: local.client(),
      now: () => clockMs,
      random,
      rateControl: 'off',
      recordTtlMs: Infinity,
      requestTimeoutMs: 60_000,
      maxBufferedRecords: RECORDS,
      maxBufferedBytes: 256 * 1024 * 1024,
    });
    const events: ProducerEvents['hot-key'][] = [];
    producer.on('hot-key', (event) => void events.push(event));

    const trueCounts = new Map<string, number>();
    const data = new Uint8Array(DATA_BYTES);
    const pending = [];
    for (let first = 0; first < RECORDS; first += PUTS_PER_MS) {
      const chunk: UserRecord[] = [];
      for (let i = 0; i < PUTS_PER_MS; i++) {
        const partitionKey = zipf.keyOf(zipf.draw());
        trueCounts.set(partitionKey, (trueCounts.get(partitionKey) ?? 0) + 1);
        chunk.push({ partitionKey, data });
      }
      pending.push(producer.putMany(chunk));
      clockMs += 1;
    }
    // The clock stands still from here on, so lingering records would wait for ever: close()
    // flushes them out.
    const closing = producer.close();
    const outcomes = (await Promise.all(pending)).flat();
    await closing;
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(0);

    const heaviest = [...trueCounts.entries()].sort((a, b) => b[1] - a[1]).map(([key]) => key);
    const reported = producer.metrics().hotKeys;
    const line = (key: string, count?: number): string => `${key}: ${count ?? '-'} (true ${trueCounts.get(key) ?? 0})`;
    console.log(`hot keys reported: ${reported.map((k) => line(k.key, k.count)).join('; ')}`);
    console.log(`hot-key events: ${events.map((e) => `${e.partitionKey} ${Math.round(e.bytesPerSec)} B/s`).join('; ')}`);

    expect(reported).toHaveLength(10);
    const top10 = new Set(heaviest.slice(0, 10));
    expect(reported.filter((k) => top10.has(k.key)).length).toBeGreaterThanOrEqual(8);
    expect(reported[0]?.key).toBe(heaviest[0]);
    // 16 × samples of ~23,500 records: σ ≈ 4√23,500 ≈ 610, so 10% (≈ 3.8 σ) is a safe bound.
    expect(Math.abs((reported[0]?.count ?? 0) / (trueCounts.get(heaviest[0] as string) ?? 1) - 1)).toBeLessThan(0.1);

    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e) => e.partitionKey))).toEqual(new Set([heaviest[0]]));
    const event = events[0] as ProducerEvents['hot-key'];
    expect(event.bytesPerSec).toBeGreaterThan(1024 * 1024);
    expect(event.message).toContain('no key hashing can spread it');
    expect(event.message).toMatch(/Salt the key: append a suffix 0\.\.\d+/);
  }, 120_000);
});

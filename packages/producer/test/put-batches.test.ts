/**
 * `put` calls of one turn share a batch (promise-batches.ts): end to end through a producer with
 * an instant one-shard client, every promise still settles with its own record's outcome, and
 * flush accounting holds when a listener flushes in the middle of a put.
 */
import { describe, expect, it } from 'vitest';
import { BufferFullError, createProducer, type PutResult } from '../src/index.js';
import { oneShardClient, ONE_SHARD_ID } from './one-shard-stream.js';

/** An SDK client that writes every entry at once, numbering them. */
function instantClient() {
  let seq = 0;
  return oneShardClient((entries) => entries.map(() => ({ ShardId: ONE_SHARD_ID, SequenceNumber: String(seq++) })), { sdk: true });
}

describe('put calls sharing a batch', () => {
  it('settles each promise with its own outcome: a full buffer refuses only the records it refuses', async () => {
    const producer = createProducer({ streamName: 's', client: instantClient(), lingerMs: 1_000, maxBufferedRecords: 5, onBufferFull: 'reject' });
    await producer.ready;
    const records = Array.from({ length: 8 }, (_, i) => ({ data: `r${i}`, partitionKey: `k${i}` }));
    // One synchronous turn: all eight share batches.
    const outcomes = await Promise.allSettled([...records.map((r) => producer.put(r)), producer.flush()]);
    const puts = outcomes.slice(0, 8);
    expect(puts.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    const results = puts.slice(0, 5).map((o) => (o as PromiseFulfilledResult<PutResult>).value);
    // One aggregate of the five: each promise got its own position in it.
    expect(results.map((r) => r.subSequenceNumber)).toEqual([0, 1, 2, 3, 4]);
    for (const [i, o] of puts.slice(5).entries()) {
      const reason = (o as PromiseRejectedResult).reason as BufferFullError;
      expect(reason).toBeInstanceOf(BufferFullError);
      expect(reason.record).toEqual(records[5 + i]);
    }
    await producer.close();
  });

  it("counts a record in its batch's flush generation when a 'hot-key' listener flushes during its put", async () => {
    let nowMs = 1_000_000;
    const producer = createProducer({ streamName: 's', client: instantClient(), lingerMs: 0, rateControl: 'off', now: () => nowMs });
    await producer.ready;
    const flushes: Promise<void>[] = [];
    producer.on('hot-key', () => void flushes.push(producer.flush()));
    const data = Buffer.alloc(10_000, 1);
    const puts: Promise<PutResult>[] = [];
    // One key at ~3.4 MB/s over two 1-second check windows: past a shard's 1 MiB/s.
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 336; i++) puts.push(producer.put({ data, partitionKey: 'hot' }));
      nowMs += 1_000;
    }
    puts.push(producer.put({ data, partitionKey: 'hot' }));
    expect(flushes.length).toBeGreaterThan(0);
    await Promise.all(puts);
    await Promise.all(flushes);
    // With the triggering record counted in the wrong generation, this flush never resolved.
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise((resolve) => (timer = setTimeout(resolve, 2_000, 'hung')));
    const last = await Promise.race([producer.flush().then(() => 'flushed'), hung]);
    clearTimeout(timer);
    expect(last).toBe('flushed');
    await producer.close();
  });
});

import { describe, expect, it } from 'vitest';
import { Accumulator } from '../src/accumulator.js';
import { deaggregate } from '../src/aggregation/index.js';
import type { KinesisEntry, PendingRecord } from '../src/pending.js';

function pending(id: number, dataBytes: number, partitionKey = `key-${id}`): PendingRecord {
  return {
    user: { data: '', partitionKey },
    data: new Uint8Array(dataBytes).fill(id % 256),
    partitionKey,
    explicitHashKey: undefined,
    hashKey: BigInt(id),
    partitionKeyBytes: partitionKey.length,
    keySlot: undefined,
    batch: { settle: () => undefined, putAtMs: 1_000 + id, deadlineMs: 31_000 + id, epoch: 0 },
    priorAttempts: undefined,
    index: id,
    settled: false,
  };
}

function drain(acc: Accumulator, shardId: string) {
  const buffer = acc.buffer(shardId);
  const out: KinesisEntry[] = [];
  if (buffer === undefined) return out;
  for (let e = acc.shift(buffer); e !== undefined; e = acc.shift(buffer)) out.push(e);
  return out;
}

describe('Accumulator', () => {
  it('fills an aggregate up to maxAggregateBytes exactly, then seals and starts the next', () => {
    const acc = new Accumulator({ aggregation: true, maxAggregateBytes: 1_000, maxRecords: Infinity });
    for (let i = 0; i < 30; i++) acc.add(pending(i, 100), 'shard-0', 1);
    const buffer = acc.buffer('shard-0');
    if (buffer === undefined) throw new Error('no buffer');
    acc.seal(buffer);
    const entries = drain(acc, 'shard-0');
    expect(entries.length).toBeGreaterThan(3);
    let seen = 0;
    for (const e of entries) {
      expect(e.data.length).toBeLessThanOrEqual(1_000);
      expect(e.aggregated).toBe(e.records.length > 1);
      const users = deaggregate({ Data: e.data, PartitionKey: e.partitionKey, SequenceNumber: '1' });
      expect(users.map((u) => u.partitionKey)).toEqual(e.records.map((r) => r.partitionKey));
      // routed by the first record's own hash key, with a varied outer key
      if (e.aggregated) {
        expect(e.explicitHashKey).toBe(e.records[0]?.hashKey.toString());
        expect(e.partitionKey).toBe(e.records[0]?.partitionKey);
      }
      seen += e.records.length;
    }
    expect(seen).toBe(30);
    expect(acc.sealedCount).toBe(0);
    expect(acc.sealedBytes).toBe(0);
  });

  it('sends a lone record raw, with its own keys', () => {
    const acc = new Accumulator({ aggregation: true, maxAggregateBytes: 51_200, maxRecords: Infinity });
    acc.add(pending(7, 50), 's', 1);
    acc.seal(acc.buffer('s')!);
    const [entry] = drain(acc, 's');
    expect(entry?.aggregated).toBe(false);
    expect(entry?.partitionKey).toBe('key-7');
    expect(entry?.explicitHashKey).toBeUndefined();
    expect(entry?.bytes).toBe(50 + 'key-7'.length);
  });

  it('sends a record too large to share an aggregate raw, keeping order', () => {
    const acc = new Accumulator({ aggregation: true, maxAggregateBytes: 1_000, maxRecords: Infinity });
    acc.add(pending(1, 100), 's', 1);
    acc.add(pending(2, 100), 's', 1);
    acc.add(pending(3, 5_000), 's', 1);
    acc.add(pending(4, 100), 's', 1);
    acc.seal(acc.buffer('s')!);
    const entries = drain(acc, 's');
    expect(entries.map((e) => e.records.map((r) => r.index))).toEqual([[1, 2], [3], [4]]);
  });

  it('caps aggregates by record count', () => {
    const acc = new Accumulator({ aggregation: true, maxAggregateBytes: 1_000_000, maxRecords: 4 });
    for (let i = 0; i < 10; i++) acc.add(pending(i, 10), 's', 1);
    acc.seal(acc.buffer('s')!);
    expect(drain(acc, 's').map((e) => e.records.length)).toEqual([4, 4, 2]);
  });

  it('without aggregation, every record is its own entry', () => {
    const acc = new Accumulator({ aggregation: false, maxAggregateBytes: 51_200, maxRecords: Infinity });
    for (let i = 0; i < 5; i++) acc.add(pending(i, 10), 's', 1);
    expect(acc.sealedCount).toBe(5);
    expect(drain(acc, 's').every((e) => !e.aggregated)).toBe(true);
  });

  it('puts retries back at the front and evicts everything, attempts carried over, for re-routing', () => {
    const acc = new Accumulator({ aggregation: false, maxAggregateBytes: 51_200, maxRecords: Infinity });
    for (let i = 0; i < 3; i++) acc.add(pending(i, 10), 's', 1);
    const first = acc.shift(acc.buffer('s')!)!;
    first.attempts.push({ startedAt: 1, durationMs: 2, errorCode: 'InternalFailure' });
    acc.unshift(first);
    acc.add(pending(3, 10), 's', 1);
    const records = acc.evict('s');
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(records[0]?.priorAttempts).toEqual([{ startedAt: 1, durationMs: 2, errorCode: 'InternalFailure' }]);
    expect(acc.sealedCount).toBe(0);
    expect(acc.buffer('s')).toBeUndefined();
  });
});

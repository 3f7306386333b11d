import { describe, expect, it } from 'vitest';
import { Accumulator } from '../src/accumulator.js';
import { deaggregate } from '../src/aggregation/index.js';
import type { KinesisEntry } from '../src/pending.js';
import { pendingRecord as pending } from './pending-record.js';

const indexesOf = (e: KinesisEntry) => Array.from({ length: e.run.count }, (_, i) => e.run.indexAt(i));

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
      expect(e.aggregated).toBe(e.run.count > 1);
      const users = deaggregate({ Data: e.data, PartitionKey: e.partitionKey, SequenceNumber: '1' });
      const indexes = indexesOf(e);
      expect(users.map((u) => u.partitionKey)).toEqual(indexes.map((i) => `key-${i}`));
      expect(Array.from({ length: e.run.count }, (_, i) => e.run.userAt(i).partitionKey)).toEqual(indexes.map((i) => `key-${i}`));
      // routed by the first record's own hash key, with a varied outer key
      if (e.aggregated) {
        expect(e.explicitHashKey).toBe(String(indexes[0]));
        expect(e.partitionKey).toBe(`key-${indexes[0]}`);
      }
      expect(e.bytes).toBe(e.data.length + e.partitionKey.length);
      seen += e.run.count;
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
    expect(entries.map(indexesOf)).toEqual([[1, 2], [3], [4]]);
  });

  it('caps aggregates by record count', () => {
    const acc = new Accumulator({ aggregation: true, maxAggregateBytes: 1_000_000, maxRecords: 4 });
    for (let i = 0; i < 10; i++) acc.add(pending(i, 10), 's', 1);
    acc.seal(acc.buffer('s')!);
    expect(drain(acc, 's').map((e) => e.run.count)).toEqual([4, 4, 2]);
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
    expect(records.map((r) => r.data.length)).toEqual([10, 10, 10, 10]);
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(records[0]?.priorAttempts).toEqual([{ startedAt: 1, durationMs: 2, errorCode: 'InternalFailure' }]);
    expect(records[1]?.priorAttempts).toBeUndefined();
    expect(records.map((r) => r.partitionKey)).toEqual(['key-0', 'key-1', 'key-2', 'key-3']);
    expect(first.run.settled).toBe(first.run.count);
    expect(acc.sealedCount).toBe(0);
    expect(acc.buffer('s')).toBeUndefined();
  });

  it('copies what it keeps: one record object reused for every add gives the same entries', () => {
    const reused = new Accumulator({ aggregation: true, maxAggregateBytes: 1_000, maxRecords: Infinity });
    const fresh = new Accumulator({ aggregation: true, maxAggregateBytes: 1_000, maxRecords: Infinity });
    const draft = pending(0, 1);
    for (let i = 0; i < 25; i++) {
      Object.assign(draft, pending(i, 40 + i));
      reused.add(draft, 's', 1);
      fresh.add(pending(i, 40 + i), 's', 1);
    }
    reused.seal(reused.buffer('s')!);
    fresh.seal(fresh.buffer('s')!);
    const shape = (e: KinesisEntry) => ({ data: [...e.data], key: e.partitionKey, ehk: e.explicitHashKey, bytes: e.bytes, indexes: indexesOf(e), buffered: e.run.bufferBytes });
    expect(drain(reused, 's').map(shape)).toEqual(drain(fresh, 's').map(shape));
  });

  it('keeps the keys a record was admitted with, even if the caller changes its record object later', () => {
    const acc = new Accumulator({ aggregation: true, maxAggregateBytes: 51_200, maxRecords: Infinity });
    const records = [pending(1, 10), pending(2, 10), { ...pending(3, 10), userExplicitHashKey: '42', explicitHashKey: '42', hashKey: 42n }];
    for (const r of records) acc.add(r, 's', 1);
    const held = acc.buffer('s')!.open.bufferBytes;
    for (const r of records) Object.assign(r.user, { partitionKey: 'changed-after-put', explicitHashKey: '7' });
    const open = acc.buffer('s')!.open;
    expect([0, 1, 2].map((i) => open.bufferBytesAt(i)).reduce((a, b) => a + b)).toBe(held);
    const taken = acc.evict('s');
    expect(taken.map((r) => [r.partitionKey, r.userKey, r.userExplicitHashKey, r.explicitHashKey, r.hashKey])).toEqual([
      ['key-1', 'key-1', undefined, undefined, 0n],
      ['key-2', 'key-2', undefined, undefined, 0n],
      ['key-3', 'key-3', '42', '42', 42n],
    ]);
  });
});

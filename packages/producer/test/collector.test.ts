import { describe, expect, it } from 'vitest';
import { Accumulator } from '../src/accumulator.js';
import { collectRequest, type CollectGate } from '../src/collector.js';
import type { KinesisEntry } from '../src/pending.js';
import { pendingRecord } from './pending-record.js';

const pending = (id: number, dataBytes?: number) => pendingRecord(id, dataBytes, `k${id}`);

/** Raw entries: `perShard[i]` records on shard `s<i>`, ids in put order. */
function fill(perShard: number[], dataBytes = 10): Accumulator {
  const acc = new Accumulator({ aggregation: false, maxAggregateBytes: 51_200, maxRecords: Infinity });
  let id = 0;
  perShard.forEach((n, s) => {
    for (let i = 0; i < n; i++) acc.add(pending(id++, dataBytes), `s${s}`, 1);
  });
  return acc;
}

const open: CollectGate = { delayMs: () => 0, take: () => undefined };
const limits = { maxRequestRecords: 500, maxRequestBytes: 5 * 1024 * 1024, perShard: false };
const ids = (entries: KinesisEntry[]) => entries.map((e) => e.run.indexAt(0));

describe('collectRequest', () => {
  it('takes every sendable entry, shard by shard, in queue order', () => {
    const { entries } = collectRequest(fill([2, 3]), open, limits, new Set(), 0, 0);
    expect(ids(entries)).toEqual([0, 1, 2, 3, 4]);
  });

  it('rotates the starting shard per call', () => {
    const { entries } = collectRequest(fill([2, 3]), open, limits, new Set(), 1, 0);
    expect(ids(entries)).toEqual([2, 3, 4, 0, 1]);
  });

  it.each([
    ['records', { ...limits, maxRequestRecords: 3 }, 10, [0, 1, 2]],
    ['bytes', { ...limits, maxRequestBytes: 2 * 12 }, 10, [0, 1]],
  ])('stops at the request %s cap', (_name, caps, dataBytes, expected) => {
    const { entries, waitMs } = collectRequest(fill([5], dataBytes), open, caps, new Set(), 0, 0);
    expect(ids(entries)).toEqual(expected);
    expect(waitMs).toBe(0);
  });

  it('sends an entry larger than the byte cap alone', () => {
    const { entries } = collectRequest(fill([2], 5_000), open, { ...limits, maxRequestBytes: 1_024 }, new Set(), 0, 0);
    expect(ids(entries)).toEqual([0]);
  });

  it('a shard without tokens waits alone and reports when it may send', () => {
    const gate: CollectGate = { delayMs: (shardId) => (shardId === 's0' ? 40 : 0), take: () => undefined };
    const { entries, waitMs } = collectRequest(fill([2, 2]), gate, limits, new Set(), 0, 0);
    expect(ids(entries)).toEqual([2, 3]);
    expect(waitMs).toBe(40);
  });

  it('an entry backing off blocks its shard until its time', () => {
    const acc = fill([2]);
    const buffer = acc.buffer('s0')!;
    acc.peek(buffer)!.notBeforeMs = 1_000;
    const early = collectRequest(acc, open, limits, new Set(), 0, 900);
    expect(early.entries).toEqual([]);
    expect(early.waitMs).toBe(100);
    expect(ids(collectRequest(acc, open, limits, new Set(), 0, 1_000).entries)).toEqual([0, 1]);
  });

  it('per-shard ordering: one entry per shard, none from a shard with a request in flight', () => {
    const perShard = { ...limits, perShard: true };
    expect(ids(collectRequest(fill([3, 3]), open, perShard, new Set(), 0, 0).entries)).toEqual([0, 3]);
    expect(ids(collectRequest(fill([3, 3]), open, perShard, new Set(['s0']), 0, 0).entries)).toEqual([3]);
  });

  it('takes tokens for exactly what it collects', () => {
    const taken: [string, number, number][] = [];
    const gate: CollectGate = { delayMs: () => 0, take: (s, r, b) => void taken.push([s, r, b]) };
    collectRequest(fill([1, 1]), gate, limits, new Set(), 0, 0);
    expect(taken).toEqual([['s0', 1, 12], ['s1', 1, 12]]);
  });
});

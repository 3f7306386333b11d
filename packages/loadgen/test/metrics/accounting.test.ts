import { describe, expect, it } from 'vitest';
import { Accounting } from '../../src/metrics/accounting.js';
import { SeqBitset } from '../../src/metrics/seq-bitset.js';

describe('SeqBitset', () => {
  it('adds, detects repeats and lists members missing from other sets across pages', () => {
    const a = new SeqBitset();
    const b = new SeqBitset();
    const seqs = [0, 1, 31, 32, 65_535, 65_536, 1_000_000, 5_000_001];
    for (const s of seqs) expect(a.add(s)).toBe(true);
    expect(a.add(31)).toBe(false);
    expect(a.size).toBe(seqs.length);
    b.add(32);
    b.add(1_000_000);
    const missing: number[] = [];
    a.forEachMissingFrom([b], (s) => missing.push(s));
    expect(missing).toEqual([0, 1, 31, 65_535, 65_536, 5_000_001]);
    expect(a.has(65_536)).toBe(true);
    expect(a.has(65_537)).toBe(false);
  });

  it('costs one bit per seq: 1 million consecutive seqs fit in 16 pages of 8 KiB', () => {
    const set = new SeqBitset();
    for (let s = 0; s < 1_000_000; s++) set.add(s);
    expect(set.footprintBytes).toBe(16 * 8192);
  });
});

describe('Accounting', () => {
  it('accounts lost, failed, duplicated, redelivered, out-of-order and unresolved records', () => {
    const a = new Accounting();
    for (let seq = 0; seq < 10; seq++) a.scheduled(seq, seq >= 2);
    for (const seq of [0, 1, 2, 3, 4, 5, 6]) a.acked(seq, seq >= 2);
    a.failed(7, true, 'ProvisionedThroughputExceededException', 'Rate exceeded for shard');
    a.failed(8, true, 'ProvisionedThroughputExceededException', 'second message');
    // seq 9: scheduled, never settled.
    expect(a.consumed(0, 'a', false)).toBe('first'); // warmup record, still accounted
    expect(a.consumed(2, 'a', false)).toBe('first');
    expect(a.consumed(1, 'a', false)).toBe('first'); // 1 after 2 on key a: out of order
    expect(a.consumed(2, 'a', false)).toBe('duplicate');
    expect(a.consumed(2, 'a', true)).toBe('redelivery');
    expect(a.consumed(3, 'b', false)).toBe('first');
    expect(a.consumed(8, 'b', false)).toBe('first'); // failed, yet in the stream
    a.foreignRecord();
    const r = a.report();
    expect(r).toEqual({
      scheduled: 10,
      sent: 7,
      acked: 7,
      failed: 2,
      consumed: 5,
      lost: 3,
      lostSeqsSample: [4, 5, 6],
      failedByReason: { ProvisionedThroughputExceededException: { count: 2, message: 'Rate exceeded for shard' } },
      duplicated: 1,
      redelivered: 1,
      outOfOrder: 1,
      consumedNotAcked: 1,
      failedButConsumed: 1,
      unresolved: 1,
      warmup: 2,
      foreign: 1,
    });
  });

  it('lists at most 20 lost seqs but counts them all', () => {
    const a = new Accounting();
    for (let seq = 0; seq < 100; seq++) a.acked(seq, true);
    const r = a.report();
    expect(r.lost).toBe(100);
    expect(r.lostSeqsSample).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps ordering per partition key, not across keys', () => {
    const a = new Accounting();
    for (const [seq, key] of [[5, 'x'], [1, 'y'], [6, 'x'], [2, 'y']] as const) a.consumed(seq, key, false);
    expect(a.report().outOfOrder).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { Accumulator } from '../src/accumulator.js';
import { createSettle } from '../src/settle.js';
import { RecordRun, createPutBatch, type KinesisEntry } from '../src/pending.js';
import { RunArraysPool, newRunArrays } from '../src/run-arrays.js';
import type { PutResult } from '../src/types.js';
import { pendingRecord } from './pending-record.js';

const batch = createPutBatch(() => undefined, 0, Infinity, 0);

const settle = createSettle({ onSettled: () => undefined, onReleased: () => undefined, onDoubleSettle: () => undefined, admitting: () => false });
const RESULT: PutResult = { shardId: 's', sequenceNumber: '1', attempts: [] };

describe('RunArraysPool', () => {
  it('hands a given-back set out again, cleared of every record, batch and payload it held', () => {
    const pool = new RunArraysPool(1_000);
    const arrays = newRunArrays(4);
    for (let i = 0; i < 3; i++) {
      const r = pendingRecord(i);
      arrays.users[i] = r.user;
      arrays.batches[i] = batch;
      arrays.indexes[i] = i;
      arrays.datas[i] = r.data;
      arrays.keys[i] = r.userKey;
    }
    pool.give(arrays, 3);
    expect(pool.freeSlots).toBe(4);
    const again = pool.take(8);
    expect(again).toBe(arrays);
    expect(pool.freeSlots).toBe(0);
    for (const list of [again.users, again.batches, again.datas, again.keys]) expect(list.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(pool.take(8).users.length).toBe(8); // empty pool: a new set of the asked size
  });

  it('keeps no more slots than its budget', () => {
    const pool = new RunArraysPool(10);
    pool.give(newRunArrays(6), 0);
    pool.give(newRunArrays(6), 0); // 12 > 10: left to the GC
    expect(pool.freeSlots).toBe(6);
  });
});

describe('RecordRun with a pool', () => {
  it('gives its arrays back only when every record has settled', () => {
    const pool = new RunArraysPool(1_000);
    const run = new RecordRun(4, pool);
    for (let i = 0; i < 4; i++) run.push(pendingRecord(i));
    run.recycle(); // nothing settled yet: kept
    expect(pool.freeSlots).toBe(0);
    expect(run.userAt(3)).toEqual({ data: '', partitionKey: 'key-3' });
    let calls = 0;
    expect(() =>
      settle.resolveRun(run, (i) => {
        if (i === 2) throw new Error('bug');
        calls++;
        return RESULT;
      }),
    ).toThrow('bug');
    run.recycle(); // two of four settled: kept
    expect(pool.freeSlots).toBe(0);
    settle.rejectRun(run, () => new Error('failed'));
    run.recycle();
    expect(pool.freeSlots).toBe(4);
    settle.rejectRun(run, () => new Error('late')); // a done run is not read again
    expect(calls).toBe(2);
  });

  it('gives its arrays back after its records were taken out for re-routing', () => {
    const pool = new RunArraysPool(1_000);
    const run = new RecordRun(3, pool);
    for (let i = 0; i < 3; i++) run.push(pendingRecord(i, 5 + i));
    const taken = run.take([]);
    run.recycle();
    expect(pool.freeSlots).toBe(3);
    expect(taken.map((r) => [r.index, r.data.length, r.userKey])).toEqual([[0, 5, 'key-0'], [1, 6, 'key-1'], [2, 7, 'key-2']]);
  });
});

describe('Accumulator with pooled run arrays', () => {
  const shape = (e: KinesisEntry | undefined) => e && ({
    data: [...e.data],
    bytes: e.bytes,
    users: Array.from({ length: e.run.count }, (_, i) => e.run.userAt(i)),
    indexes: Array.from({ length: e.run.count }, (_, i) => e.run.indexAt(i)),
    buffered: e.run.bufferBytes,
  });

  it('builds the same entries as fresh arrays do while sets go round, released as each entry settles', () => {
    const pooledAcc = new Accumulator({ aggregation: true, maxAggregateBytes: 400, maxRecords: Infinity, maxPooledRecords: 10_000 });
    const freshAcc = new Accumulator({ aggregation: true, maxAggregateBytes: 400, maxRecords: Infinity });
    let x = 11;
    for (let i = 0; i < 2_000; i++) {
      x = (x * 48271) % 2147483647;
      const record = pendingRecord(i, 1 + (x % 60));
      pooledAcc.add(record, 's', 1);
      freshAcc.add(pendingRecord(i, 1 + (x % 60)), 's', 1);
      if (x % 5 !== 0) continue;
      // Settle and release what is sealed so far, so later runs take the arrays of earlier ones.
      const pooled = pooledAcc.buffer('s')!;
      const fresh = freshAcc.buffer('s')!;
      for (let e = pooledAcc.shift(pooled), f = freshAcc.shift(fresh); e !== undefined || f !== undefined; e = pooledAcc.shift(pooled), f = freshAcc.shift(fresh)) {
        // One accumulator running out of entries before the other fails here.
        expect(shape(e)).toEqual(shape(f));
        if (e === undefined) break;
        settle.resolveRun(e.run, () => RESULT);
        pooledAcc.release(e);
      }
    }
  });
});

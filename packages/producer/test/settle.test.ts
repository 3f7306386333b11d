import { describe, expect, it } from 'vitest';
import { RecordRun, createPutBatch, type PendingRecord, type Settler } from '../src/pending.js';
import { RunArraysPool } from '../src/run-arrays.js';
import { createSettle } from '../src/settle.js';
import type { PutResult } from '../src/types.js';
import { pendingRecord } from './pending-record.js';

/** A 1-byte record under key 'k' at `index` of a batch of its own settled by `settle`. */
function pending(settle: Settler, index: number, putAtMs = index): PendingRecord {
  return { ...pendingRecord(index, 1, 'k'), batch: createPutBatch(settle, putAtMs, Infinity, 0) };
}

const RESULT: PutResult = { shardId: 'shardId-000000000000', sequenceNumber: '1', attempts: [] };

describe('settle', () => {
  it('settles once: a second settle is counted, not delivered', () => {
    const calls: number[] = [];
    let doubles = 0;
    const settle = createSettle({ onSettled: () => undefined, onReleased: () => undefined, onDoubleSettle: () => doubles++, admitting: () => false });
    const record = pending((_e, _r, i) => calls.push(i), 7);
    settle.resolve(record, RESULT);
    settle.reject(record, new Error('late'));
    expect(calls).toEqual([7]);
    expect(doubles).toBe(1);
  });

  it('a callback that throws still lets the record finish settling, and its error goes to onCallbackError', () => {
    const settledHooks: number[] = [];
    const thrown: unknown[] = [];
    const settle = createSettle({
      onSettled: (batch) => settledHooks.push(batch.putAtMs),
      onReleased: () => undefined,
      onDoubleSettle: () => undefined,
      admitting: () => false,
      onCallbackError: (error) => thrown.push(error),
    });
    const bug = new Error('handler bug');
    settle.resolve(
      pending(() => {
        throw bug;
      }, 1),
      RESULT,
    );
    settle.resolve(pending(() => undefined, 2), RESULT);
    expect(settledHooks).toEqual([1, 2]);
    expect(thrown).toEqual([bug]);
  });

  it('while a put call is admitting, the callback waits for a microtask', async () => {
    let admitting = true;
    const calls: number[] = [];
    const settle = createSettle({ onSettled: () => undefined, onReleased: () => undefined, onDoubleSettle: () => undefined, admitting: () => admitting });
    settle.reject(pending((_e, _r, i) => calls.push(i), 3), new Error('refused'));
    admitting = false;
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toEqual([3]);
  });

  it('settles the rest of a run in order, once, with one release of what the records held', () => {
    const calls: [number, string | undefined][] = [];
    const released: [number, number][] = [];
    const settle = createSettle({ onSettled: () => undefined, onReleased: (n, bytes) => void released.push([n, bytes]), onDoubleSettle: () => undefined, admitting: () => false });
    const run = new RecordRun(0, new RunArraysPool(0));
    const settler: Settler = (error, result, i) => void calls.push([i, error?.message ?? result?.sequenceNumber]);
    for (let i = 0; i < 4; i++) run.push({ ...pending(settler, 10 + i), data: new Uint8Array(i + 1) });
    expect(run.bufferBytes).toBe(1 + 2 + 3 + 4 + 4 * 'k'.length);
    settle.resolveRun(run, (i) => ({ ...RESULT, sequenceNumber: `seq-${i}` }));
    settle.rejectRun(run, () => new Error('late'));
    expect(calls).toEqual([[10, 'seq-0'], [11, 'seq-1'], [12, 'seq-2'], [13, 'seq-3']]);
    expect(released).toEqual([[4, 14]]);
    expect(run.settled).toBe(4);
  });

  it('a result that cannot be built leaves that record and the rest unsettled, and releases only what settled', () => {
    const calls: number[] = [];
    const released: [number, number][] = [];
    const settle = createSettle({ onSettled: () => undefined, onReleased: (n, bytes) => void released.push([n, bytes]), onDoubleSettle: () => undefined, admitting: () => false });
    const run = new RecordRun(2, new RunArraysPool(0));
    for (let i = 0; i < 3; i++) run.push({ ...pending((_e, _r, index) => void calls.push(index), i), data: new Uint8Array(10) });
    expect(() =>
      settle.resolveRun(run, (i) => {
        if (i === 1) throw new Error('bug');
        return RESULT;
      }),
    ).toThrow('bug');
    expect(run.settled).toBe(1);
    expect(released).toEqual([[1, 11]]);
    settle.rejectRun(run, () => new Error('failed'));
    expect(calls).toEqual([0, 1, 2]);
    expect(released).toEqual([[1, 11], [2, 22]]);
  });
});

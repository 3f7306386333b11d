import { describe, expect, it } from 'vitest';
import type { PendingRecord, Settler } from '../src/pending.js';
import { createSettle } from '../src/settle.js';
import type { PutResult } from '../src/types.js';

function pending(settle: Settler, index: number): PendingRecord {
  return {
    user: { data: 'x', partitionKey: 'k' },
    data: new Uint8Array(1),
    partitionKey: 'k',
    explicitHashKey: undefined,
    hashKey: 0n,
    partitionKeyBytes: 1,
    keySlot: undefined,
    batch: { settle, putAtMs: 0, deadlineMs: Infinity, epoch: 0 },
    index,
    priorAttempts: undefined,
    settled: false,
  };
}

const RESULT: PutResult = { shardId: 'shardId-000000000000', sequenceNumber: '1', attempts: [] };

describe('settle', () => {
  it('settles once: a second settle is counted, not delivered', () => {
    const calls: number[] = [];
    let doubles = 0;
    const settle = createSettle({ onSettled: () => undefined, onDoubleSettle: () => doubles++, admitting: () => false });
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
      onSettled: (r) => settledHooks.push(r.index),
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
    const settle = createSettle({ onSettled: () => undefined, onDoubleSettle: () => undefined, admitting: () => admitting });
    settle.reject(pending((_e, _r, i) => calls.push(i), 3), new Error('refused'));
    admitting = false;
    expect(calls).toEqual([]);
    await Promise.resolve();
    expect(calls).toEqual([3]);
  });
});

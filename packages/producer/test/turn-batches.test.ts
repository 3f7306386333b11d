/**
 * The turn-sharing rules (turn-batches.ts), checked through both put forms that use them:
 * `putWithCallback`'s CallbackBatches and `put`'s PromiseBatches.
 */
import { describe, expect, it } from 'vitest';
import { CallbackBatches } from '../src/callback-batches.js';
import type { PutBatch } from '../src/pending.js';
import { PromiseBatches } from '../src/promise-batches.js';
import type { TurnBatchesOptions } from '../src/turn-batches.js';
import { fakeTurns } from './fake-turns.js';

/** A put form: makes its batch sharer, and asks it for the batch of one more record. */
interface Form {
  make(options: TurnBatchesOptions): { batchFor(epoch: number): PutBatch };
}

const callback = () => undefined;
const forms: [string, Form][] = [
  ['CallbackBatches', { make: (o) => ((b) => ({ batchFor: (epoch: number) => b.batchFor(callback, epoch) }))(new CallbackBatches(o)) }],
  ['PromiseBatches', { make: (o) => ((b) => ({ batchFor: (epoch: number) => b.batchFor(() => undefined, () => undefined, epoch) }))(new PromiseBatches(o)) }],
];

describe.each(forms)('%s turn sharing', (_name, form) => {
  function setup(maxRecords = 4) {
    const turns = fakeTurns();
    return { batches: form.make({ now: turns.now, recordTtlMs: 30_000, maxRecords, atTurnEnd: turns.atTurnEnd }), ...turns };
  }

  it('shares one batch, and one clock read, among up to maxRecords calls in a turn', () => {
    const t = setup(4);
    const got = Array.from({ length: 10 }, () => {
      const batch = t.batches.batchFor(0);
      t.advance(1);
      return batch;
    });
    expect(new Set(got.slice(0, 4)).size).toBe(1);
    expect(got[4]).not.toBe(got[3]);
    expect(new Set(got.slice(4, 8)).size).toBe(1);
    expect(got[8]).not.toBe(got[7]);
    expect(t.clockReads()).toBe(3);
    // Each batch's put time is its first call's; a record is early by at most maxRecords − 1 calls.
    expect(got.map((b) => b.putAtMs)).toEqual([1_000, 1_000, 1_000, 1_000, 1_004, 1_004, 1_004, 1_004, 1_008, 1_008]);
    expect(got[0]?.deadlineMs).toBe(31_000);
    expect(t.queuedTurnEnds()).toBe(1);
  });

  it('ends the sharing with the turn: the next turn reads the clock again', () => {
    const t = setup(64);
    const first = t.batches.batchFor(0);
    expect(t.batches.batchFor(0)).toBe(first);
    t.advance(500);
    t.endTurn();
    const second = t.batches.batchFor(0);
    expect(second).not.toBe(first);
    expect(second.putAtMs).toBe(1_500);
    expect(t.queuedTurnEnds()).toBe(1);
  });

  it('starts a new batch for another flush generation', () => {
    const t = setup(64);
    const first = t.batches.batchFor(0);
    const next = t.batches.batchFor(1);
    expect(next).not.toBe(first);
    expect(next.epoch).toBe(1);
  });

  it('queues its turn end with the real microtask queue by default', async () => {
    let nowMs = 0;
    const batches = form.make({ now: () => nowMs, recordTtlMs: 1_000 });
    const first = batches.batchFor(0);
    expect(batches.batchFor(0)).toBe(first);
    nowMs = 7;
    await Promise.resolve();
    const next = batches.batchFor(0);
    expect(next).not.toBe(first);
    expect(next.putAtMs).toBe(7);
  });
});

import { describe, expect, it } from 'vitest';
import { CallbackBatches } from '../src/callback-batches.js';
import { fakeTurns } from './fake-turns.js';

// The sharing rules common to both put forms are in turn-batches.test.ts.

const callback = () => undefined;

describe('CallbackBatches', () => {
  it('settles a batch with its callback, and starts a new batch for another callback', () => {
    const turns = fakeTurns();
    const batches = new CallbackBatches({ now: turns.now, recordTtlMs: 30_000, atTurnEnd: turns.atTurnEnd });
    const a = batches.batchFor(callback, 0);
    expect(a.settle).toBe(callback);
    expect(batches.batchFor(callback, 0)).toBe(a);
    const other = () => undefined;
    const b = batches.batchFor(other, 0);
    expect(b).not.toBe(a);
    expect(b.settle).toBe(other);
  });
});

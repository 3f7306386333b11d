import { describe, expect, it } from 'vitest';
import type { PutResult } from '../src/types.js';
import { PromiseBatches } from '../src/promise-batches.js';
import { fakeTurns } from './fake-turns.js';

function setup(maxRecords = 4) {
  const turns = fakeTurns();
  const batches = new PromiseBatches({ now: turns.now, recordTtlMs: 30_000, maxRecords, atTurnEnd: turns.atTurnEnd });
  return { batches, ...turns };
}

const RESULT: PutResult = { shardId: 'shardId-000000000000', sequenceNumber: '1', attempts: [] };

/** A promise's resolvers, recorded as they are called. */
function resolvers(calls: string[], name: string) {
  return [(r: PutResult) => calls.push(`${name} resolved ${r.sequenceNumber}`), (e: Error) => calls.push(`${name} rejected ${e.message}`)] as const;
}

describe('PromiseBatches', () => {
  it('shares one batch, and one clock read, among up to maxRecords puts in a turn, each with its index', () => {
    const t = setup(4);
    const calls: string[] = [];
    const got = Array.from({ length: 10 }, (_, i) => {
      const batch = t.batches.batchFor(...resolvers(calls, `p${i}`), 0);
      t.advance(1);
      return [batch, t.batches.index] as const;
    });
    expect(got.map(([, index]) => index)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    expect(new Set(got.slice(0, 4).map(([b]) => b)).size).toBe(1);
    expect(got[4]?.[0]).not.toBe(got[3]?.[0]);
    expect(t.clockReads()).toBe(3);
    expect(got.map(([b]) => b.putAtMs)).toEqual([1_000, 1_000, 1_000, 1_000, 1_004, 1_004, 1_004, 1_004, 1_008, 1_008]);
    expect(got[0]?.[0].deadlineMs).toBe(31_000);
    expect(t.queuedTurnEnds()).toBe(1);
  });

  it('settles record i through its own promise, resolved or rejected, in any order', () => {
    const t = setup(64);
    const calls: string[] = [];
    const batch = t.batches.batchFor(...resolvers(calls, 'a'), 0);
    t.batches.batchFor(...resolvers(calls, 'b'), 0);
    t.batches.batchFor(...resolvers(calls, 'c'), 0);
    batch.settle(undefined, { ...RESULT, sequenceNumber: '7' }, 2);
    batch.settle(new Error('throttled'), undefined, 0);
    batch.settle(undefined, { ...RESULT, sequenceNumber: '9' }, 1);
    expect(calls).toEqual(['c resolved 7', 'a rejected throttled', 'b resolved 9']);
  });

  it('lets go of a settled promise\'s resolvers: a second settle of one index calls nothing', () => {
    const t = setup(64);
    const calls: string[] = [];
    const batch = t.batches.batchFor(...resolvers(calls, 'a'), 0);
    batch.settle(undefined, RESULT, 0);
    batch.settle(new Error('again'), undefined, 0);
    expect(calls).toEqual(['a resolved 1']);
  });

  it('keeps a full batch and its resolvers intact when the clock throws while starting the next', () => {
    let nowMs = 1_000;
    let failNext = false;
    const batches = new PromiseBatches({
      now: () => {
        if (failNext) {
          failNext = false;
          throw new Error('clock broke');
        }
        return nowMs;
      },
      recordTtlMs: 30_000,
      maxRecords: 2,
      atTurnEnd: () => undefined,
    });
    const calls: string[] = [];
    const full = batches.batchFor(...resolvers(calls, 'a'), 0);
    batches.batchFor(...resolvers(calls, 'b'), 0);
    failNext = true;
    expect(() => batches.batchFor(...resolvers(calls, 'lost'), 0)).toThrow('clock broke');
    nowMs = 2_000;
    const next = batches.batchFor(...resolvers(calls, 'c'), 0);
    expect(next).not.toBe(full);
    expect(batches.index).toBe(0);
    full.settle(undefined, { ...RESULT, sequenceNumber: '5' }, 1);
    next.settle(undefined, { ...RESULT, sequenceNumber: '6' }, 0);
    expect(calls).toEqual(['b resolved 5', 'c resolved 6']);
  });

  it('ends the sharing with the turn, or for another flush generation', () => {
    const t = setup(64);
    const calls: string[] = [];
    const first = t.batches.batchFor(...resolvers(calls, 'a'), 0);
    expect(t.batches.batchFor(...resolvers(calls, 'b'), 0)).toBe(first);
    const nextGeneration = t.batches.batchFor(...resolvers(calls, 'c'), 1);
    expect(nextGeneration).not.toBe(first);
    expect(nextGeneration.epoch).toBe(1);
    expect(t.batches.index).toBe(0);
    t.advance(500);
    t.endTurn();
    const nextTurn = t.batches.batchFor(...resolvers(calls, 'd'), 1);
    expect(nextTurn).not.toBe(nextGeneration);
    expect(nextTurn.putAtMs).toBe(1_500);
    expect(t.queuedTurnEnds()).toBe(1);
  });

  it('queues its turn end with the real microtask queue by default', async () => {
    let nowMs = 0;
    const batches = new PromiseBatches({ now: () => nowMs, recordTtlMs: 1_000 });
    const calls: string[] = [];
    const first = batches.batchFor(...resolvers(calls, 'a'), 0);
    expect(batches.batchFor(...resolvers(calls, 'b'), 0)).toBe(first);
    nowMs = 7;
    await Promise.resolve();
    const next = batches.batchFor(...resolvers(calls, 'c'), 0);
    expect(next).not.toBe(first);
    expect(next.putAtMs).toBe(7);
  });
});

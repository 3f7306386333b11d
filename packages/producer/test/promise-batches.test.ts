import { describe, expect, it } from 'vitest';
import type { PutResult } from '../src/types.js';
import { PromiseBatches } from '../src/promise-batches.js';
import { fakeTurns } from './fake-turns.js';

// The sharing rules common to both put forms are in turn-batches.test.ts.

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
  it('gives each put its index in the batch it shares', () => {
    const t = setup(4);
    const calls: string[] = [];
    const got = Array.from({ length: 10 }, (_, i) => {
      const batch = t.batches.batchFor(...resolvers(calls, `p${i}`), 0);
      return [batch, t.batches.index] as const;
    });
    expect(got.map(([, index]) => index)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    expect(new Set(got.slice(0, 4).map(([b]) => b)).size).toBe(1);
    expect(got[4]?.[0]).not.toBe(got[3]?.[0]);
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
    const turns = fakeTurns();
    let failNext = false;
    const now = () => {
      if (failNext) {
        failNext = false;
        throw new Error('clock broke');
      }
      return turns.now();
    };
    const batches = new PromiseBatches({ now, recordTtlMs: 30_000, maxRecords: 2, atTurnEnd: turns.atTurnEnd });
    const calls: string[] = [];
    const full = batches.batchFor(...resolvers(calls, 'a'), 0);
    batches.batchFor(...resolvers(calls, 'b'), 0);
    failNext = true;
    expect(() => batches.batchFor(...resolvers(calls, 'lost'), 0)).toThrow('clock broke');
    turns.advance(1_000);
    const next = batches.batchFor(...resolvers(calls, 'c'), 0);
    expect(next).not.toBe(full);
    expect(batches.index).toBe(0);
    full.settle(undefined, { ...RESULT, sequenceNumber: '5' }, 1);
    next.settle(undefined, { ...RESULT, sequenceNumber: '6' }, 0);
    expect(calls).toEqual(['b resolved 5', 'c resolved 6']);
  });

  it('starts indexes again at 0 in a new flush generation', () => {
    const t = setup(64);
    const calls: string[] = [];
    t.batches.batchFor(...resolvers(calls, 'a'), 0);
    t.batches.batchFor(...resolvers(calls, 'b'), 0);
    t.batches.batchFor(...resolvers(calls, 'c'), 1);
    expect(t.batches.index).toBe(0);
  });
});

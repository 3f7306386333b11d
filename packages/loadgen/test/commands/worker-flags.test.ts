import { describe, expect, it } from 'vitest';
import { parseWorkerFlags, partRunId } from '../../src/commands/worker-flags.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';

describe('parseWorkerFlags', () => {
  it.each([
    [{}, { part: { index: 0, count: 1 }, split: false, threads: 1 }],
    [{ workerIndex: 2, workerCount: 4 }, { part: { index: 2, count: 4 }, split: true, threads: 1 }],
    [{ workerIndex: 0, workerCount: 1 }, { part: { index: 0, count: 1 }, split: true, threads: 1 }],
    [{ workers: 3 }, { part: { index: 0, count: 1 }, split: false, threads: 3 }],
    [{ workerIndex: 1, workerCount: 2, workers: 2 }, { part: { index: 1, count: 2 }, split: true, threads: 2 }],
  ])('%j → %j', (flags, plan) => {
    expect(parseWorkerFlags(flags)).toEqual(plan);
  });

  it.each([
    [{ workerIndex: 1 }, '--worker-count: Expected --worker-count together with --worker-index, got --worker-index alone'],
    [{ workerCount: 2 }, '--worker-index: Expected --worker-index together with --worker-count, got --worker-count alone'],
    [{ workerIndex: 2, workerCount: 2 }, '--worker-index: Expected an integer ≥ 0 and < --worker-count (2), got 2'],
    [{ workerIndex: -1, workerCount: 2 }, '--worker-index: Expected an integer ≥ 0 and < --worker-count (2), got -1'],
    [{ workerIndex: 0.5, workerCount: 2 }, '--worker-index: Expected an integer ≥ 0 and < --worker-count (2), got 0.5'],
    [{ workerIndex: 0, workerCount: 0 }, '--worker-count: Expected an integer ≥ 1, got 0'],
    [{ workerIndex: 0, workerCount: Number.NaN }, '--worker-count: Expected an integer ≥ 1, got NaN'],
    [{ workers: 0 }, '--workers: Expected an integer from 1 to 64, got 0'],
    [{ workers: 1.5 }, '--workers: Expected an integer from 1 to 64, got 1.5'],
    [{ workers: 65 }, '--workers: Expected an integer from 1 to 64, got 65'],
  ])('%j is a user error: %s', (flags, message) => {
    const error = (() => {
      try {
        parseWorkerFlags(flags);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).message).toBe(message);
  });

  it('names a part’s run after the base run and its share', () => {
    expect(partRunId('clicks-20261126T0150-1a2b3c', { index: 2, count: 4 })).toBe('clicks-20261126T0150-1a2b3c-w2of4');
  });
});

import { describe, expect, it } from 'vitest';
import { combineRunCounts } from '../../src/metrics/live-snapshot.js';

describe('combineRunCounts', () => {
  it('adds the counts of the sending threads and keeps the largest iterator age', () => {
    const combined = combineRunCounts([
      { acked: 10, consumed: 4, consumerBacklog: 6, iteratorAgeMs: 120 },
      { acked: 7, consumed: 7, consumerBacklog: 0, iteratorAgeMs: 300 },
    ]);
    expect(combined).toEqual({ acked: 17, consumed: 11, consumerBacklog: 6, iteratorAgeMs: 300 });
  });

  it('is all zeros for no threads', () => {
    expect(combineRunCounts([])).toEqual({ acked: 0, consumed: 0, consumerBacklog: 0, iteratorAgeMs: 0 });
  });
});

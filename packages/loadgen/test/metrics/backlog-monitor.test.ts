import { describe, expect, it } from 'vitest';
import { createBacklogMonitor } from '../../src/metrics/backlog-monitor.js';

/** A monitor on a fake clock (µs) that the test moves by hand. */
function monitor(targetRecords = 1_000) {
  const clock = { us: 0 };
  return { clock, m: createBacklogMonitor(targetRecords, 0, () => clock.us) };
}

describe('createBacklogMonitor', () => {
  it('measures the drain from the consumer start until the waiting records are read, then the catch-up', () => {
    const { clock, m } = monitor(1_000);
    clock.us = 2_000_000;
    m.start(1_200, 'records');
    clock.us = 2_500_000;
    m.onBytes(600_000);
    m.observe({ consumed: 600, backlog: 900, iteratorAgeMs: 2_400 });
    clock.us = 3_000_000;
    m.onBytes(600_000);
    m.observe({ consumed: 1_200, backlog: 300, iteratorAgeMs: 1_800 });
    m.onBytes(999); // after the drain: not part of its rate
    clock.us = 3_400_000;
    m.observe({ consumed: 1_450, backlog: 20, iteratorAgeMs: 900 });
    // 1,200 records and 1.2 MB in 1 s; caught up (IteratorAge < 1 s) 1.4 s after the start.
    expect(m.report(2_400)).toEqual({
      targetRecords: 1_000,
      startedBecause: 'records',
      recordsAtStart: 1_200,
      waitedMs: 2_000,
      drainMs: 1_000,
      drainRecordsPerSec: 1_200,
      drainMBPerSec: 1.2,
      maxIteratorAgeMs: 2_400,
      catchUpMs: 1_400,
    });
  });

  it('counts as caught up when nothing of the run is left to read, whatever a quiet shard’s IteratorAge says', () => {
    const { clock, m } = monitor();
    m.start(50, 'phasesEnded');
    clock.us = 300_000;
    m.observe({ consumed: 50, backlog: 0, iteratorAgeMs: 5_000 });
    expect(m.report(5_000)).toMatchObject({ startedBecause: 'phasesEnded', drainMs: 300, catchUpMs: 300 });
  });

  it('reports null for a drain that never finished, and ignores observations before the start', () => {
    const { clock, m } = monitor();
    m.observe({ consumed: 10_000, backlog: 0, iteratorAgeMs: 0 });
    expect(m.started).toBe(false);
    m.start(500, 'records');
    clock.us = 1_000_000;
    m.observe({ consumed: 499, backlog: 1, iteratorAgeMs: 100 });
    expect(m.report(3_000)).toMatchObject({ drainMs: null, drainRecordsPerSec: null, drainMBPerSec: null, catchUpMs: null });
  });
});

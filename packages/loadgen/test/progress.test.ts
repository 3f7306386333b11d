import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveSnapshot } from '../src/metrics/live-snapshot.js';
import { formatProgressLine, startProgress } from '../src/progress.js';

const snapshot: LiveSnapshot = {
  elapsedMs: 12_400,
  targetRate: 4_990,
  achievedRate: 4_980,
  inFlight: 312,
  acked: 60_000,
  failed: 2,
  consumed: 59_000,
  throttledAttempts: 3,
  publishP50Ms: 12.3,
  publishP99Ms: 48,
  endToEndP50Ms: 850,
  endToEndP99Ms: 2_100,
  consumerBacklog: 1_000,
  iteratorAgeMs: 640,
};

describe('formatProgressLine', () => {
  it('shows rate, in flight, failures, throttles, latencies and consumer lag', () => {
    expect(formatProgressLine(snapshot)).toBe(
      '[  12s] 4,980/4,990 rec/s · in flight 312 · failed 2 · throttled 3 · publish p50 12ms p99 48ms · e2e p50 850ms p99 2.10s · lag 1,000 rec, iterator age 640ms',
    );
  });

  it.each([
    [{ targetRate: 5_000, behindMs: 0 }, '4,980/5,000 rec/s ·'],
    [{ targetRate: 5_000, behindMs: 1_250 }, '4,980/5,000 rec/s (behind by 1.25s) ·'],
  ])('takes the target from the schedule and says when sending is behind: %o', (schedule, text) => {
    expect(formatProgressLine(snapshot, schedule)).toContain(text);
  });
});

describe('startProgress', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    [true, 500, ['\r', '\x1b[K']],
    [false, 10_000, ['\n']],
  ])('on a TTY=%s refreshes every %i ms in its own style', (isTTY, intervalMs, markers) => {
    const writes: string[] = [];
    const progress = startProgress({ live: () => snapshot, write: (t) => writes.push(t), isTTY });
    vi.advanceTimersByTime(intervalMs * 3);
    progress.stop();
    expect(writes.filter((w) => w.includes('rec/s'))).toHaveLength(3);
    for (const marker of markers) expect(writes[0]).toContain(marker);
    vi.advanceTimersByTime(intervalMs * 3);
    expect(writes.filter((w) => w.includes('rec/s'))).toHaveLength(3);
    if (isTTY) expect(writes.at(-1)).toBe('\n');
  });
});

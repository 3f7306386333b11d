import { describe, expect, it } from 'vitest';
import { IntervalSeries } from '../../src/metrics/interval-series.js';
import { summarize } from '../../src/metrics/latency-histogram.js';

const S = 1_000_000;

/** A series whose close steps wait in a queue until the test runs them. */
function steppedSeries(): { series: IntervalSeries; steps: (() => void)[] } {
  const steps: (() => void)[] = [];
  const series = new IntervalSeries(0, 10_000, false, (step) => steps.push(step));
  return { series, steps };
}

describe('interval series', () => {
  it('closes an interval in steps on later turns, and what is recorded meanwhile belongs to the next interval', () => {
    const { series, steps } = steppedSeries();
    for (let v = 1; v <= 1_000; v++) series.record('sendDelay', v);
    series.count('sent', 1_000);
    series.advance(10 * S, 0);
    for (let v = 1_501; v <= 2_000; v++) series.record('sendDelay', v);
    series.count('sent', 500);
    let turns = 0;
    while (steps.length > 0) {
      steps.shift()?.();
      turns += 1;
    }
    expect(turns).toBe(12);
    series.finish(15 * S, 0);
    expect(series.samples.map((s) => [s.counts.sent, s.latency.sendDelay.count, s.latency.sendDelay.maxMs])).toEqual([
      [1_000, 1_000, 1],
      [500, 500, 2],
    ]);
    expect(summarize(series.totals.sendDelay.histogram)).toMatchObject({ count: 1_500, minMs: 0.001, maxMs: 2 });
  });

  it('finishes a pending close when its samples or totals are read', () => {
    const { series, steps } = steppedSeries();
    series.record('publish', 2_000);
    series.advance(10 * S, 0);
    expect(steps).toHaveLength(1);
    expect(series.totals.publish.histogram.totalCount).toBe(1);
    expect(series.samples).toHaveLength(1);
    expect(series.samples[0]?.latency.publish.p50Ms).toBe(2);
    // The queued step finds nothing left to do.
    steps.shift()?.();
    expect(series.samples).toHaveLength(1);
  });

  it('keeps warm-up values out of every interval and the totals', () => {
    const { series } = steppedSeries();
    series.record('sendDelay', 40_000, false);
    series.record('sendDelay', 300);
    series.count('sent', 2);
    series.finish(5 * S, 0);
    expect(series.samples[0]?.latency.sendDelay).toMatchObject({ count: 1, maxMs: 0.3 });
    expect(series.totals.sendDelay.histogram.totalCount).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import { startPacer, type PacerOptions } from '../../src/schedule/pacer.js';
import { createSchedule } from '../../src/schedule/schedule.js';

/**
 * A fake clock and event loop: advancing time fires due callbacks in order. Timers fire no sooner
 * than 1 ms after they are set (as Node clamps `setTimeout(fn, 0)`); `yieldNow` callbacks run at
 * the current time, before any later timer.
 */
function fakeTime() {
  let nowUs = 1_000_000_000;
  let order = 0;
  const queue: { atUs: number; order: number; callback: () => void }[] = [];
  const calls = { timers: 0, yields: 0 };
  return {
    calls,
    now: () => nowUs,
    /** Moves the clock forward, as work inside a callback does. */
    advance: (us: number) => {
      nowUs += us;
    },
    setTimer: (callback: () => void, delayMs: number) => {
      calls.timers += 1;
      queue.push({ atUs: nowUs + Math.max(1, delayMs) * 1000, order: order++, callback });
    },
    yieldNow: (callback: () => void) => {
      calls.yields += 1;
      queue.push({ atUs: nowUs, order: order++, callback });
    },
    /** Runs callbacks until `untilUs`, each firing `lagUs` after its due time (a slow event loop). */
    run(untilUs: number, lagUs = 0) {
      for (;;) {
        queue.sort((a, b) => a.atUs - b.atUs || a.order - b.order);
        const next = queue[0];
        if (next === undefined || next.atUs > untilUs) break;
        queue.shift();
        nowUs = Math.max(nowUs, next.atUs + lagUs);
        next.callback();
      }
      nowUs = Math.max(nowUs, untilUs);
    },
  };
}

/** A pacer on fake time; `sendCostUs` is the work each send takes (the clock moves by it). */
function setup(over: Partial<PacerOptions> = {}, rate = 1_000, { durationMs = 1_000, sendCostUs = 0 } = {}) {
  const time = fakeTime();
  const sent: { seq: number; intendedUs: number; sentUs: number; measured: boolean }[] = [];
  const schedule = createSchedule([{ durationMs, rate, arrival: 'uniform', warmup: false }], createRandom(1));
  const startUs = time.now();
  const pacer = startPacer({
    schedule,
    startUs,
    now: time.now,
    setTimer: time.setTimer,
    yieldNow: time.yieldNow,
    send: (seq, intendedUs, measured) => {
      time.advance(sendCostUs);
      sent.push({ seq, intendedUs, sentUs: time.now(), measured });
    },
    ...over,
  });
  return { time, sent, pacer, startUs };
}

describe('startPacer', () => {
  it('sends every record once, in order, never before its intended time', async () => {
    const { time, sent, pacer } = setup();
    time.run(time.now() + 2_000_000);
    const stats = await pacer.done;
    expect(sent).toHaveLength(1_000);
    expect(sent.map((r) => r.seq)).toEqual([...Array(1_000).keys()]);
    for (const r of sent) expect(r.sentUs).toBeGreaterThanOrEqual(r.intendedUs);
    expect(stats).toMatchObject({ sent: 1_000, late: 0 });
  });

  it('sends overdue records late instead of dropping them, and counts them', async () => {
    const { time, sent, pacer } = setup({ lateThresholdUs: 10_000 });
    // Every timer fires 20 ms late: about half of each batch waited more than 10 ms.
    time.run(time.now() + 3_000_000, 20_000);
    const stats = await pacer.done;
    expect(sent).toHaveLength(1_000);
    expect(stats.late).toBe(sent.filter((r) => r.sentUs - r.intendedUs > 10_000).length);
    expect(stats.late).toBeGreaterThan(300);
    expect(stats.maxDelayUs).toBeGreaterThanOrEqual(20_000);
  });

  it('batches a tick but yields after maxBatch records', async () => {
    const { time, sent, pacer, startUs } = setup({ maxBatch: 100 });
    // Jump 500 ms at once: 500 records due; the first tick may send only 100.
    time.run(startUs + 1, 500_000);
    expect(sent.length).toBeLessThanOrEqual(100);
    time.run(startUs + 2_000_000);
    expect((await pacer.done).sent).toBe(1_000);
  });

  it('comes back through yieldNow, not a timer, after a batch cut at maxBatch', async () => {
    const { time, sent, pacer, startUs } = setup({ maxBatch: 100 });
    time.run(startUs + 1_000, 500_000);
    expect(sent).toHaveLength(100);
    expect(time.calls).toEqual({ timers: 1, yields: 1 });
    time.run(startUs + 2_000_000);
    expect((await pacer.done).sent).toBe(1_000);
  });

  it('sends the records that fell due while its batch ran in the same batch', async () => {
    // 100,000 records/s (one every 10 µs) and 5 µs of work per record: each batch catches up with
    // the records that fall due during it, so the only wait is the ~1 ms timer after a batch.
    const { time, sent, pacer, startUs } = setup({}, 100_000, { durationMs: 100, sendCostUs: 5 });
    time.run(startUs + 1_000_000);
    expect((await pacer.done).sent).toBe(10_000);
    const delaysUs = sent.map((r) => r.sentUs - r.intendedUs);
    // The first record of a batch waited for the timer (≤ ~1 ms); none waited for a second timer.
    expect(Math.max(...delaysUs)).toBeLessThanOrEqual(1_010);
  });

  it('waits while the in-flight window is full and resumes without losing records', async () => {
    let open = false;
    const { time, sent, pacer, startUs } = setup({ canSend: () => open });
    time.run(startUs + 500_000);
    expect(sent).toHaveLength(0);
    expect(pacer.stats().blockedTicks).toBeGreaterThan(0);
    open = true;
    time.run(startUs + 2_000_000);
    expect((await pacer.done).sent).toBe(1_000);
    expect(sent[0]?.intendedUs).toBe(startUs);
  });

  it('stops on request and leaves the rest unsent', async () => {
    const { time, sent, pacer, startUs } = setup();
    time.run(startUs + 250_000);
    pacer.stop();
    time.run(startUs + 2_000_000);
    const stats = await pacer.done;
    expect(stats.sent).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(200);
    expect(sent.length).toBeLessThan(300);
  });
});

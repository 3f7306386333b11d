import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/random.js';
import { startPacer, type PacerOptions } from '../../src/schedule/pacer.js';
import { createSchedule } from '../../src/schedule/schedule.js';

/** A fake clock and timer queue: advancing time fires due timers in order. */
function fakeTime() {
  let nowUs = 1_000_000_000;
  const timers: { atUs: number; callback: () => void }[] = [];
  return {
    now: () => nowUs,
    setTimer: (callback: () => void, delayMs: number) => {
      timers.push({ atUs: nowUs + delayMs * 1000, callback });
    },
    /** Runs timers until `untilUs`, each firing `lagUs` after its due time (a slow event loop). */
    run(untilUs: number, lagUs = 0) {
      for (;;) {
        timers.sort((a, b) => a.atUs - b.atUs);
        const next = timers[0];
        if (next === undefined || next.atUs > untilUs) break;
        timers.shift();
        nowUs = Math.max(nowUs, next.atUs + lagUs);
        next.callback();
      }
      nowUs = Math.max(nowUs, untilUs);
    },
  };
}

function setup(over: Partial<PacerOptions> = {}, rate = 1_000) {
  const time = fakeTime();
  const sent: { seq: number; intendedUs: number; sentUs: number; measured: boolean }[] = [];
  const schedule = createSchedule([{ durationMs: 1_000, rate, arrival: 'uniform', warmup: false }], createRandom(1));
  const startUs = time.now();
  const pacer = startPacer({
    schedule,
    startUs,
    now: time.now,
    setTimer: time.setTimer,
    send: (seq, intendedUs, measured) => sent.push({ seq, intendedUs, sentUs: time.now(), measured }),
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

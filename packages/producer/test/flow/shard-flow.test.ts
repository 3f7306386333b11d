import { describe, expect, it } from 'vitest';
import { createShardFlow, type ShardFlowOptions } from '../../src/flow/shard-flow.js';
import { createFixedRateFlow } from '../../src/flow/fixed-rate-flow.js';
import { InvalidOptionError } from '../../src/errors.js';
import { fakeClock } from './helpers.js';

const MiB = 1024 * 1024;
const throttled = (n: number) => ({ acceptedRecords: 0, acceptedBytes: 0, throttledRecords: n });
const accepted = (n: number, bytesEach = 100) => ({ acceptedRecords: n, acceptedBytes: n * bytesEach, throttledRecords: 0 });

function flow(extra: Partial<ShardFlowOptions> = {}, random = () => 0.5) {
  const clock = fakeClock(1_000);
  const f = createShardFlow({
    recordsPerSec: 1000,
    bytesPerSec: MiB,
    burstMs: 500,
    backoff: { baseMs: 100, capMs: 60_000 },
    now: clock.now,
    random,
    ...extra,
  });
  return { clock, f };
}

describe('createShardFlow: token buckets', () => {
  it('starts with a full burst of both limits', () => {
    const { f } = flow();
    expect(f.capacity()).toEqual({ records: 500, bytes: MiB / 2 });
    expect(f.burstCapacity()).toEqual({ records: 500, bytes: MiB / 2 });
    expect(f.delayMs(500, 1000)).toBe(0);
  });

  it.each([
    // [records taken, bytes taken, asking records, asking bytes, wait ms]
    [500, 0, 100, 0, 100], // records bucket empty: 100 records at 1,000/s
    [0, MiB / 2, 1, 65_536, 63], // bytes bucket empty: 64 KiB at 1 MiB/s = 62.5 ms
    [450, MiB / 2 - 10_486, 100, 115_343, 100], // both short: records 50 ms, bytes 104,857 B ≈ 100 ms wins
    [0, 0, 800, 1000, 0], // oversize while full: goes now
    [300, 0, 800, 1000, 300], // oversize: waits for a full bucket
  ])('after taking %i records / %i bytes, %i records / %i bytes wait %i ms', (tr, tb, ar, ab, waitMs) => {
    const { f } = flow();
    f.take(tr, tb);
    expect(f.delayMs(ar, ab)).toBe(waitMs);
  });
});

describe('createShardFlow: throttling and recovery', () => {
  it('lowers both rates by one shared fraction and backs off on a throttled response', () => {
    const { f, clock } = flow();
    f.take(500, 50_000);
    f.onOutcome(throttled(300));
    const s = f.snapshot();
    expect(s.allowedRecordsPerSec).toBe(900);
    expect(s.allowedBytesPerSec).toBeCloseTo(0.9 * MiB, 6);
    expect(s.throttledRecordsTotal).toBe(300);
    expect(s.consecutiveThrottles).toBe(1);
    // attempt 0 with random() = 0.5: 50 ms in [0, 100)
    expect(s.backoffUntilMs).toBe(clock.now() + 50);
    expect(f.capacity()).toEqual({ records: 0, bytes: 0 });
    expect(f.delayMs(1, 100)).toBe(50);
    clock.advance(50);
    expect(f.delayMs(1, 100)).toBe(0);
    expect(f.capacity().records).toBe(45); // 50 ms at 900/s
  });

  it('treats throttles during a backoff or within the reaction window as the same event', () => {
    const { f, clock } = flow();
    f.onOutcome(throttled(10));
    clock.advance(20);
    f.onOutcome(throttled(10)); // during the 50 ms backoff
    clock.advance(100);
    f.onOutcome(throttled(10)); // after the backoff but within 250 ms
    expect(f.snapshot()).toMatchObject({ consecutiveThrottles: 1, allowedRecordsPerSec: 900, throttledRecordsTotal: 30 });
  });

  it.each([
    // [consecutive throttle events, backoff ms with random() = 0.5, rate]
    [1, 50, 900],
    [2, 100, 810],
    [3, 200, 729],
    [4, 400, 656.1],
    [5, 500, 590.49], // 100 × 2^4 = 1,600, capped at the 1 s throttle cap (backoffCapMs is 60,000)
    [12, 1_000 / 2, 1000 * 0.9 ** 12], // 100 × 2^11 = 204,800, capped at 1,000
  ])('backs off with full jitter on %i consecutive throttle events (%i ms)', (events, backoffMs, rate) => {
    const { f, clock } = flow();
    for (let i = 0; i < events; i++) {
      clock.set(Math.max(clock.now() + 250, f.snapshot().backoffUntilMs));
      f.onOutcome(throttled(1));
    }
    const s = f.snapshot();
    expect(s.consecutiveThrottles).toBe(events);
    expect(s.backoffUntilMs - clock.now()).toBe(backoffMs);
    expect(s.allowedRecordsPerSec).toBeCloseTo(rate, 6);
    expect(f.delayMs(1, 1)).toBe(backoffMs);
  });

  it('resets the backoff count on a success after the backoff, not on one from before it', () => {
    const { f, clock } = flow();
    f.onOutcome(throttled(1));
    clock.advance(10);
    f.onOutcome(accepted(100)); // a request sent before the throttle: still backing off
    expect(f.snapshot().consecutiveThrottles).toBe(1);
    clock.advance(100);
    f.onOutcome(accepted(100));
    expect(f.snapshot().consecutiveThrottles).toBe(0);
  });

  it('climbs back to the limit 1 s after one throttle and never above it', () => {
    const { f, clock } = flow();
    f.onOutcome(throttled(300));
    const rates: number[] = [];
    for (let i = 0; i < 15; i++) {
      clock.advance(100);
      f.onOutcome(accepted(100));
      rates.push(Math.round(f.snapshot().allowedRecordsPerSec));
    }
    expect(rates).toEqual([910, 920, 930, 940, 950, 960, 970, 980, 990, 1000, 1000, 1000, 1000, 1000, 1000]);
    expect(f.snapshot().allowedBytesPerSec).toBe(MiB);
    // Recovered: plain bucket arithmetic again (full 500 after 1.5 s; take it, then 100 ms for 100).
    f.take(500, 0);
    expect(f.delayMs(100, 0)).toBe(100);
    expect(f.snapshot()).toMatchObject({ acceptedRecordsTotal: 1500, acceptedBytesTotal: 150_000, consecutiveThrottles: 0 });
  });

  it('handles a partly throttled response as a throttle', () => {
    const { f } = flow();
    f.onOutcome({ acceptedRecords: 400, acceptedBytes: 40_000, throttledRecords: 100 });
    expect(f.snapshot()).toMatchObject({ allowedRecordsPerSec: 900, consecutiveThrottles: 1, acceptedRecordsTotal: 400 });
  });

  it.each([
    ['recordsPerSec', { recordsPerSec: 0 }],
    ['bytesPerSec', { bytesPerSec: -1 }],
    ['burstMs', { burstMs: 0 }],
    ['baseMs', { backoff: { baseMs: -1, capMs: 10 } }],
    ['decreaseFactor', { aimd: { decreaseFactor: 1.5 } }],
    ['aimd.reactionWindowMs', { aimd: { reactionWindowMs: -1 } }],
  ])('rejects a bad %s at construction', (option, bad) => {
    const create = () => flow(bad as Partial<ShardFlowOptions>);
    expect(create).toThrow(InvalidOptionError);
    expect(create).toThrow(`Expected \`${option}\``);
  });
});

describe('createFixedRateFlow (the KPL policy)', () => {
  it('drives 150% of the limits, never adapts and never backs off', () => {
    const clock = fakeClock();
    const f = createFixedRateFlow({ recordsPerSec: 1000, bytesPerSec: MiB, burstMs: 500, now: clock.now });
    expect(f.capacity()).toEqual({ records: 750, bytes: 786_432 });
    f.take(750, 0);
    expect(f.delayMs(150, 0)).toBe(100); // 150 records at 1,500/s
    for (let i = 0; i < 5; i++) f.onOutcome(throttled(500));
    clock.advance(100);
    expect(f.delayMs(150, 0)).toBe(0);
    expect(f.snapshot()).toEqual({
      allowedRecordsPerSec: 1500,
      allowedBytesPerSec: 1.5 * MiB,
      throttledRecordsTotal: 2500,
      acceptedRecordsTotal: 0,
      acceptedBytesTotal: 0,
      consecutiveThrottles: 5,
      backoffUntilMs: 0,
    });
  });

  it('takes another percentage', () => {
    const f = createFixedRateFlow({ recordsPerSec: 1000, bytesPerSec: MiB, burstMs: 1000, ratePercent: 100, now: () => 0 });
    expect(f.snapshot().allowedRecordsPerSec).toBe(1000);
    expect(() => createFixedRateFlow({ recordsPerSec: 1000, bytesPerSec: MiB, burstMs: 1000, ratePercent: 0, now: () => 0 })).toThrow(
      'Expected `ratePercent` to be a finite number > 0, got 0',
    );
  });
});

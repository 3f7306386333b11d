/**
 * Drives a schedule in real time: on each turn of the event loop, sends every record whose
 * intended time has come, in one batch.
 *
 * Invariants: records are never skipped — if the process falls behind (a GC pause, a full
 * in-flight window) the overdue records go out as soon as possible, each stamped with its
 * original intended time and counted as late when the delay exceeds `lateThresholdUs`. One batch
 * sends at most `maxBatch` records before yielding, so acks, I/O and the consumer still run at
 * high rates.
 *
 * When the next record is already due (the batch was cut at `maxBatch`, or records fell due while
 * it ran) the pacer comes back through `yieldNow` (setImmediate: after pending I/O, without a
 * timer's ≥ 1 ms), and only sleeps on a timer when it is ahead. Worked number: at 100,000
 * records/s and ~5 µs of work per record, a batch of 100 takes ~0.5 ms, in which 50 more records
 * fall due; the clock is read again every `CLOCK_EVERY` records, so most of them go in the same
 * batch, and the rest wait one turn of the loop instead of a 1 ms timer (which put ≥ 1 ms on
 * their send delay, then more while that timer's own backlog built up).
 */
import type { Schedule } from './schedule.js';

/** Records sent between two reads of the clock within one batch. */
const CLOCK_EVERY = 32;

/** A record sent more than this after its intended time counts as late, unless told otherwise. */
export const DEFAULT_LATE_THRESHOLD_US = 10_000;

export interface PacerOptions {
  schedule: Schedule;
  /** Wall-clock µs at which the schedule's offset 0 falls. */
  startUs: number;
  /** Wall-clock µs (injected; `nowUs` in production, a fake in tests). */
  now: () => number;
  /** Sends one record; must not throw (failures are the caller's to record). */
  send: (seq: number, intendedUs: number, measured: boolean) => void;
  /** False while the in-flight window is full; the pacer waits and retries in ~1 ms. */
  canSend?: () => boolean;
  /** A record sent later than this after its intended time counts as late. @default 10_000 */
  lateThresholdUs?: number;
  /** Records sent per batch before yielding to the event loop. @default 500 */
  maxBatch?: number;
  /** Timer for sleeping until the next record is due; injected so tests use fake timers. @default setTimeout */
  setTimer?: (callback: () => void, delayMs: number) => unknown;
  /** Runs the callback on the next turn of the event loop, after I/O. @default setImmediate */
  yieldNow?: (callback: () => void) => unknown;
}

export interface PacerStats {
  /** Records handed to `send`. */
  sent: number;
  /** Records sent more than `lateThresholdUs` after their intended time. */
  late: number;
  /** Largest send delay seen, µs. */
  maxDelayUs: number;
  /** Ticks that had to wait because the in-flight window was full. */
  blockedTicks: number;
}

export interface Pacer {
  /** Resolves when the schedule is exhausted or `stop()` was called. */
  readonly done: Promise<PacerStats>;
  /** Stops sending; records not yet sent stay unsent (and are reported as such by the caller). */
  stop(): void;
  stats(): PacerStats;
}

export function startPacer(options: PacerOptions): Pacer {
  const { schedule, startUs, now, send } = options;
  const canSend = options.canSend ?? (() => true);
  const lateThresholdUs = options.lateThresholdUs ?? DEFAULT_LATE_THRESHOLD_US;
  const maxBatch = options.maxBatch ?? 500;
  const setTimer = options.setTimer ?? ((callback, delayMs) => setTimeout(callback, delayMs));
  const yieldNow = options.yieldNow ?? ((callback) => setImmediate(callback));
  const stats: PacerStats = { sent: 0, late: 0, maxDelayUs: 0, blockedTicks: 0 };
  let stopped = false;
  let resolveDone: (stats: PacerStats) => void = () => {};
  const done = new Promise<PacerStats>((resolve) => {
    resolveDone = resolve;
  });

  function tick(): void {
    if (stopped) return;
    let nowUs = now();
    let sinceClockRead = 0;
    let batch = 0;
    let blocked = false;
    while (batch < maxBatch) {
      const offsetUs = schedule.peekOffsetUs();
      if (offsetUs === Infinity) {
        finish();
        return;
      }
      const intendedUs = startUs + Math.round(offsetUs);
      if (intendedUs > nowUs) {
        // Nothing more was due when the clock was read; records may have fallen due since.
        if (sinceClockRead === 0) break;
        nowUs = now();
        sinceClockRead = 0;
        continue;
      }
      if (!canSend()) {
        blocked = true;
        break;
      }
      const measured = schedule.measured;
      const seq = schedule.take();
      const delayUs = nowUs - intendedUs;
      if (delayUs > lateThresholdUs) stats.late += 1;
      if (delayUs > stats.maxDelayUs) stats.maxDelayUs = delayUs;
      stats.sent += 1;
      batch += 1;
      send(seq, intendedUs, measured);
      if (++sinceClockRead === CLOCK_EVERY) {
        nowUs = now();
        sinceClockRead = 0;
      }
    }
    if (schedule.peekOffsetUs() === Infinity) {
      finish();
      return;
    }
    if (blocked) {
      stats.blockedTicks += 1;
      setTimer(tick, 1);
      return;
    }
    const waitUs = startUs + Math.round(schedule.peekOffsetUs()) - now();
    // Behind (or cut at maxBatch): the next turn of the loop, after I/O. Ahead: sleep until the
    // next record is due; timers fire ≥ 1 ms late, so round down (a wait under 1 ms sleeps ~1 ms).
    if (waitUs <= 0) yieldNow(tick);
    else setTimer(tick, Math.floor(waitUs / 1000));
  }

  function finish(): void {
    if (stopped) return;
    stopped = true;
    resolveDone({ ...stats });
  }

  setTimer(tick, 0);
  return {
    done,
    stop: finish,
    stats: () => ({ ...stats }),
  };
}

/**
 * Drives a schedule in real time: on each timer tick, sends every record whose intended time has
 * come, in one batch.
 *
 * Invariants: records are never skipped — if the process falls behind (a GC pause, a full
 * in-flight window) the overdue records go out as soon as possible, each stamped with its
 * original intended time and counted as late when the delay exceeds `lateThresholdUs`. One tick
 * sends at most `maxBatch` records before yielding, so acks and the consumer still run at high
 * rates: at 100,000 records/s and a ~1 ms timer, a tick sends about 100 records.
 */
import type { Schedule } from './schedule.js';

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
  /** Records sent per tick before yielding to the event loop. @default 2_000 */
  maxBatch?: number;
  /** Timer; injected so tests use fake timers. @default setTimeout */
  setTimer?: (callback: () => void, delayMs: number) => unknown;
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
  const lateThresholdUs = options.lateThresholdUs ?? 10_000;
  const maxBatch = options.maxBatch ?? 2_000;
  const setTimer = options.setTimer ?? ((callback, delayMs) => setTimeout(callback, delayMs));
  const stats: PacerStats = { sent: 0, late: 0, maxDelayUs: 0, blockedTicks: 0 };
  let stopped = false;
  let resolveDone: (stats: PacerStats) => void = () => {};
  const done = new Promise<PacerStats>((resolve) => {
    resolveDone = resolve;
  });

  function tick(): void {
    if (stopped) return;
    const nowUs = now();
    let batch = 0;
    let blocked = false;
    while (batch < maxBatch) {
      const offsetUs = schedule.peekOffsetUs();
      if (offsetUs === Infinity) {
        finish();
        return;
      }
      const intendedUs = startUs + Math.round(offsetUs);
      if (intendedUs > nowUs) break;
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
    }
    if (schedule.peekOffsetUs() === Infinity) {
      finish();
      return;
    }
    if (blocked) stats.blockedTicks += 1;
    const waitUs = startUs + schedule.peekOffsetUs() - now();
    // Behind or blocked: come back on the next turn of the loop (a 0 ms timer still lets I/O run).
    // Ahead: sleep until the next record is due; timers fire ≥ 1 ms late, so round down.
    const delayMs = blocked ? 1 : batch >= maxBatch ? 0 : Math.max(0, Math.floor(waitUs / 1000));
    setTimer(tick, delayMs);
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

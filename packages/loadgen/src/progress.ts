/**
 * Live progress while a run goes on: one refreshing status line on a TTY, plain periodic lines
 * otherwise (CI logs stay readable: one line per interval instead of thousands of `\r` frames).
 *
 * Invariant: progress only reads `live()` snapshots; it never changes what is measured, and it
 * stops writing when `stop()` returns (the final summary starts on a clean line).
 */
import type { LiveSnapshot } from './metrics/live-snapshot.js';
import { DEFAULT_LATE_THRESHOLD_US } from './schedule/pacer.js';

export interface ProgressOptions {
  live: () => LiveSnapshot;
  /** Raw write (no newline added). */
  write: (text: string) => void;
  isTTY: boolean;
  /** Refresh interval on a TTY. @default 500 */
  ttyIntervalMs?: number;
  /** Interval of plain lines when not a TTY. @default 10000 */
  plainIntervalMs?: number;
  /** Called before each refresh (e.g. to feed producer metrics to the recorder). */
  beforeRefresh?: () => void;
  /**
   * The schedule's view: the target rate now, and how far in the past the intended time of the
   * next unsent record lies (0 when on time). Shown instead of the snapshot's send-based target,
   * so a process that falls behind says so.
   */
  schedule?: () => ScheduleView;
}

export interface ScheduleView {
  targetRate: number;
  behindMs: number;
}

export interface Progress {
  stop(): void;
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function ms(value: number): string {
  if (!Number.isFinite(value) || value <= 0) return '-';
  return value >= 1000 ? `${(value / 1000).toFixed(2)}s` : `${value.toFixed(value < 10 ? 1 : 0)}ms`;
}

/** `[  12s] 4,980/5,000 rec/s · in flight 312 · throttled 3 · publish p50 12ms p99 48ms · …` */
export function formatProgressLine(snapshot: LiveSnapshot, schedule?: ScheduleView): string {
  const elapsed = `${Math.floor(snapshot.elapsedMs / 1000)}s`.padStart(5);
  const targetRate = schedule?.targetRate ?? snapshot.targetRate;
  // A tick is ~1 ms; as far behind as the default late threshold is worth showing.
  const behind = schedule !== undefined && schedule.behindMs >= DEFAULT_LATE_THRESHOLD_US / 1000 ? ` (behind by ${ms(schedule.behindMs)})` : '';
  return [
    `[${elapsed}] ${count.format(snapshot.achievedRate)}/${count.format(targetRate)} rec/s${behind}`,
    `in flight ${count.format(snapshot.inFlight)}`,
    `failed ${count.format(snapshot.failed)}`,
    `throttled ${count.format(snapshot.throttledAttempts)}`,
    `publish p50 ${ms(snapshot.publishP50Ms)} p99 ${ms(snapshot.publishP99Ms)}`,
    `e2e p50 ${ms(snapshot.endToEndP50Ms)} p99 ${ms(snapshot.endToEndP99Ms)}`,
    `lag ${count.format(snapshot.consumerBacklog)} rec, iterator age ${ms(snapshot.iteratorAgeMs)}`,
  ].join(' · ');
}

export function startProgress(options: ProgressOptions): Progress {
  const { live, write, isTTY, beforeRefresh } = options;
  const intervalMs = isTTY ? (options.ttyIntervalMs ?? 500) : (options.plainIntervalMs ?? 10_000);
  let drawn = false;
  const refresh = (): void => {
    beforeRefresh?.();
    const line = formatProgressLine(live(), options.schedule?.());
    if (isTTY) {
      // \r + erase-to-end-of-line redraws in place without scrolling.
      write(`\r${line}\x1b[K`);
      drawn = true;
    } else {
      write(`${line}\n`);
    }
  };
  const timer = setInterval(refresh, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (drawn) write('\n');
      drawn = false;
    },
  };
}

/**
 * Messages between the main thread of `loadgen run --workers N` and its sending threads.
 *
 * Invariants: nothing is posted per record. A thread posts every PROGRESS_INTERVAL_MS the seqs it
 * settled since its last post (a Uint32Array, transferred, not copied: 4 bytes per record, so
 * 50,000 records/s cost 200 KB/s), its schedule position and, when asked, its live snapshot; at the end one `done` with its
 * producer-side result (encoded histograms, counts, intervals). Every seq a thread settles is in
 * exactly one `progress` post, and the last `progress` precedes `done`.
 */
import type { LiveSnapshot } from '../metrics/live-snapshot.js';
import type { FailedSeq } from '../metrics/run-recorder.js';
import type { RunResult } from '../metrics/run-result.js';
import type { ScheduleView } from '../progress.js';
import type { ScenarioOverrides } from '../scenario/overrides.js';
import type { WorkerPart } from '../schedule/part-schedule.js';
import type { ClientTarget } from '../commands/run-target.js';
import type { SendOutcome } from '../commands/sending.js';

/** How often a thread reports its settled seqs and live view. */
export const PROGRESS_INTERVAL_MS = 100;

/** `workerData` of a sending thread. */
export interface SendWorkerData {
  /** The scenario file and the flags, so the thread builds the same scenario, generator included. */
  file: string;
  overrides: ScenarioOverrides;
  runId: string;
  /** The thread's share of the unsplit run. */
  part: WorkerPart;
  target: ClientTarget;
  /** Start of the run's interval grid, wall-clock µs (shared by every recorder of the run). */
  originUs: number;
}

/**
 * `live` asks for the thread's live snapshot in its next `progress` post: building one sums
 * histograms of ~23k counters (milliseconds of work), so a thread does it only when a progress
 * line is about to be drawn, never on its own (at 100 ms it would stall the pacer 10–20 ms in every
 * 250 ms and show up as p99 send delay).
 */
export type ToWorker = { type: 'start'; startUs: number } | { type: 'live' } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; acked: Uint32Array; failed: FailedSeq[]; live?: LiveSnapshot | undefined; schedule: ScheduleView }
  | { type: 'done'; outcome: SendOutcome; result: RunResult }
  | { type: 'error'; message: string; stack?: string | undefined; code?: string | undefined };

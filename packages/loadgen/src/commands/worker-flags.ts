/**
 * The flags that split a run: `--worker-index i --worker-count N` (this process sends part i of N
 * of the unsplit run; the N results merge with `loadgen merge`) and `--workers T` (this process
 * sends its share from T worker threads and reports once).
 *
 * Invariant: a bad combination is a `ScenarioError` naming the flag (exit 2) before anything is
 * read or sent: both of index and count or neither, integers, 0 ≤ i < N, 1 ≤ T ≤ 64.
 */
import { ScenarioError } from '../scenario/scenario-error.js';
import { WHOLE_RUN, type WorkerPart } from '../schedule/part-schedule.js';

/** Worker threads per process at most: far beyond the cores a load generator host has. */
export const MAX_WORKER_THREADS = 64;

export interface WorkerFlags {
  workerIndex?: number | undefined;
  workerCount?: number | undefined;
  workers?: number | undefined;
}

export interface WorkerPlan {
  /** This process's share of the unsplit run. */
  part: WorkerPart;
  /** Whether the run is one part of several (`--worker-count` > 1 or given at all). */
  split: boolean;
  /** Worker threads sending this process's share; 1 = send from the main thread as always. */
  threads: number;
}

const isCount = (value: number): boolean => Number.isInteger(value) && value >= 1;

export function parseWorkerFlags({ workerIndex, workerCount, workers }: WorkerFlags): WorkerPlan {
  if ((workerIndex === undefined) !== (workerCount === undefined)) {
    const [given, missing] = workerIndex === undefined ? ['--worker-count', '--worker-index'] : ['--worker-index', '--worker-count'];
    throw new ScenarioError(`Expected ${missing} together with ${given}, got ${given} alone`, { fieldPath: missing });
  }
  if (workerCount !== undefined && !isCount(workerCount)) {
    throw new ScenarioError(`Expected an integer ≥ 1, got ${String(workerCount)}`, { fieldPath: '--worker-count' });
  }
  if (workerIndex !== undefined && (!Number.isInteger(workerIndex) || workerIndex < 0 || workerIndex >= (workerCount ?? 1))) {
    throw new ScenarioError(`Expected an integer ≥ 0 and < --worker-count (${String(workerCount)}), got ${String(workerIndex)}`, { fieldPath: '--worker-index' });
  }
  if (workers !== undefined && (!isCount(workers) || workers > MAX_WORKER_THREADS)) {
    throw new ScenarioError(`Expected an integer from 1 to ${MAX_WORKER_THREADS}, got ${String(workers)}`, { fieldPath: '--workers' });
  }
  const part = workerIndex === undefined || workerCount === undefined ? WHOLE_RUN : { index: workerIndex, count: workerCount };
  return { part, split: workerCount !== undefined, threads: workers ?? 1 };
}

/** `clickstream-20261126T0150-1a2b3c` → `clickstream-20261126T0150-1a2b3c-w2of4` for part 2 of 4. */
export function partRunId(baseRunId: string, part: WorkerPart): string {
  return `${baseRunId}-w${part.index}of${part.count}`;
}

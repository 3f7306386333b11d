/**
 * The sending half of `loadgen run --workers N` in the main thread: N sending threads, each with
 * its own schedule share, record source, KinesisClient, producer and producer-side recorder; here,
 * one consumer-side recorder per thread (by its run id), the live view and the one result.
 *
 * Invariants:
 * - Thread t sends part t of N of this process's part (the same interleaving as
 *   `--worker-index`), under run id `<runId>-t<t>` with its own seqs, so per-key order is judged
 *   within a thread, like within one producer.
 * - Accounting stays exact without a message per record: each consumed record is routed by its
 *   envelope's run id to its thread's recorder, which learns every ack and failure from the
 *   thread's periodic posts (protocol.ts) and each record's warm-up state from the schedule itself.
 * - The result is each thread's two halves combined (combine-sides.ts), then merged like results
 *   of several machines (merge-results.ts): histograms by their encoded form, counts added. Every
 *   recorder of the run starts its intervals at one origin, so intervals add slot for slot.
 * - A thread that fails or exits before reporting fails the run (exit 1; a user error, exit 2).
 */
import type { Worker } from 'node:worker_threads';
import type { ClientTarget } from '../commands/run-target.js';
import type { PreparedRun } from '../commands/prepare-run.js';
import type { SendingHalf, SendOutcome } from '../commands/sending.js';
import { decodeEnvelope } from '../envelope.js';
import { combineSides } from '../merge/combine-sides.js';
import { mergeResults } from '../merge/merge-results.js';
import { combineLiveSnapshots, combineRunCounts, type LiveSnapshot } from '../metrics/live-snapshot.js';
import { createRunRecorder, type RunRecorder } from '../metrics/run-recorder.js';
import type { RunResult } from '../metrics/run-result.js';
import type { ScheduleView } from '../progress.js';
import type { ScenarioOverrides } from '../scenario/overrides.js';
import { composeParts, unsplitIndex, type WorkerPart } from '../schedule/part-schedule.js';
import { createWarmupLookup } from '../schedule/warmup-lookup.js';
import type { FromWorker, SendWorkerData, ToWorker } from './protocol.js';
import { spawnSendWorker } from './spawn-send-worker.js';

export type SpawnSendWorker = (data: SendWorkerData) => Worker;

export interface ThreadedSendingOptions {
  prepared: PreparedRun;
  file: string;
  overrides: ScenarioOverrides;
  /** Run id of this process's part; threads append `-t<t>`. */
  runId: string;
  part: WorkerPart;
  threads: number;
  target: ClientTarget;
  /** Wall-clock µs. */
  now: () => number;
  /** @default spawnSendWorker */
  spawn?: SpawnSendWorker | undefined;
}

interface Thread {
  runId: string;
  part: WorkerPart;
  worker: Worker;
  /** The consumer side of the thread's records. */
  consumer: RunRecorder;
  producerLive: LiveSnapshot | undefined;
  schedule: ScheduleView | undefined;
  done: { outcome: SendOutcome; result: RunResult } | undefined;
  ready: Promise<void>;
  finished: Promise<void>;
}

export async function createThreadedSending(options: ThreadedSendingOptions): Promise<SendingHalf> {
  const { scenario } = options.prepared;
  const spawn = options.spawn ?? spawnSendWorker;
  const originUs = options.now();
  // One walk of this process's part for every thread: thread t's seq s is the part's seq t + s·T.
  const warmupOfPart = createWarmupLookup(scenario.phases, scenario.seed, options.part);
  const threads = Array.from({ length: options.threads }, (_, t) => {
    const part = composeParts(options.part, { index: t, count: options.threads });
    const runId = `${options.runId}-t${t}`;
    const thread: WorkerPart = { index: t, count: options.threads };
    const consumer = createRunRecorder({
      runId,
      startedAtUs: originUs,
      intervalMs: scenario.run.reportIntervalMs,
      now: options.now,
      intervalHistograms: true,
      isWarmup: (seq) => warmupOfPart(unsplitIndex(thread, seq)),
    });
    return watch(runId, part, consumer, spawn({ file: options.file, overrides: options.overrides, runId, part, target: options.target, originUs }));
  });
  const terminate = (): Promise<unknown> => Promise.all(threads.map((t) => t.worker.terminate()));
  try {
    await Promise.all(threads.map((t) => t.ready));
  } catch (error) {
    await terminate();
    throw error;
  }
  const first = threads[0] as Thread;
  const byRunId = new Map(threads.map((t) => [t.runId, t]));
  const post = (message: ToWorker): void => {
    for (const t of threads) t.worker.postMessage(message);
  };
  return {
    start: (startUs) => post({ type: 'start', startUs }),
    onConsumedData(data, meta) {
      const envelope = decodeEnvelope(data);
      // Records of no thread (another run, no envelope) count as foreign, once, in thread 0.
      if (envelope === undefined) first.consumer.onConsumedData(data, meta);
      else (byRunId.get(envelope.runId) ?? first).consumer.onConsumed(envelope, meta);
    },
    live: () =>
      combineLiveSnapshots(
        threads.flatMap((t) => (t.producerLive === undefined ? [] : [t.producerLive])),
        threads.map((t) => t.consumer.live()),
      ),
    counts: () => combineRunCounts(threads.map((t) => t.consumer.counts())),
    scheduleView: () => ({
      targetRate: threads.reduce((n, t) => n + (t.schedule?.targetRate ?? 0), 0),
      behindMs: Math.max(0, ...threads.map((t) => t.schedule?.behindMs ?? 0)),
    }),
    // The threads' snapshots arrive with their next progress post (≤ 100 ms): the line drawn now
    // shows the previous ones.
    beforeRefresh: () => post({ type: 'live' }),
    stop: () => post({ type: 'stop' }),
    async finished() {
      await Promise.all(threads.map((t) => t.finished));
      const outcomes = threads.map((t) => (t.done as { outcome: SendOutcome }).outcome);
      const sum = (f: (o: SendOutcome) => number): number => outcomes.reduce((n, o) => n + f(o), 0);
      return {
        paced: {
          sent: sum((o) => o.paced.sent),
          late: sum((o) => o.paced.late),
          maxDelayUs: Math.max(...outcomes.map((o) => o.paced.maxDelayUs)),
          blockedTicks: sum((o) => o.paced.blockedTicks),
        },
        unsentRecords: sum((o) => o.unsentRecords),
      };
    },
    finish(extra) {
      const parts = threads.map((t) => combineSides((t.done as { result: RunResult }).result, t.consumer.finish()));
      const merged = mergeResults(parts, { runId: options.runId });
      merged.meta = { ...extra.meta, threads: threads.map((t) => t.runId) };
      if (extra.consumer !== undefined) merged.consumer = extra.consumer;
      return merged;
    },
    close: async () => void (await terminate()),
  };
}

function watch(runId: string, part: WorkerPart, consumer: RunRecorder, worker: Worker): Thread {
  const ready = deferred();
  const finished = deferred();
  const fail = (error: Error): void => {
    ready.reject(error);
    finished.reject(error);
  };
  // Either may be awaited first; neither rejection goes unhandled.
  ready.promise.catch(() => undefined);
  finished.promise.catch(() => undefined);
  const thread: Thread = { runId, part, worker, consumer, producerLive: undefined, schedule: undefined, done: undefined, ready: ready.promise, finished: finished.promise };
  worker.on('message', (message: FromWorker) => {
    switch (message.type) {
      case 'ready':
        ready.resolve();
        break;
      case 'progress':
        thread.consumer.onSettledElsewhere(message.acked, message.failed);
        if (message.live !== undefined) thread.producerLive = message.live;
        thread.schedule = message.schedule;
        break;
      case 'done':
        thread.done = { outcome: message.outcome, result: message.result };
        finished.resolve();
        break;
      case 'error':
        fail(Object.assign(new Error(message.message), { code: message.code, stack: message.stack ?? message.message }));
        break;
    }
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => {
    if (thread.done === undefined) fail(new Error(`Expected sending thread ${runId} to report its result, but it exited with code ${code}`));
  });
  return thread;
}

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve: () => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The body of a sending thread of `loadgen run --workers N` (the entry, send-worker.ts, binds it to
 * the thread's port and the shardline producer): builds the scenario from the same file and flags,
 * creates its own KinesisClient and producer for the target the main thread opened, and runs the
 * in-process sending half for its part; the consumer and the report stay in the main thread.
 *
 * Invariants: the thread posts only what protocol.ts allows (no message per record); every seq
 * it acks or fails is posted once, before `done`; an error before or during sending is posted as
 * `error` with its code, so a user error still exits 2.
 */
import type { MessagePort } from 'node:worker_threads';
import { nowUs } from '../clock.js';
import { prepareRun } from '../commands/prepare-run.js';
import { createTargetClient } from '../commands/run-target.js';
import { createInProcessSending, type CreateProducer } from '../commands/sending.js';
import { createRunRecorder, type FailedSeq, type RunRecorder } from '../metrics/run-recorder.js';
import { PROGRESS_INTERVAL_MS, type FromWorker, type SendWorkerData, type ToWorker } from './protocol.js';

/** Runs the thread's part and reports on `port`; never rejects (a failure is posted as `error`). */
export async function runSendThreadReporting(port: MessagePort, data: SendWorkerData, createProducer: CreateProducer): Promise<void> {
  try {
    await runSendThread(port, data, createProducer);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message: FromWorker = {
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
      code: typeof code === 'string' ? code : undefined,
    };
    port.postMessage(message);
  }
}

async function runSendThread(port: MessagePort, data: SendWorkerData, createProducer: CreateProducer): Promise<void> {
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  // The main thread has validated everything already; a sending thread needs no samples and no handler.
  const prepared = await prepareRun(data.file, data.overrides, { sampleCount: 0, loadHandler: false });
  const client = createTargetClient(data.target);
  const base = createRunRecorder({ runId: data.runId, intervalMs: prepared.scenario.run.reportIntervalMs, now: nowUs, intervalHistograms: true, startedAtUs: data.originUs });
  let acked: number[] = [];
  let failed: FailedSeq[] = [];
  // The thread's recorder, also noting which seqs settled since the last post.
  const recorder: RunRecorder = {
    ...base,
    onAcked(seq, intendedUs, sentUs, ackUs, result, partitionKey, measured) {
      base.onAcked(seq, intendedUs, sentUs, ackUs, result, partitionKey, measured);
      acked.push(seq);
    },
    onFailed(seq, intendedUs, error, measured) {
      base.onFailed(seq, intendedUs, error, measured);
      failed.push({ seq, code: error.code, message: error.message });
    },
  };
  const sending = await createInProcessSending({
    prepared,
    file: data.file,
    runId: data.runId,
    part: data.part,
    client,
    createProducer,
    now: nowUs,
    recorder,
  });
  let liveWanted = false;
  const startUs = await new Promise<number>((resolve) => {
    port.on('message', (message: ToWorker) => {
      if (message.type === 'start') resolve(message.startUs);
      else if (message.type === 'live') liveWanted = true;
      else sending.stop();
    });
    post({ type: 'ready' });
  });
  sending.start(startUs);
  const report = (): void => {
    let live;
    if (liveWanted) {
      sending.beforeRefresh();
      live = sending.live();
      liveWanted = false;
    }
    const seqs = Uint32Array.from(acked);
    post({ type: 'progress', acked: seqs, failed, live, schedule: sending.scheduleView() }, [seqs.buffer]);
    acked = [];
    failed = [];
  };
  const timer = setInterval(report, PROGRESS_INTERVAL_MS);
  const outcome = await sending.finished();
  clearInterval(timer);
  report();
  post({ type: 'done', outcome, result: sending.finish({ meta: {} }) });
  await sending.close();
  client.destroy();
  port.removeAllListeners('message');
}

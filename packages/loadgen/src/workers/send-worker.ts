/**
 * A sending thread of `loadgen run --workers N`: builds the scenario from the same file and flags,
 * creates its own KinesisClient and producer for the target the main thread opened, and runs the
 * in-process sending half for its part; the consumer and the report stay in the main thread.
 *
 * Invariants: the thread posts only what protocol.ts allows (no message per record); every seq
 * it acks or fails is posted once, before `done`; an error before or during sending is posted as
 * `error` with its code, so a user error still exits 2.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createProducer } from '@shardline/producer';
import { nowUs } from '../clock.js';
import { prepareRun } from '../commands/prepare-run.js';
import { createTargetClient } from '../commands/run-target.js';
import type { ProducerLike } from '../commands/send-loop.js';
import { createInProcessSending } from '../commands/sending.js';
import { createRunRecorder, type FailedSeq, type RunRecorder } from '../metrics/run-recorder.js';
import { PROGRESS_INTERVAL_MS, type FromWorker, type SendWorkerData, type ToWorker } from './protocol.js';

if (parentPort === null) throw new Error('Expected to run as a worker thread');
const port = parentPort;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

async function main(data: SendWorkerData): Promise<void> {
  const prepared = await prepareRun(data.file, data.overrides);
  const client = createTargetClient(data.target);
  const base = createRunRecorder({ runId: data.runId, intervalMs: prepared.scenario.run.reportIntervalMs, now: nowUs, intervalHistograms: true, startedAtUs: data.originUs });
  let acked: number[] = [];
  let failed: FailedSeq[] = [];
  // The thread's recorder, also noting which seqs settled since the last post.
  const recorder: RunRecorder = {
    ...base,
    onAcked(seq, ...rest) {
      base.onAcked(seq, ...rest);
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
    createProducer: (options) => createProducer(options) as ProducerLike,
    now: nowUs,
    recorder,
  });
  const startUs = await new Promise<number>((resolve) => {
    port.on('message', (message: ToWorker) => {
      if (message.type === 'start') resolve(message.startUs);
      else sending.stop();
    });
    post({ type: 'ready' });
  });
  sending.start(startUs);
  const report = (): void => {
    sending.beforeRefresh();
    const seqs = Uint32Array.from(acked);
    post({ type: 'progress', acked: seqs, failed, live: sending.live(), schedule: sending.scheduleView() }, [seqs.buffer]);
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

main(workerData as SendWorkerData).catch((error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  post({
    type: 'error',
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
    code: typeof code === 'string' ? code : undefined,
  });
});

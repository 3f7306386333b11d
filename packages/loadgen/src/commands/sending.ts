/**
 * The sending half of a run, behind one interface whether it runs in this thread or in worker
 * threads (workers/threaded-sending.ts): schedule → record source → producer → recorder, plus the
 * consumer-side sink the run's consumer feeds and the live view progress reads.
 *
 * Invariants: `start` is called once, after the consumer is ready; `finished` resolves once
 * sending is over (schedule exhausted or `stop()`) and every sent record is acked or failed, so the
 * drain that follows sees every ack; `finish` is called after `finished` and returns the one result
 * of this process's part.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createRunRecorder, type ConsumedMeta, type RunRecorder } from '../metrics/run-recorder.js';
import type { LiveSnapshot, RunCounts } from '../metrics/live-snapshot.js';
import type { RunResult } from '../metrics/run-result.js';
import type { ScheduleView } from '../progress.js';
import { forkRandom } from '../random.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import type { Scenario } from '../scenario/schema.js';
import type { PacerStats } from '../schedule/pacer.js';
import { createPartSchedule, type WorkerPart } from '../schedule/part-schedule.js';
import { createSchedule } from '../schedule/schedule.js';
import { expectedRecords } from './describe-scenario.js';
import type { PreparedRun } from './prepare-run.js';
import { startSendLoop, type ProducerLike, type SendLoop } from './send-loop.js';

/** What the pacer(s) did, summed over threads. */
export interface SendOutcome {
  paced: PacerStats;
  /** Records the schedule still held when sending stopped (Ctrl-C), 0 when it ran to the end. */
  unsentRecords: number;
}

export interface SendingHalf {
  /** Starts sending; `startUs` is the wall-clock µs of the schedule's offset 0. */
  start(startUs: number): void;
  /** The consumer hands every record it reads here. */
  onConsumedData(data: Uint8Array, meta: ConsumedMeta): void;
  live(): LiveSnapshot;
  /** Acked, consumed, backlog and iterator age only: what the drain and backlog pollers read. */
  counts(): RunCounts;
  scheduleView(): ScheduleView;
  /** Called before each progress refresh (and before `finish`): takes the producer's metrics. */
  beforeRefresh(): void;
  /** Stops sending (Ctrl-C); what was sent is still settled. */
  stop(): void;
  finished(): Promise<SendOutcome>;
  finish(extra: { meta: Record<string, unknown>; consumer?: unknown }): RunResult;
  close(): Promise<void>;
}

export type CreateProducer = (options: Record<string, unknown> & { streamName: string; client: KinesisClient }) => ProducerLike;

/** Records the schedule intends for a part (fractional; see expectedRecords). */
export function expectedPartRecords(scenario: Scenario, part: WorkerPart): number {
  return expectedRecords(scenario) / part.count;
}

/** A producer option the producer rejected becomes a scenario error at `producer.<option>`'s line. */
export function producerOptionError(error: unknown, prepared: PreparedRun, file: string): unknown {
  const option = (error as { code?: string; option?: string }).code === 'ERR_INVALID_OPTION' ? (error as { option?: string }).option : undefined;
  if (option === undefined) return error;
  const line = prepared.loaded.lineOf(['producer', option]) ?? prepared.loaded.lineOf(['producer']);
  return new ScenarioError((error as Error).message, { file, line, fieldPath: `producer.${option}` }, { cause: error });
}

export interface InProcessSendingOptions {
  prepared: PreparedRun;
  file: string;
  runId: string;
  part: WorkerPart;
  client: KinesisClient;
  createProducer: CreateProducer;
  /** Wall-clock µs. */
  now: () => number;
  /** Records both sides. @default a new recorder for `runId` */
  recorder?: RunRecorder | undefined;
}

/** The sending half in this thread: one producer, one recorder for both sides (the default). */
export async function createInProcessSending(options: InProcessSendingOptions): Promise<SendingHalf> {
  const { prepared, runId, part, now } = options;
  const { scenario } = prepared;
  let producer: ProducerLike;
  try {
    producer = options.createProducer({ ...scenario.producer, streamName: scenario.stream.name, client: options.client });
  } catch (error) {
    throw producerOptionError(error, prepared, options.file);
  }
  const recorder = options.recorder ?? createRunRecorder({ runId, intervalMs: scenario.run.reportIntervalMs, now });
  const source = await prepared.createSource(runId, part);
  const schedule = createPartSchedule(createSchedule(scenario.phases, forkRandom(scenario.seed, 'arrivals')), part);
  let loop: SendLoop | undefined;
  let startUs = 0;
  return {
    start(at) {
      startUs = at;
      loop = startSendLoop({ schedule, source, producer, recorder, now, startUs, maxInFlightRecords: scenario.run.maxInFlightRecords, lateThresholdUs: scenario.run.lateThresholdMs * 1000 });
    },
    onConsumedData: (data, meta) => recorder.onConsumedData(data, meta),
    live: () => recorder.live(),
    counts: () => recorder.counts(),
    scheduleView() {
      const offsetUs = now() - startUs;
      return { targetRate: schedule.rateAt(offsetUs), behindMs: Math.max(0, (offsetUs - schedule.peekOffsetUs()) / 1000) };
    },
    beforeRefresh: () => recorder.onProducerMetrics(producer.metrics()),
    stop: () => loop?.pacer.stop(),
    async finished() {
      if (loop === undefined) throw new Error('Expected start() before finished()');
      const paced = await loop.pacer.done;
      await producer.flush();
      await loop.settled();
      recorder.onProducerMetrics(producer.metrics());
      const expected = Math.round(expectedPartRecords(scenario, part));
      return { paced, unsentRecords: schedule.peekOffsetUs() === Infinity ? 0 : Math.max(0, expected - paced.sent) };
    },
    finish: (extra) => recorder.finish(extra),
    close: () => producer.close(),
  };
}

/**
 * `loadgen run FILE`: replays a scenario through producer → stream → consumer and reports.
 *
 * Order of a run: validate everything (prepareRun; exit 2 on a user error, nothing sent) → open
 * the target and the stream → create the producer from the scenario's `producer:` block → start
 * the consumer → drive the schedule → flush → drain the consumer (until every acked record is
 * consumed or `run.drainTimeout` passes) → stop everything → finish the result, evaluate the
 * thresholds → write the report → exit 0, 99 (thresholds failed) or 130 (interrupted).
 *
 * Invariants: the first Ctrl-C stops sending and still flushes, drains and reports; a second one
 * exits at once. Every resource started here is stopped in `finally`, also on a crash.
 */
import { randomBytes } from 'node:crypto';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { EventSourceMapping, EventSourceMappingOptions } from '../consumer/event-source-mapping.js';
import { createRunRecorder } from '../metrics/run-recorder.js';
import type { RunResult } from '../metrics/run-result.js';
import { evaluateThresholds } from '../metrics/thresholds.js';
import { writeHtmlReport } from '../report/html/write-html-report.js';
import { startProgress } from '../progress.js';
import { forkRandom } from '../random.js';
import { parseDurationMs } from '../scenario/duration.js';
import type { ScenarioOverrides } from '../scenario/overrides.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { createSchedule } from '../schedule/schedule.js';
import { describeScenario, expectedRecords } from './describe-scenario.js';
import { prepareRun } from './prepare-run.js';
import { openTarget, type StartLocalKinesis } from './run-target.js';
import { startSendLoop, type ProducerLike } from './send-loop.js';
import type { CommandIo } from './validate.js';

export const ExitCode = { Ok: 0, Crash: 1, UserError: 2, ThresholdsFailed: 99, Interrupted: 130 } as const;

export interface RunArgs extends ScenarioOverrides {
  scenario: string;
  /** Directory for result.json and the histograms. */
  out?: string | undefined;
  /** Also write the self-contained HTML report to this file. */
  report?: string | undefined;
  /** Print result.json to stdout (progress and summary go to stderr). */
  json?: boolean | undefined;
  /** Overrides `run.drainTimeout`. */
  drainTimeout?: string | undefined;
  /** No live progress. */
  quiet?: boolean | undefined;
}

export interface RunDeps {
  createProducer: (options: Record<string, unknown> & { streamName: string; client: KinesisClient }) => ProducerLike;
  startLocalKinesis: StartLocalKinesis;
  startConsumer: (options: EventSourceMappingOptions) => Promise<EventSourceMapping>;
  /** Writes the summary, result.json and histograms. */
  report: (result: RunResult, options: { out: string | undefined; json: boolean; io: CommandIo }) => Promise<void>;
  /** Wall-clock µs. */
  now: () => number;
  io: CommandIo & { progress: (text: string) => void; isTTY: boolean };
  /** Subscribes to Ctrl-C; returns an unsubscribe function. */
  onInterrupt: (listener: () => void) => () => void;
  /** Exits the process at once (second Ctrl-C). */
  exit: (code: number) => void;
}

export async function runCommand(args: RunArgs, deps: RunDeps): Promise<number> {
  const prepared = await prepareRun(args.scenario, args);
  const { scenario } = prepared;
  let drainTimeoutMs = scenario.run.drainTimeoutMs;
  if (args.drainTimeout !== undefined) {
    const parsed = parseDurationMs(args.drainTimeout);
    if (parsed === undefined) throw new ScenarioError(`Expected a duration like "30s", got ${JSON.stringify(args.drainTimeout)}`, { fieldPath: '--drain-timeout' });
    drainTimeoutMs = parsed;
  }
  const runId = `${scenario.name}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  const { io, now } = deps;
  io.stderr(`loadgen run ${args.scenario} — run ${runId}`);
  for (const line of describeScenario(scenario)) io.stderr(`  ${line}`);

  const cleanups: (() => Promise<void>)[] = [];
  let interrupted = false;
  const unsubscribe = deps.onInterrupt(() => {
    if (interrupted) deps.exit(ExitCode.Interrupted);
    interrupted = true;
    io.stderr('\nInterrupted: stopping the send, draining and writing the report (Ctrl-C again to quit at once)');
    loop?.pacer.stop();
  });
  let loop: ReturnType<typeof startSendLoop> | undefined;
  let progress: ReturnType<typeof startProgress> | undefined;
  try {
    const target = await openTarget(scenario, deps.startLocalKinesis);
    cleanups.push(() => target.close());
    if (target.shardCount !== scenario.stream.shards) io.stderr(`  note       stream exists with ${target.shardCount} open shards; using it as it is`);
    let producer: ProducerLike;
    try {
      producer = deps.createProducer({ ...scenario.producer, streamName: scenario.stream.name, client: target.client });
    } catch (error) {
      const option = (error as { code?: string; option?: string }).code === 'ERR_INVALID_OPTION' ? (error as { option?: string }).option : undefined;
      if (option === undefined) throw error;
      const fieldPath = `producer.${option}`;
      throw new ScenarioError((error as Error).message, { file: args.scenario, line: prepared.loaded.lineOf(['producer', option]) ?? prepared.loaded.lineOf(['producer']), fieldPath }, { cause: error });
    }
    cleanups.unshift(() => producer.close());
    const recorder = createRunRecorder({ runId, intervalMs: scenario.run.reportIntervalMs, now });
    let consumer: EventSourceMapping | undefined;
    if (scenario.consumer.enabled) {
      const { enabled: _enabled, handler: _handler, stream: outputStream, ...config } = scenario.consumer;
      consumer = await deps.startConsumer({
        client: target.client,
        // A deployed pipeline's output stream when given, else the stream the producer writes.
        streamName: outputStream ?? scenario.stream.name,
        config,
        ...(prepared.handler === undefined ? {} : { handler: prepared.handler }),
        onRecords: (records) => {
          for (const r of records) {
            const meta = { receivedUs: r.receivedUs, arrivalUs: r.arrivalUs, shardId: r.shardId, sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey, redelivery: r.redelivery };
            recorder.onConsumedData(r.data, r.subSequenceNumber === undefined ? meta : { ...meta, subSequenceNumber: r.subSequenceNumber });
          }
        },
        now,
        region: target.region,
      });
      const started = consumer;
      cleanups.unshift(() => started.stop());
    }

    const source = await prepared.createSource(runId);
    const schedule = createSchedule(scenario.phases, forkRandom(scenario.seed, 'arrivals'));
    // A short lead lets the first tick find the loop idle instead of starting 1–2 ms late.
    const startUs = now() + 20_000;
    progress = args.quiet === true ? undefined : startProgress({
      live: () => recorder.live(),
      write: io.progress,
      isTTY: io.isTTY,
      plainIntervalMs: scenario.run.reportIntervalMs,
      beforeRefresh: () => recorder.onProducerMetrics(producer.metrics()),
      schedule: () => {
        const offsetUs = now() - startUs;
        return { targetRate: schedule.rateAt(offsetUs), behindMs: Math.max(0, (offsetUs - schedule.peekOffsetUs()) / 1000) };
      },
    });
    loop = startSendLoop({ schedule, source, producer, recorder, now, startUs, maxInFlightRecords: scenario.run.maxInFlightRecords, lateThresholdUs: scenario.run.lateThresholdMs * 1000 });
    const paced = await loop.pacer.done;
    await producer.flush();
    await loop.settled();
    let drained = true;
    if (consumer !== undefined) {
      drained = await consumer.drain({ until: () => recorder.live().consumerBacklog === 0, timeoutMs: drainTimeoutMs });
    }
    progress?.stop();
    recorder.onProducerMetrics(producer.metrics());
    for (const cleanup of cleanups.splice(0)) await cleanup();
    const result = recorder.finish({
      meta: {
        scenario: scenario.name,
        file: args.scenario,
        seed: scenario.seed,
        target: scenario.target,
        stream: { ...scenario.stream, shards: target.shardCount },
        phases: scenario.phases,
        schedule: { expectedRecords: Math.round(expectedRecords(scenario)), sentRecords: paced.sent, lateRecords: paced.late, maxSendDelayUs: paced.maxDelayUs, unsentRecords: schedule.peekOffsetUs() === Infinity ? 0 : Math.max(0, Math.round(expectedRecords(scenario)) - paced.sent) },
        interrupted,
        drained,
        drainTimeoutMs,
      },
      ...(consumer === undefined ? {} : { consumer: consumer.stats() }),
    });
    result.thresholds = evaluateThresholds(prepared.thresholds, result);
    if (!drained) io.stderr(`Consumer did not catch up within ${drainTimeoutMs} ms; unconsumed records count as lost`);
    await deps.report(result, { out: args.out, json: args.json === true, io });
    if (args.report !== undefined) io.stderr(`HTML report written to ${await writeHtmlReport(result, args.report)}`);
    if (interrupted) return ExitCode.Interrupted;
    return result.thresholds.every((outcome) => outcome.ok) ? ExitCode.Ok : ExitCode.ThresholdsFailed;
  } finally {
    progress?.stop();
    unsubscribe();
    loop?.pacer.stop();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/**
 * `loadgen run FILE`: replays a scenario through producer → stream → consumer and reports.
 *
 * Order of a run: validate everything (prepareRun; exit 2 on a user error, nothing sent) → open
 * the target and the stream → create the producer from the scenario's `producer:` block → start
 * the consumer (in backlog mode only once `consumer.backlog.records` acked records wait, or the
 * phases end) → drive the schedule → flush → drain the consumer (until every acked record is
 * consumed or `run.drainTimeout` passes) → stop everything → finish the result, evaluate the
 * thresholds → write the report → exit 0, 99 (thresholds failed) or 130 (interrupted).
 *
 * Invariants: the first Ctrl-C stops sending and still flushes, drains and reports; a second one
 * exits at once. Every resource started here is stopped in `finally`, also on a crash.
 *
 * Splitting: `--worker-index i --worker-count N` sends part i of N of the unsplit run (records i,
 * i+N, … at their unsplit times and with their unsplit keys) under run id `<id>-w<i>of<N>`, so the
 * N results merge into the unsplit run's counts; `--workers T` sends this process's share from T
 * threads (sending.ts, workers/) while the target, the consumer and the report stay here.
 */
import { randomBytes } from 'node:crypto';
import type { EventSourceMapping, EventSourceMappingOptions } from '../consumer/event-source-mapping.js';
import type { RunResult } from '../metrics/run-result.js';
import { createBacklogMonitor, type BacklogMonitor } from '../metrics/backlog-monitor.js';
import { evaluateThresholds } from '../metrics/thresholds.js';
import { writeHtmlReport } from '../report/html/write-html-report.js';
import { startProgress } from '../progress.js';
import { parseDurationMs } from '../scenario/duration.js';
import { pickScenarioOverrides, type ScenarioOverrides } from '../scenario/overrides.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { createThreadedSending, type SpawnSendWorker } from '../workers/threaded-sending.js';
import { describeScenario, describeWorkerPlan } from './describe-scenario.js';
import { prepareRun } from './prepare-run.js';
import { openTarget, type StartLocalKinesis } from './run-target.js';
import { createInProcessSending, expectedPartRecords, type CreateProducer, type SendingHalf } from './sending.js';
import type { CommandIo } from './validate.js';
import { parseWorkerFlags, partRunId, type WorkerFlags } from './worker-flags.js';

export const ExitCode = { Ok: 0, Crash: 1, UserError: 2, ThresholdsFailed: 99, Interrupted: 130 } as const;

export interface RunArgs extends ScenarioOverrides, WorkerFlags {
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
  createProducer: CreateProducer;
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
  /** Starts a sending thread (`--workers` > 1). @default spawnSendWorker */
  spawnSendWorker?: SpawnSendWorker | undefined;
}

/** How often backlog mode checks whether the drain ended and the consumer caught up. */
const BACKLOG_OBSERVE_MS = 50;

export async function runCommand(args: RunArgs, deps: RunDeps): Promise<number> {
  const plan = parseWorkerFlags(args);
  const prepared = await prepareRun(args.scenario, args);
  const { scenario } = prepared;
  let drainTimeoutMs = scenario.run.drainTimeoutMs;
  if (args.drainTimeout !== undefined) {
    const parsed = parseDurationMs(args.drainTimeout);
    if (parsed === undefined) throw new ScenarioError(`Expected a duration like "30s", got ${JSON.stringify(args.drainTimeout)}`, { fieldPath: '--drain-timeout' });
    drainTimeoutMs = parsed;
  }
  const baseRunId = `${scenario.name}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  const runId = plan.split ? partRunId(baseRunId, plan.part) : baseRunId;
  const { io, now } = deps;
  io.stderr(`loadgen run ${args.scenario} — run ${runId}`);
  for (const line of describeScenario(scenario)) io.stderr(`  ${line}`);
  if (plan.split || plan.threads > 1) io.stderr(`  ${describeWorkerPlan(plan)}`);

  const cleanups: (() => Promise<void>)[] = [];
  let interrupted = false;
  let sending: SendingHalf | undefined;
  const unsubscribe = deps.onInterrupt(() => {
    if (interrupted) deps.exit(ExitCode.Interrupted);
    interrupted = true;
    io.stderr('\nInterrupted: stopping the send, draining and writing the report (Ctrl-C again to quit at once)');
    sending?.stop();
  });
  let progress: ReturnType<typeof startProgress> | undefined;
  try {
    const target = await openTarget(scenario, deps.startLocalKinesis);
    cleanups.push(() => target.close());
    if (target.shardCount !== scenario.stream.shards) io.stderr(`  note       stream exists with ${target.shardCount} open shards; using it as it is`);
    const half =
      plan.threads === 1
        ? await createInProcessSending({ prepared, file: args.scenario, runId, part: plan.part, client: target.client, createProducer: deps.createProducer, now })
        : await createThreadedSending({ prepared, file: args.scenario, overrides: pickScenarioOverrides(args), runId, part: plan.part, threads: plan.threads, target: target.clientTarget, now, spawn: deps.spawnSendWorker });
    sending = half;
    cleanups.unshift(() => half.close());
    let consumer: EventSourceMapping | undefined;
    let backlog: BacklogMonitor | undefined;
    const startConsumer = async (): Promise<void> => {
      const { enabled: _enabled, handler: _handler, stream: outputStream, backlog: _backlog, ...config } = scenario.consumer;
      const started = await deps.startConsumer({
        client: target.client,
        // A deployed pipeline's output stream when given, else the stream the producer writes.
        streamName: outputStream ?? scenario.stream.name,
        config,
        ...(prepared.handler === undefined ? {} : { handler: prepared.handler }),
        onRecords: (records) => {
          for (const r of records) {
            const meta = { receivedUs: r.receivedUs, arrivalUs: r.arrivalUs, shardId: r.shardId, sequenceNumber: r.sequenceNumber, partitionKey: r.partitionKey, redelivery: r.redelivery };
            half.onConsumedData(r.data, r.subSequenceNumber === undefined ? meta : { ...meta, subSequenceNumber: r.subSequenceNumber });
            if (!r.redelivery) backlog?.onBytes(r.data.length);
          }
        },
        now,
        region: target.clientTarget.region,
      });
      consumer = started;
      cleanups.unshift(() => started.stop());
    };
    const backlogRecords = scenario.consumer.enabled ? scenario.consumer.backlog?.records : undefined;
    if (scenario.consumer.enabled && backlogRecords === undefined) await startConsumer();

    // A short lead lets the first tick find the loop idle instead of starting 1–2 ms late.
    const startUs = now() + 20_000;
    progress = args.quiet === true ? undefined : startProgress({
      live: () => half.live(),
      write: io.progress,
      isTTY: io.isTTY,
      plainIntervalMs: scenario.run.reportIntervalMs,
      beforeRefresh: () => half.beforeRefresh(),
      schedule: () => half.scheduleView(),
    });
    half.start(startUs);
    if (interrupted) half.stop();
    const sent = half.finished();
    let observing: ReturnType<typeof setInterval> | undefined;
    if (backlogRecords !== undefined) {
      const monitor = createBacklogMonitor(backlogRecords, startUs, now);
      backlog = monitor;
      const reached = await waitForBacklog(() => half.counts().acked >= backlogRecords, sent);
      const waiting = half.counts().consumerBacklog;
      monitor.start(waiting, reached ? 'records' : 'phasesEnded');
      io.stderr(`\nBacklog: ${waiting} acked records waiting; the consumer starts at TRIM_HORIZON`);
      await startConsumer();
      const observe = (): void => {
        const counts = half.counts();
        monitor.observe({ consumed: counts.consumed, backlog: counts.consumerBacklog, iteratorAgeMs: counts.iteratorAgeMs });
      };
      observing = setInterval(observe, BACKLOG_OBSERVE_MS);
    }
    const { paced, unsentRecords } = await sent;
    let drained = true;
    if (consumer !== undefined) {
      const started = consumer;
      drained = await started.drain({ until: () => half.counts().consumerBacklog === 0, timeoutMs: drainTimeoutMs });
    }
    clearInterval(observing);
    if (backlog !== undefined) {
      const counts = half.counts();
      backlog.observe({ consumed: counts.consumed, backlog: counts.consumerBacklog, iteratorAgeMs: counts.iteratorAgeMs });
    }
    progress?.stop();
    half.beforeRefresh();
    const consumerStats = (consumer as EventSourceMapping | undefined)?.stats();
    for (const cleanup of cleanups.splice(0)) await cleanup();
    const result = half.finish({
      meta: {
        scenario: scenario.name,
        file: args.scenario,
        seed: scenario.seed,
        target: scenario.target,
        stream: { ...scenario.stream, shards: target.shardCount },
        phases: scenario.phases,
        schedule: { expectedRecords: Math.round(expectedPartRecords(scenario, plan.part)), sentRecords: paced.sent, lateRecords: paced.late, maxSendDelayUs: paced.maxDelayUs, unsentRecords },
        ...(plan.split ? { worker: plan.part } : {}),
        ...(plan.threads > 1 ? { workers: plan.threads } : {}),
        interrupted,
        drained,
        drainTimeoutMs,
      },
      ...(consumerStats === undefined ? {} : { consumer: consumerStats }),
    });
    if (backlog !== undefined) result.backlog = backlog.report(consumerStats?.maxIteratorAgeMs ?? 0);
    result.thresholds = evaluateThresholds(prepared.thresholds, result);
    if (!drained) io.stderr(`Consumer did not catch up within ${drainTimeoutMs} ms; unconsumed records count as lost`);
    await deps.report(result, { out: args.out, json: args.json === true, io });
    if (args.report !== undefined) io.stderr(`HTML report written to ${await writeHtmlReport(result, args.report)}`);
    if (interrupted) return ExitCode.Interrupted;
    return result.thresholds.every((outcome) => outcome.ok) ? ExitCode.Ok : ExitCode.ThresholdsFailed;
  } finally {
    progress?.stop();
    unsubscribe();
    sending?.stop();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

/** Resolves true once `reached()` holds, false if sending ends first (the phases ran out). */
async function waitForBacklog(reached: () => boolean, sent: Promise<unknown>): Promise<boolean> {
  let over = false;
  void sent.then(
    () => (over = true),
    () => (over = true),
  );
  while (!reached()) {
    if (over) return reached();
    await new Promise((resolve) => setTimeout(resolve, BACKLOG_OBSERVE_MS));
  }
  return true;
}

/**
 * Bench: the sending half of a run on one core — the open-model schedule and pacer, the
 * clickstream generator with zipf keys and envelope encoding, and a producer-shaped no-op sink
 * that acks every put at once — at a fixed target rate. Prints achieved vs target rate, late
 * records, send delay p50/p99/p99.9/max, GC pauses and heap over time, for:
 *   - baseline "setTimeout per record": the naive loop (wait for each record's time, then send);
 *   - "pacer": the tick-batched pacer, measuring only send delay;
 *   - "pacer + recorder": the same, feeding the run recorder as `loadgen run` does.
 * Pass: ≥ 100,000 records/s, achieved within 1% of target, p99 send delay < 5 ms, heap flat.
 *
 * Run: npx tsx packages/loadgen/bench/scheduler.bench.ts [rate=100000] [seconds=10] [variants=baseline,pacer,recorder; also recorder-promise]
 * Each variant runs in a child process of its own, one after the other.
 * `variants` is a comma-separated subset of `baseline,pacer,recorder` (e.g. `recorder` alone for a
 * 10-minute memory run). GC pauses come from `PerformanceObserver` 'gc' entries (the same pauses
 * `--trace-gc` prints); "live heap" is heapUsed sampled right after each mark-compact, the figure
 * that grows when something leaks, while the per-second heap also shows the young-generation sawtooth.
 */
import { fork } from 'node:child_process';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'hdr-histogram-js';
import { nowUs } from '../src/clock.js';
import { startSendLoop, type ProducerLike } from '../src/commands/send-loop.js';
import { createRecordSource, type RecordSource } from '../src/generators/record-source.js';
import { createRunRecorder, type RunRecorder } from '../src/metrics/run-recorder.js';
import { parseScenarioText } from '../src/scenario/load-scenario.js';
import { createRandom } from '../src/random.js';
import { createSchedule } from '../src/schedule/schedule.js';
import { noopProducer } from './noop-producer.js';

const RATE = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 10);
/**
 * A warm-up phase at the same rate before the measured one (OMB's warm-up): its records are sent
 * and accounted but kept out of the send-delay histogram, as a scenario's `warmup` phase is. Until
 * V8 has optimised the hot path (~0.5 s here) a record costs several times more, the pacer falls
 * tens of ms behind, and that alone is > 1% of a 10 s run; its own figures print separately.
 */
const WARMUP_SECONDS = 2;
const VARIANTS = new Set((process.argv[4] ?? 'baseline,pacer,recorder').split(','));
const scenario = parseScenarioText(`name: bench
stream: { name: bench }
records:
  template: clickstream
  partitionKey: { distribution: { zipf: 0.99, keys: 100000 } }
phases: [{ duration: ${WARMUP_SECONDS}s, rate: ${RATE}, warmup: true }, { duration: ${SECONDS}s, rate: ${RATE} }]
`);


interface Outcome {
  name: string;
  sent: number;
  elapsedS: number;
  /** Measured records sent > 10 ms after their intended time. */
  late: number;
  /** Send delay of the measured records, µs. */
  delay: ReturnType<typeof build>;
  /** Send delay of the warm-up records, µs (none for the baseline). */
  warmupDelay?: ReturnType<typeof build>;
  heapMb: number[];
  gc: GcPauses;
  /** CPU time (user + system) of the process per record sent: the machine-load-independent cost. */
  cpuUsPerRecord: number;
}

interface GcPauses {
  scavengeMs: number[];
  markCompactMs: number[];
  otherMs: number[];
  /**
   * Right after each mark-compact: s from the start, heapUsed MB, and ArrayBuffer MB (off-heap:
   * the recorder's bitsets, 1 bit per record per state, and the encoder's slabs live there).
   */
  liveHeapMb: [number, number, number][];
  stop(): void;
}

function observeGc(): GcPauses {
  const startMs = performance.now();
  const gc: GcPauses = { scavengeMs: [], markCompactMs: [], otherMs: [], liveHeapMb: [], stop: () => observer.disconnect() };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.scavengeMs.push(entry.duration);
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.markCompactMs.push(entry.duration);
        const memory = process.memoryUsage();
        gc.liveHeapMb.push([Math.round((entry.startTime - startMs) / 1000), mb(memory.heapUsed), mb(memory.arrayBuffers)]);
      } else gc.otherMs.push(entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return gc;
}

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

function sampleHeap(into: number[]): NodeJS.Timeout {
  return setInterval(() => into.push(mb(process.memoryUsage().heapUsed)), 1000);
}

/** A recorder stand-in that only measures send delay (the "pacer" variant). */
function delayOnlyRecorder(onSent: RunRecorder['onSent']): RunRecorder {
  const nothing = (): void => {};
  return {
    onScheduled: nothing,
    onSent,
    onAcked: nothing,
    onFailed: nothing,
    onConsumed: nothing,
    onConsumedData: nothing,
    onSettledElsewhere: nothing,
    onProducerMetrics: nothing,
    live: () => {
      throw new Error('not used');
    },
    counts: () => {
      throw new Error('not used');
    },
    finish: () => {
      throw new Error('not used');
    },
  };
}

const LATE_US = 10_000;

async function pacerRun(name: string, source: RecordSource, withRecorder: boolean, producer: ProducerLike = noopProducer): Promise<Outcome> {
  const delay = build();
  const warmupDelay = build();
  let late = 0;
  // Warm-up and measured records take the same code here, as in the run recorder: a branch the
  // warm-up never took would deoptimise the send loop it is inlined into at the first measured record.
  const recordDelay = (_seq: number, intendedUs: number, sentUs: number, measured: boolean): void => {
    const delayUs = Math.max(0, sentUs - intendedUs);
    (measured ? delay : warmupDelay).recordValue(delayUs);
    late += measured && delayUs > LATE_US ? 1 : 0;
  };
  const heapMb: number[] = [];
  const real = createRunRecorder({ runId: 'bench', now: nowUs });
  const recorder = withRecorder
    ? { ...real, onSent: (seq: number, intendedUs: number, sentUs: number, measured: boolean) => (recordDelay(seq, intendedUs, sentUs, measured), real.onSent(seq, intendedUs, sentUs, measured)) }
    : delayOnlyRecorder(recordDelay);
  const schedule = createSchedule(scenario.phases, createRandom(1));
  const startUs = nowUs() + 20_000;
  const timer = sampleHeap(heapMb);
  const gc = observeGc();
  const cpuBefore = process.cpuUsage();
  const loop = startSendLoop({ schedule, source, producer, recorder, now: nowUs, startUs, maxInFlightRecords: 200_000, lateThresholdUs: LATE_US });
  const stats = await loop.pacer.done;
  await loop.settled();
  clearInterval(timer);
  gc.stop();
  return { name, sent: stats.sent, elapsedS: (nowUs() - startUs) / 1e6, late, delay, warmupDelay, heapMb, gc, cpuUsPerRecord: cpuPerRecord(cpuBefore, stats.sent) };
}

/** The naive loop: wait with setTimeout until each record is due, then send it. */
async function naiveRun(source: RecordSource, seconds: number): Promise<Outcome> {
  const delay = build();
  const heapMb: number[] = [];
  const timer = sampleHeap(heapMb);
  const gc = observeGc();
  const cpuBefore = process.cpuUsage();
  const schedule = createSchedule([{ ...scenario.phases[1]!, durationMs: seconds * 1000 }], createRandom(1));
  const startUs = nowUs();
  const endUs = startUs + seconds * 1e6;
  let sent = 0;
  let late = 0;
  await new Promise<void>((resolve) => {
    const next = (): void => {
      const offset = schedule.peekOffsetUs();
      // Stop at the end of the wall-clock window: a naive loop never catches up.
      if (offset === Infinity || nowUs() >= endUs) return resolve();
      const intendedUs = startUs + offset;
      setTimeout(() => {
        const seq = schedule.take();
        const record = source.next(seq, intendedUs);
        const sentUs = nowUs();
        void noopProducer.put({ data: record.data, partitionKey: record.partitionKey });
        delay.recordValue(Math.max(0, sentUs - intendedUs));
        if (sentUs - intendedUs > LATE_US) late += 1;
        sent += 1;
        next();
      }, Math.max(0, (intendedUs - nowUs()) / 1000));
    };
    next();
  });
  clearInterval(timer);
  gc.stop();
  return { name: 'baseline: setTimeout per record', sent, elapsedS: (nowUs() - startUs) / 1e6, late, delay, heapMb, gc, cpuUsPerRecord: cpuPerRecord(cpuBefore, sent) };
}

function cpuPerRecord(before: NodeJS.CpuUsage, records: number): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / Math.max(records, 1);
}

function print(outcome: Outcome): void {
  const achieved = outcome.sent / outcome.elapsedS;
  const ms = (us: number): string => (us / 1000).toFixed(2);
  const at = (p: number): string => ms(outcome.delay.getValueAtPercentile(p));
  console.log(
    `${outcome.name.padEnd(34)} target ${RATE.toLocaleString('en-US')}/s  achieved ${Math.round(achieved).toLocaleString('en-US')}/s (${((achieved / RATE) * 100).toFixed(2)}%)  ` +
      `late ${((outcome.late / Math.max(outcome.delay.totalCount, 1)) * 100).toFixed(2)}%  send delay p50 ${at(50)} ms  p99 ${at(99)} ms  p99.9 ${at(99.9)} ms  max ${ms(outcome.delay.maxValue)} ms  ` +
      `CPU ${outcome.cpuUsPerRecord.toFixed(1)} µs/record (≈ ${Math.round(1e6 / outcome.cpuUsPerRecord).toLocaleString('en-US')}/s per core)`,
  );
  if (outcome.warmupDelay !== undefined) {
    const w = outcome.warmupDelay;
    console.log(`${''.padEnd(34)} warm-up (first ${WARMUP_SECONDS} s, not in the figures above): send delay p50 ${ms(w.getValueAtPercentile(50))} ms  p99 ${ms(w.getValueAtPercentile(99))} ms  max ${ms(w.maxValue)} ms`);
  }
  const { scavengeMs, markCompactMs, otherMs, liveHeapMb } = outcome.gc;
  const totalMs = [...scavengeMs, ...markCompactMs, ...otherMs].reduce((a, b) => a + b, 0);
  console.log(
    `${''.padEnd(34)} GC pauses: ${scavengeMs.length} scavenges ${pauses(scavengeMs)}, ${markCompactMs.length} mark-compacts ${pauses(markCompactMs)}, ${otherMs.length} other ${pauses(otherMs)}; ` +
      `${totalMs.toFixed(0)} ms in all (${((totalMs / 10 / outcome.elapsedS)).toFixed(1)}% of the run)`,
  );
  console.log(`${''.padEnd(34)} after each mark-compact [s, heapUsed MB, arrayBuffers MB]: ${liveHeapMb.map((sample) => `[${sample.join(', ')}]`).join(' ')}`);
  console.log(`${''.padEnd(34)} heap MB ${heapSummary(outcome.heapMb)}`);
}

/** p50 / p99 / max of pause durations, ms. */
function pauses(durationsMs: number[]): string {
  if (durationsMs.length === 0) return '';
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const q = (p: number): string => (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number).toFixed(1);
  return `(p50 ${q(50)} / p99 ${q(99)} / max ${q(100)} ms)`;
}

/** Per-second heapUsed for short runs; min–max per minute for long ones. */
function heapSummary(heapMb: number[]): string {
  if (heapMb.length <= 30) return heapMb.join(' ');
  const windows: string[] = [];
  for (let i = 0; i < heapMb.length; i += 60) {
    const slice = heapMb.slice(i, i + 60);
    windows.push(`${i / 60}–${i / 60 + 1} min: ${Math.min(...slice)}–${Math.max(...slice)}`);
  }
  return windows.join(', ');
}

/** Set in a variant's child process. */
const CHILD_ENV = 'SCHEDULER_BENCH_CHILD';

/** Runs one variant in a child process of its own (this file, with that variant alone); resolves when it exits. */
function runAlone(variant: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [String(RATE), String(SECONDS), variant], { env: { ...process.env, [CHILD_ENV]: '1' } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`variant ${variant} exited with ${code}`))));
  });
}

const source = async (): Promise<RecordSource> => createRecordSource({ scenario, runId: 'bench', baseDir: process.cwd() });
if (process.env[CHILD_ENV] === undefined) {
  console.log(`loadgen scheduler bench: ${RATE.toLocaleString('en-US')} records/s for ${WARMUP_SECONDS} s warm-up + ${SECONDS} s, clickstream + zipf(0.99) keys, no-op sink, node ${process.version}`);
}
if (VARIANTS.size > 1) {
  // Each variant in a process of its own, as `loadgen run` has one run per process: a variant run
  // second in a shared process inherits the first one's old generation, and had bursts of
  // mark-compacts there that no variant alone in its process showed.
  for (const variant of VARIANTS) await runAlone(variant);
  process.exit(0);
}
if (VARIANTS.has('baseline')) print(await naiveRun(await source(), Math.min(SECONDS, 3)));
if (VARIANTS.has('pacer')) print(await pacerRun('pacer', await source(), false));
if (VARIANTS.has('recorder')) print(await pacerRun('pacer + run recorder', await source(), true));
// The same with the sink's promise form only (`put` per record, two closures each): the send loop before putWithCallback.
if (VARIANTS.has('recorder-promise')) print(await pacerRun('pacer + run recorder, promise put', await source(), true, { put: noopProducer.put, flush: noopProducer.flush, close: noopProducer.close, metrics: noopProducer.metrics }));

/**
 * Bench: the sending half of a run on one core — the open-model schedule and pacer, the
 * clickstream generator with zipf keys and envelope encoding, and a producer-shaped no-op sink
 * that acks every put at once — at a fixed target rate. Prints achieved vs target rate, late
 * records, send delay p50/p99/max and heap over time, for:
 *   - baseline "setTimeout per record": the naive loop (wait for each record's time, then send);
 *   - "pacer": the tick-batched pacer, measuring only send delay;
 *   - "pacer + recorder": the same, feeding the run recorder as `loadgen run` does.
 * Pass: ≥ 100,000 records/s, achieved within 1% of target, p99 send delay < 5 ms, heap flat.
 *
 * Run: npx tsx packages/loadgen/bench/scheduler.bench.ts [rate=100000] [seconds=10]
 */
import { build } from 'hdr-histogram-js';
import { nowUs } from '../src/clock.js';
import { startSendLoop } from '../src/commands/send-loop.js';
import { createRecordSource, type RecordSource } from '../src/generators/record-source.js';
import { createRunRecorder, type RunRecorder } from '../src/metrics/run-recorder.js';
import { parseScenarioText } from '../src/scenario/load-scenario.js';
import { createRandom } from '../src/random.js';
import { createSchedule } from '../src/schedule/schedule.js';
import { noopProducer } from './noop-producer.js';

const RATE = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 10);
const scenario = parseScenarioText(`name: bench
stream: { name: bench }
records:
  template: clickstream
  partitionKey: { distribution: { zipf: 0.99, keys: 100000 } }
phases: [{ duration: ${SECONDS}s, rate: ${RATE} }]
`);


interface Outcome {
  name: string;
  sent: number;
  elapsedS: number;
  late: number;
  delay: ReturnType<typeof build>;
  heapMb: number[];
  /** CPU time (user + system) of the process per record sent: the machine-load-independent cost. */
  cpuUsPerRecord: number;
}

function sampleHeap(into: number[]): NodeJS.Timeout {
  return setInterval(() => into.push(Math.round(process.memoryUsage().heapUsed / 1e5) / 10), 1000);
}

/** A recorder stand-in that only measures send delay (the "pacer" variant). */
function delayOnlyRecorder(delay: ReturnType<typeof build>): RunRecorder {
  const nothing = (): void => {};
  return {
    onScheduled: nothing,
    onSent: (_seq, intendedUs, sentUs) => delay.recordValue(Math.max(0, sentUs - intendedUs)),
    onAcked: nothing,
    onFailed: nothing,
    onConsumed: nothing,
    onConsumedData: nothing,
    onSettledElsewhere: nothing,
    onProducerMetrics: nothing,
    live: () => {
      throw new Error('not used');
    },
    finish: () => {
      throw new Error('not used');
    },
  };
}

async function pacerRun(name: string, source: RecordSource, withRecorder: boolean): Promise<Outcome> {
  const delay = build();
  const heapMb: number[] = [];
  const real = createRunRecorder({ runId: 'bench', now: nowUs });
  const recorder = withRecorder
    ? { ...real, onSent: (seq: number, intendedUs: number, sentUs: number, measured: boolean) => (delay.recordValue(Math.max(0, sentUs - intendedUs)), real.onSent(seq, intendedUs, sentUs, measured)) }
    : delayOnlyRecorder(delay);
  const schedule = createSchedule(scenario.phases, createRandom(1));
  const startUs = nowUs() + 20_000;
  const timer = sampleHeap(heapMb);
  const cpuBefore = process.cpuUsage();
  const loop = startSendLoop({ schedule, source, producer: noopProducer, recorder, now: nowUs, startUs, maxInFlightRecords: 200_000, lateThresholdUs: 10_000 });
  const stats = await loop.pacer.done;
  await loop.settled();
  clearInterval(timer);
  return { name, sent: stats.sent, elapsedS: (nowUs() - startUs) / 1e6, late: stats.late, delay, heapMb, cpuUsPerRecord: cpuPerRecord(cpuBefore, stats.sent) };
}

/** The naive loop: wait with setTimeout until each record is due, then send it. */
async function naiveRun(source: RecordSource, seconds: number): Promise<Outcome> {
  const delay = build();
  const heapMb: number[] = [];
  const timer = sampleHeap(heapMb);
  const cpuBefore = process.cpuUsage();
  const schedule = createSchedule([{ ...scenario.phases[0]!, durationMs: seconds * 1000 }], createRandom(1));
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
        if (sentUs - intendedUs > 10_000) late += 1;
        sent += 1;
        next();
      }, Math.max(0, (intendedUs - nowUs()) / 1000));
    };
    next();
  });
  clearInterval(timer);
  return { name: 'baseline: setTimeout per record', sent, elapsedS: (nowUs() - startUs) / 1e6, late, delay, heapMb, cpuUsPerRecord: cpuPerRecord(cpuBefore, sent) };
}

function cpuPerRecord(before: NodeJS.CpuUsage, records: number): number {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / Math.max(records, 1);
}

function print(outcome: Outcome): void {
  const achieved = outcome.sent / outcome.elapsedS;
  const ms = (us: number): string => (us / 1000).toFixed(2);
  console.log(
    `${outcome.name.padEnd(34)} target ${RATE.toLocaleString('en-US')}/s  achieved ${Math.round(achieved).toLocaleString('en-US')}/s (${((achieved / RATE) * 100).toFixed(2)}%)  ` +
      `late ${((outcome.late / Math.max(outcome.sent, 1)) * 100).toFixed(2)}%  send delay p50 ${ms(outcome.delay.getValueAtPercentile(50))} ms  p99 ${ms(outcome.delay.getValueAtPercentile(99))} ms  max ${ms(outcome.delay.maxValue)} ms  CPU ${outcome.cpuUsPerRecord.toFixed(1)} µs/record (≈ ${Math.round(1e6 / outcome.cpuUsPerRecord).toLocaleString('en-US')}/s per core)  heap MB ${outcome.heapMb.join(' ')}`,
  );
}

const source = async (): Promise<RecordSource> => createRecordSource({ scenario, runId: 'bench', baseDir: process.cwd() });
console.log(`loadgen scheduler bench: ${RATE.toLocaleString('en-US')} records/s for ${SECONDS} s, clickstream + zipf(0.99) keys, no-op sink, node ${process.version}`);
print(await naiveRun(await source(), Math.min(SECONDS, 3)));
print(await pacerRun('pacer', await source(), false));
print(await pacerRun('pacer + run recorder', await source(), true));

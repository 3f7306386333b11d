/**
 * Bench: the highest rate `loadgen run` sustains from one thread (the baseline) and from
 * `--workers 2`, against a no-op sink (a producer-shaped sink that acks every put at once, in
 * every sending thread) with the consumer off, in the same process, steps interleaved so both
 * see the same machine load.
 *
 * Each step is a real `runCommand` of a clickstream scenario (zipf(0.99) keys over 100,000 users,
 * ~360-byte records): 2 s warm-up then STEADY seconds at the step's rate. A step is sustained when
 *   - achieved ≥ 99% of target, achieved = records sent / (phase time + the largest send delay),
 *     i.e. the rate at which the schedule was actually worked off, and
 *   - p99 send delay (measured phase) ≤ P99_BOUND_MS.
 * The rate steps up a ladder (START, 2·START, 3·START, …); at every rung both modes run, one after
 * the other, so they share the machine's load of the moment. A mode leaves the ladder after two
 * failed rungs in a row (one descheduling spike on a shared machine fails a rung on its own); its
 * maximum sustained rate is its highest passing rung.
 *
 * The sending threads run the compiled loadgen (dist/, so build first) with the no-op sink in
 * place of the shardline producer: a thread loading TypeScript through tsx would spend seconds of
 * CPU compiling per step, which is not what `loadgen run` costs.
 *
 * Run: pnpm build && npx tsx packages/loadgen/bench/workers.bench.ts [steadySeconds=10] [ladderStep=20000] [p99BoundMs=10]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nowUs } from '../src/clock.js';
import { runCommand, type RunDeps } from '../src/commands/run.js';
import type { RunResult } from '../src/metrics/run-result.js';
import { startLocalKinesis } from '@shardline/local-kinesis';
import { Worker } from 'node:worker_threads';
import type { SendWorkerData } from '../src/workers/protocol.js';
import { noopProducer } from './noop-producer.js';

const STEADY_S = Number(process.argv[2] ?? 10);
const LADDER_STEP = Number(process.argv[3] ?? 20_000);
const P99_BOUND_MS = Number(process.argv[4] ?? 10);
const WARMUP_S = 2;
const MODES = [1, 2] as const;

interface Step {
  rate: number;
  achieved: number;
  p99Ms: number;
  maxDelayMs: number;
  cpuUsPerRecord: number;
  ok: boolean;
}

const dir = await mkdtemp(join(tmpdir(), 'workers-bench-'));
const SEND_THREAD = new URL('../dist/workers/send-thread.js', import.meta.url).href;

const NOOP_SINK = new URL('./noop-sink.mjs', import.meta.url).href;

/** A compiled sending thread whose producer is the same no-op sink as the one-thread run's (noop-sink.mjs). */
function spawnNoopThread(data: SendWorkerData): Worker {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    Promise.all([import(${JSON.stringify(SEND_THREAD)}), import(${JSON.stringify(NOOP_SINK)})]).then(([m, { noopSink }]) =>
      m.runSendThreadReporting(parentPort, workerData, () => noopSink));`;
  return new Worker(code, { eval: true, workerData: data });
}

async function step(rate: number, workers: number): Promise<Step> {
  const file = join(dir, `r${rate}.yaml`);
  await writeFile(
    file,
    `name: workers-bench
target: { local: { limits: off } }
stream: { name: bench }
records:
  template: clickstream
  partitionKey: { distribution: { zipf: 0.99, keys: 100000 } }
phases:
  - { name: warmup, duration: ${WARMUP_S}s, rate: ${rate} }
  - { name: steady, duration: ${STEADY_S}s, rate: ${rate} }
consumer: { enabled: false }
run: { reportInterval: 10s }
`,
  );
  const results: RunResult[] = [];
  const deps: RunDeps = {
    createProducer: () => noopProducer,
    startLocalKinesis,
    startConsumer: () => Promise.reject(new Error('consumer is off')),
    report: async (result) => void results.push(result),
    now: nowUs,
    io: { stdout: () => {}, stderr: () => {}, progress: () => {}, isTTY: false },
    onInterrupt: () => () => {},
    exit: (code) => process.exit(code),
    spawnSendWorker: spawnNoopThread,
  };
  const cpuBefore = process.cpuUsage();
  await runCommand({ scenario: file, quiet: true, workers }, deps);
  const cpu = process.cpuUsage(cpuBefore);
  const [result] = results;
  if (result === undefined) throw new Error('Expected a result');
  const schedule = (result.meta as { schedule: { sentRecords: number; maxSendDelayUs: number } }).schedule;
  const achieved = schedule.sentRecords / (WARMUP_S + STEADY_S + schedule.maxSendDelayUs / 1e6);
  const p99Ms = result.latency.sendDelay.p99Ms;
  return {
    rate,
    achieved,
    p99Ms,
    maxDelayMs: schedule.maxSendDelayUs / 1000,
    cpuUsPerRecord: (cpu.user + cpu.system) / Math.max(schedule.sentRecords, 1),
    ok: achieved >= rate * 0.99 && p99Ms <= P99_BOUND_MS,
  };
}

/** One mode on the ladder: its passing rungs and its current run of failures. */
interface Climb {
  workers: number;
  best: Step | undefined;
  failuresInARow: number;
}

const n = (v: number): string => Math.round(v).toLocaleString('en-US');
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');
console.log(`loadgen workers bench: no-op sink, clickstream + zipf(0.99), ${WARMUP_S} s warm-up + ${STEADY_S} s per step, sustained = achieved ≥ 99% and p99 send delay ≤ ${P99_BOUND_MS} ms, node ${process.version}`);
console.log(`load average at start: ${load()}`);
const climbs: Climb[] = MODES.map((workers) => ({ workers, best: undefined, failuresInARow: 0 }));
for (let rung = 1; climbs.some((c) => c.failuresInARow < 2); rung++) {
  const rate = rung * LADDER_STEP;
  for (const climb of climbs.filter((c) => c.failuresInARow < 2)) {
    const s = await step(rate, climb.workers);
    if (s.ok) climb.best = s;
    climb.failuresInARow = s.ok ? 0 : climb.failuresInARow + 1;
    console.log(
      `workers ${climb.workers}  target ${n(s.rate).padStart(7)}/s  achieved ${n(s.achieved).padStart(7)}/s (${((s.achieved / s.rate) * 100).toFixed(2)}%)  ` +
        `send delay p99 ${s.p99Ms.toFixed(2)} ms  max ${s.maxDelayMs.toFixed(1)} ms  CPU ${s.cpuUsPerRecord.toFixed(1)} µs/record  ${s.ok ? 'sustained' : 'NOT sustained'}  (load ${load()})`,
    );
  }
}
console.log(`load average at end: ${load()}`);
const [one, two] = climbs;
const best = (c: Climb | undefined): number => c?.best?.rate ?? 0;
console.log(`max sustained: 1 thread ${n(best(one))}/s · --workers 2 ${n(best(two))}/s · ratio ${(best(two) / Math.max(best(one), 1)).toFixed(2)}×`);
await rm(dir, { recursive: true, force: true });

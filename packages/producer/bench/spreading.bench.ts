/**
 * Load spreading under overload: how much of a stream's write limit the producer turns into
 * goodput, and how evenly the shards are used, for three ways of choosing shards, in the same run:
 *
 * - `keyless-adaptive`: records without a partition key; the producer sticks to one shard per
 *   aggregate and switches toward spare capacity;
 * - `keyless-random-key` (baseline): what users do without keyless mode — a fresh random partition
 *   key per record, routed by MD5;
 * - `md5-zipf`: keyed records, keys drawn zipfian (s = 0.99 over 100,000 keys), routed by MD5.
 *
 * Each scenario gets a fresh 8-shard stream on local-kinesis with AWS limits (1 MiB/s and 1,000
 * records/s per shard) and is offered `--overload` (3) × the stream's byte limit of 1,000-byte
 * records for `--duration-s` (30) seconds, with `onBufferFull: 'reject'` so the excess is shed
 * instead of queued without bound. Goodput and per-shard utilisation come from the server's own
 * counters over the run after a warm-up (a tenth of it, at least 2 s), against the real elapsed span.
 * The server runs in a child process, so it and the producer do not share one core's event loop.
 * `--scale` multiplies AWS's rates (server limits and the producer's shard limits alike) when the
 * machine cannot serve a full 8 MiB/s; utilisation is always relative to the limits in force.
 *
 * Scenarios run `--rounds` (3) times in an order that rotates per round; the table shows each one's
 * median round and the per-round ratio to the baseline's median.
 *
 *   npx tsx packages/producer/bench/spreading.bench.ts [--duration-s 30] [--scale 1] [--overload 3] [--rounds 3]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AWS_LIMITS, startLocalKinesis, type LocalKinesisStats } from '../../local-kinesis/src/index.js';
import { createProducer, type UserRecord } from '../src/index.js';

const SHARDS = 8;
const RECORD_BYTES = 1_000;
const ZIPF_KEYS = 100_000;
const ZIPF_S = 0.99;
const TICK_MS = 10;

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at < 0 ? fallback : Number(process.argv[at + 1]);
  if (!(value > 0)) throw new Error(`Expected \`--${name}\` to be a number > 0, got ${process.argv[at + 1]}`);
  return value;
}

const durationMs = flag('duration-s', 30) * 1000;
const scale = flag('scale', 1);
const overload = flag('overload', 3);
const rounds = flag('rounds', 3);
const shardBytesPerSec = AWS_LIMITS.writeBytesPerSec * scale;
const shardRecordsPerSec = AWS_LIMITS.writeRecordsPerSec * scale;

/** Child role: the server, answering `{ id, op, args }` requests over IPC. */
async function serve(): Promise<void> {
  const local = await startLocalKinesis({ limits: { writeBytesPerSec: shardBytesPerSec, writeRecordsPerSec: shardRecordsPerSec } });
  process.on('message', (message: { id: number; op: 'create' | 'stats' | 'stop'; name?: string }) => {
    const reply = (result: unknown): void => void process.send?.({ id: message.id, result });
    if (message.op === 'create') void local.createStream({ name: message.name as string, shardCount: SHARDS }).then(() => reply(null));
    else if (message.op === 'stats') reply({ atMs: Date.now(), stats: local.stats() });
    else void local.stop().then(() => process.exit(0));
  });
  process.send?.({ id: 0, result: local.endpoint });
}

function rpc(child: ChildProcess) {
  let next = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  child.on('message', (m: { id: number; result: unknown }) => waiting.get(m.id)?.(m.result));
  const call = <T>(op: string, args: object = {}): Promise<T> =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, (r) => resolve(r as T));
      child.send({ id, op, ...args });
    });
  const endpoint = new Promise<string>((resolve) => waiting.set(0, (r) => resolve(r as string)));
  return { call, endpoint };
}

/** Mulberry32: the bench's record streams are the same in every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Zipfian ranks by inversion of the cumulative table (exact, O(log keys) per draw). */
function zipfKey(random: () => number): () => string {
  const cumulative = new Float64Array(ZIPF_KEYS);
  let sum = 0;
  for (let i = 0; i < ZIPF_KEYS; i++) cumulative[i] = sum += 1 / Math.pow(i + 1, ZIPF_S);
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = ZIPF_KEYS - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) <= target) low = mid + 1;
      else high = mid;
    }
    return `user-${low}`;
  };
}

/** Server counters and the wall-clock time (shared by both processes) they were read at. */
interface Snapshot {
  readonly atMs: number;
  readonly stats: LocalKinesisStats;
}

type Scenario = 'keyless-adaptive' | 'keyless-random-key' | 'md5-zipf';

function recordMaker(scenario: Scenario, random: () => number): () => UserRecord {
  const data = new Uint8Array(RECORD_BYTES).fill(7);
  if (scenario === 'keyless-adaptive') return () => ({ data });
  if (scenario === 'keyless-random-key') return () => ({ data, partitionKey: Math.floor(random() * 2 ** 52).toString(36) });
  const key = zipfKey(random);
  return () => ({ data, partitionKey: key() });
}

interface Outcome {
  scenario: Scenario;
  goodputBytesPerSec: number;
  perShard: number[];
  offeredRecords: number;
  shedRecords: number;
  failedRecords: number;
  serverThrottled: number;
  topKey: string;
}

async function runScenario(scenario: Scenario, stream: string, server: ReturnType<typeof rpc>, endpoint: string): Promise<Outcome> {
  await server.call('create', { name: stream });
  const client = new KinesisClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 16 }) }),
    maxAttempts: 1,
  });
  const streamBytesPerSec = SHARDS * shardBytesPerSec;
  const producer = createProducer({
    streamName: stream,
    client,
    random: seeded(5),
    onBufferFull: 'reject',
    // 2 s of the stream's limit buffered: enough backlog for every shard; a record waiting 5 s is shed.
    maxBufferedBytes: Math.round(2 * streamBytesPerSec),
    recordTtlMs: 5_000,
    shardBytesPerSec,
    shardRecordsPerSec,
  });
  await producer.ready;
  const next = recordMaker(scenario, seeded(9));
  let offered = 0;
  let shed = 0;
  let failed = 0;
  const settled: Promise<unknown>[] = [];
  const startMs = performance.now();
  const warmupMs = Math.max(2_000, durationMs / 10);
  let before: Snapshot | undefined;
  for (let nowMs = startMs; nowMs - startMs < durationMs; nowMs = performance.now()) {
    // Open model: offer what the elapsed time calls for, whatever the producer made of earlier ticks.
    const due = Math.floor((((nowMs - startMs) / 1000) * overload * streamBytesPerSec) / RECORD_BYTES) - offered;
    const chunk = Array.from({ length: Math.max(due, 0) }, next);
    offered += chunk.length;
    settled.push(
      producer.putMany(chunk).then((outcomes) => {
        for (const o of outcomes) {
          if (o.status === 'fulfilled') continue;
          if (o.reason.name === 'BufferFullError') shed++;
          else failed++;
        }
      }),
    );
    if (before === undefined && nowMs - startMs >= warmupMs) {
      before = await server.call<Snapshot>('stats');
    }
    await sleep(TICK_MS);
  }
  const after = await server.call<Snapshot>('stats');
  // Stamped by the server when it read its counters: a busy event loop delays the reply, not the figure.
  const spanSec = (after.atMs - (before?.atMs ?? after.atMs)) / 1000;
  const topKey = producer.metrics().hotKeys[0]?.key ?? '-';
  await producer.close();
  await Promise.all(settled);
  client.destroy();
  const shardsAfter = after.stats.streams[stream]?.shards ?? [];
  const shardsBefore = before?.stats.streams[stream]?.shards ?? [];
  const accepted = shardsAfter.map((s) => s.acceptedBytes - (shardsBefore.find((b) => b.shardId === s.shardId)?.acceptedBytes ?? 0));
  const throttled = shardsAfter.reduce((sum, s) => sum + s.throttledRecords, 0);
  return {
    scenario,
    goodputBytesPerSec: accepted.reduce((a, b) => a + b, 0) / spanSec,
    perShard: accepted.map((bytes) => bytes / spanSec / shardBytesPerSec),
    offeredRecords: offered,
    shedRecords: shed,
    failedRecords: failed,
    serverThrottled: throttled,
    topKey,
  };
}

const SCENARIOS: readonly Scenario[] = ['keyless-adaptive', 'keyless-random-key', 'md5-zipf'];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', ...process.argv.slice(2)], { execArgv: process.execArgv });
  const server = rpc(child);
  const endpoint = await server.endpoint;
  const limitBytesPerSec = SHARDS * shardBytesPerSec;
  console.log(
    `${SHARDS} shards × ${(shardBytesPerSec / 2 ** 20).toFixed(3)} MiB/s = ${(limitBytesPerSec / 2 ** 20).toFixed(2)} MiB/s limit; ` +
      `offered ${overload}× for ${durationMs / 1000} s; ${rounds} rounds; load average ${loadavg()[0]?.toFixed(1)}`,
  );
  const runs = new Map<Scenario, Outcome[]>(SCENARIOS.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    // The order rotates per round, so warm-up and bursts of load from elsewhere hit each scenario alike.
    for (let i = 0; i < SCENARIOS.length; i++) {
      const scenario = SCENARIOS[(round + i) % SCENARIOS.length] as Scenario;
      const o = await runScenario(scenario, `spreading-${scenario}-${round}`, server, endpoint);
      runs.get(scenario)?.push(o);
      console.log(`round ${round + 1} ${scenario}: ${((100 * o.goodputBytesPerSec) / limitBytesPerSec).toFixed(1)}% of the limit; load average ${loadavg()[0]?.toFixed(1)}`);
    }
  }
  // The child answers `stop` by exiting, not with a reply.
  child.send({ id: -1, op: 'stop' });

  const baseline = runs.get('keyless-random-key') as Outcome[];
  console.log('\n| scenario | goodput MiB/s | of stream limit (rounds) | vs baseline | per-shard utilisation % (min–max) | shed / offered | failed | server throttles | top key |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const scenario of SCENARIOS) {
    const all = runs.get(scenario) as Outcome[];
    const goodputs = all.map((o) => o.goodputBytesPerSec);
    const o = all.find((x) => x.goodputBytesPerSec === median(goodputs)) as Outcome;
    const ratio = median(all.map((x, round) => x.goodputBytesPerSec / (baseline[round] as Outcome).goodputBytesPerSec));
    const util = o.perShard.map((u) => Math.round(u * 100));
    const pct = (bytes: number): string => `${((100 * bytes) / limitBytesPerSec).toFixed(1)}%`;
    console.log(
      `| ${scenario}${all === baseline ? ' (baseline)' : ''} | ${(o.goodputBytesPerSec / 2 ** 20).toFixed(2)} | ${pct(o.goodputBytesPerSec)} (${goodputs.map(pct).join(', ')}) | ` +
        `${ratio.toFixed(2)}× | ${util.join(' ')} (${Math.min(...util)}–${Math.max(...util)}) | ` +
        `${((100 * o.shedRecords) / o.offeredRecords).toFixed(0)}% | ${o.failedRecords} | ${o.serverThrottled} | ${o.topKey} |`,
    );
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();

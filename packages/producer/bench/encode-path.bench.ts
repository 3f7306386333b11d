/**
 * Encode path: put → shard prediction → per-shard aggregation → PutRecords entries, against a
 * client that answers instantly (no network, no server), so the figure is the producer's own CPU
 * cost per user record. Baseline in the same run: aws-kinesis-agg's `RecordAggregator` fed the
 * same records (it only aggregates: no routing, no requests, no per-record results).
 *
 * Scenario: 100-byte records, 10,000 distinct partition keys, 4-shard stream, rate control off
 * (nothing to pace against), lingerMs 50. Each round puts N records in chunks of 5,000, keeping 20
 * chunks in flight (a steady producer holds about rate × lingerMs records), then flushes and waits
 * for every result. Every contender runs in processes of its own: warm-up rounds, then measured
 * ones; the median and the best measured round are reported.
 *
 * Steady state: a process's rounds share one producer, as an application's puts share one
 * long-lived producer, so the measured rounds see what the warm-up rounds left: each key hashed
 * once, aggregate memory to reuse. The contender "a new producer per round" shows what a producer
 * pays in its first 400,000 records on top (10,000 key hashes, memory first touched).
 *
 *   npx tsx packages/producer/bench/encode-path.bench.ts
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import agg from 'aws-kinesis-agg';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { createProducer, type Producer } from '../src/index.js';
import type { UserRecord } from '../src/types.js';
import { seeded } from './seeded-random.js';

const RECORDS = 400_000;
const CHUNK = 5_000;
const WINDOW = 20;
const KEYS = 10_000;
/**
 * Processes per contender, and rounds each: warm-up rounds first (not measured), then measured
 * ones. Five warm-up rounds: V8 tiers the code up over the first rounds, and the old generation
 * grows until about the fifth (its full GCs and fresh pages made round 4 the slowest of 14 in
 * every process timed: 0.68–0.95 M/s against 1.1–1.4 for rounds 5–14 of putWithCallback).
 */
const PROCESSES = 3;
const WARMUP_ROUNDS = 5;
const MEASURED_ROUNDS = 4;

/** One round: user records per wall-clock second, and CPU µs per record (user + system, all threads). */
interface Round {
  rate: number;
  cpuUsPerRecord: number;
}

function finish(started: bigint, cpu: NodeJS.CpuUsage): Round {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  return { rate: RECORDS / seconds, cpuUsPerRecord: (used.user + used.system) / RECORDS };
}

/**
 * An SDK KinesisClient whose `send` accepts everything at once: 4 shards splitting 2^128 evenly.
 * A real client instance, so the producer treats it as it treats the SDK (it reuses aggregate
 * memory, since the SDK keeps no reference to a request's data after `send`); it never reaches
 * the network or the SDK's serializer.
 */
function instantClient(shardCount: number): KinesisClient {
  const max = (1n << 128n) - 1n;
  const width = (max + 1n) / BigInt(shardCount);
  const shards = Array.from({ length: shardCount }, (_, i) => ({
    ShardId: `shardId-${String(i).padStart(12, '0')}`,
    HashKeyRange: { StartingHashKey: (width * BigInt(i)).toString(), EndingHashKey: (i === shardCount - 1 ? max : width * BigInt(i + 1) - 1n).toString() },
    SequenceNumberRange: { StartingSequenceNumber: '0' },
  }));
  let seq = 0n;
  const send = async (command: { constructor: { name: string }; input: { Records?: { ExplicitHashKey?: string }[] } }) => {
    switch (command.constructor.name) {
      case 'ListShardsCommand':
        return { Shards: shards };
      case 'DescribeStreamSummaryCommand':
        return { StreamDescriptionSummary: {} };
      case 'PutRecordsCommand': {
        const entries = command.input.Records ?? [];
        const Records = entries.map((e) => {
          const hash = e.ExplicitHashKey === undefined ? 0n : BigInt(e.ExplicitHashKey);
          const index = Math.min(shardCount - 1, Number(hash / width));
          return { ShardId: shards[index]?.ShardId, SequenceNumber: (seq++).toString() };
        });
        return { FailedRecordCount: 0, Records };
      }
      default:
        throw new Error(`unexpected ${command.constructor.name}`);
    }
  };
  return Object.assign(new KinesisClient({ region: 'us-east-1' }), { send, destroy: () => undefined }) as unknown as KinesisClient;
}

/**
 * The seeded input: 100-byte Buffers, or (`--text`) the same records with 100-character strings as
 * data (e.g. JSON text), which the producer encodes. A process builds only the kind it puts, so
 * neither contender carries the other's 400,000 records in its heap.
 */
function makeRecords(text: boolean): UserRecord[] {
  const random = seeded(7);
  const keys = Array.from({ length: KEYS }, (_, i) => `user-${i}-${Math.floor(random() * 1e9)}`);
  return Array.from({ length: RECORDS }, () => {
    const partitionKey = keys[Math.floor(random() * KEYS)] as string;
    const byte = Math.floor(random() * 256);
    return { partitionKey, data: text ? Buffer.alloc(100, 97 + (byte % 26)).toString('latin1') : Buffer.alloc(100, byte) };
  });
}
const TEXT_FLAG = '--text';
const records = process.argv.includes('--variant') ? makeRecords(process.argv.includes(TEXT_FLAG)) : [];
const chunks: UserRecord[][] = [];
for (let i = 0; i < records.length; i += CHUNK) chunks.push(records.slice(i, i + CHUNK));

function newProducer(): Producer {
  return createProducer({ streamName: 'bench', client: instantClient(4), rateControl: 'off', lingerMs: 50, maxBufferedRecords: 1_000_000, maxBufferedBytes: 1 << 30 });
}
/** The process's one producer (steady state), made at its first round. */
let steady: Producer | undefined;
const steadyProducer = (): Producer => (steady ??= newProducer());

async function shardlineRound(): Promise<Round> {
  const producer = steadyProducer();
  await producer.ready;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  // A steady producer holds about rate × lingerMs records: keep WINDOW chunks in flight, putting the
  // next chunk as soon as the oldest settles (1 M records/s × 50 ms = 50,000 records buffered).
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < RECORDS; i += CHUNK) {
    if (inFlight.length >= WINDOW) await inFlight.shift();
    inFlight.push(producer.putMany(chunks[i / CHUNK] as UserRecord[]).then((outcomes) => {
      for (const o of outcomes) if (o.status !== 'fulfilled') failed++;
    }));
  }
  // Done putting: flush, as a caller at the end of its input does, instead of letting the last
  // partial request wait out lingerMs (50 ms of a ~400 ms round).
  await Promise.all([...inFlight, producer.flush()]);
  const round = finish(started, cpu);
  if (failed > 0) throw new Error(`${failed} records failed`);
  return round;
}

async function shardlinePutRound(): Promise<Round> {
  const producer = steadyProducer();
  await producer.ready;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < RECORDS; i += CHUNK) {
    if (inFlight.length >= WINDOW) await inFlight.shift();
    const puts = new Array(CHUNK);
    for (let j = 0; j < CHUNK; j++) puts[j] = producer.put(records[i + j] as UserRecord);
    inFlight.push(Promise.all(puts));
  }
  await Promise.all([...inFlight, producer.flush()]);
  return finish(started, cpu);
}

/** One callback and a numeric token per record: the callback form, the same window of chunks. */
async function shardlineCallbackRound(producer = steadyProducer()): Promise<Round> {
  await producer.ready;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  // Records settled per chunk; a chunk counts as done when all of its records have settled.
  const left = new Int32Array(RECORDS / CHUNK).fill(CHUNK);
  let failed = 0;
  let wake: (() => void) | undefined;
  let doneChunks = 0;
  const onSettled = (error: Error | undefined, _result: unknown, token: number): void => {
    if (error !== undefined) failed++;
    const chunk = (token / CHUNK) | 0;
    if (--(left[chunk] as number) === 0) {
      doneChunks++;
      wake?.();
    }
  };
  for (let i = 0; i < RECORDS; i += CHUNK) {
    while (i / CHUNK - doneChunks >= WINDOW) await new Promise<void>((resolve) => (wake = resolve));
    for (let j = 0; j < CHUNK; j++) producer.putWithCallback(records[i + j] as UserRecord, onSettled, i + j);
  }
  const flushed = producer.flush();
  while (doneChunks < RECORDS / CHUNK) await new Promise<void>((resolve) => (wake = resolve));
  await flushed;
  const round = finish(started, cpu);
  if (failed > 0) throw new Error(`${failed} records failed`);
  return round;
}

/** The callback form through a producer made for the round: steady state's cost plus a new producer's. */
async function newProducerCallbackRound(): Promise<Round> {
  const producer = newProducer();
  const round = await shardlineCallbackRound(producer);
  await producer.close();
  return round;
}

interface OracleAggregator {
  checkIfUserRecordFits(record: unknown): boolean;
  addUserRecord(record: unknown): void;
  build(): { data: Buffer };
  clearRecords(): void;
}
const RecordAggregator = (agg as unknown as { RecordAggregator: new () => OracleAggregator }).RecordAggregator;

/** The baseline: one RecordAggregator fed every record, building an aggregate whenever it is full. */
function oracleRound(): Promise<Round> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const aggregator = new RecordAggregator();
  let bytes = 0;
  for (const record of records) {
    if (!aggregator.checkIfUserRecordFits(record)) {
      bytes += aggregator.build().data.length;
      aggregator.clearRecords();
    }
    aggregator.addUserRecord(record);
  }
  bytes += aggregator.build().data.length;
  const round = finish(started, cpu);
  if (bytes === 0) throw new Error('no aggregates');
  return Promise.resolve(round);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const TEXT_VARIANT = 'shardline putWithCallback, string data';
const variants: [string, () => Promise<Round>][] = [
  ['aws-kinesis-agg RecordAggregator (baseline)', oracleRound],
  ['shardline putMany (chunks of 5,000)', shardlineRound],
  ['shardline put (one promise per record)', shardlinePutRound],
  ['shardline putWithCallback (one callback)', shardlineCallbackRound],
  [TEXT_VARIANT, shardlineCallbackRound],
  ['shardline putWithCallback, new producer/round', newProducerCallbackRound],
];

const childVariant = process.argv.indexOf('--variant');
if (childVariant >= 0) {
  // One contender in a process of its own: warm-up rounds, then the measured ones. A process shared
  // by contenders would make the producer's settle call sites polymorphic across the API forms and
  // leave one contender's garbage to the next one's collections.
  const [, round] = variants[Number(process.argv[childVariant + 1])] as (typeof variants)[number];
  for (let i = 0; i < WARMUP_ROUNDS; i++) await round();
  const measured: Round[] = [];
  for (let i = 0; i < MEASURED_ROUNDS; i++) measured.push(await round());
  process.send?.(measured);
  process.exit(0);
}

function runChild(index: number): Promise<Round[]> {
  return new Promise((resolve, reject) => {
    const text = variants[index]?.[0] === TEXT_VARIANT ? [TEXT_FLAG] : [];
    // fork's default execArgv is this process's, so the child runs under the same loader and flags.
    const proc = fork(fileURLToPath(import.meta.url), ['--variant', String(index), ...text]);
    let result: Round[] | undefined;
    proc.on('message', (m) => (result = m as Round[]));
    proc.on('error', reject);
    proc.on('exit', (code) => (result === undefined ? reject(new Error(`contender ${index} exited with ${code}`)) : resolve(result)));
  });
}

const results = new Map<string, Round[]>(variants.map(([name]) => [name, []]));
for (let p = 0; p < PROCESSES; p++) {
  for (let i = 0; i < variants.length; i++) results.get((variants[i] as (typeof variants)[number])[0])?.push(...(await runChild(i)));
}
const summary = [...results].map(([name, rounds]) => ({
  name,
  rate: median(rounds.map((x) => x.rate)),
  cpuUs: median(rounds.map((x) => x.cpuUsPerRecord)),
  bestRate: Math.max(...rounds.map((x) => x.rate)),
  bestCpuUs: Math.min(...rounds.map((x) => x.cpuUsPerRecord)),
}));
const base = summary[0] as (typeof summary)[number];
console.log(
  `encode path, ${RECORDS.toLocaleString()} × 100-byte records, ${KEYS.toLocaleString()} keys, 4 shards; per contender ${PROCESSES} processes × ${MEASURED_ROUNDS} measured rounds, each process after ${WARMUP_ROUNDS} warm-up rounds (node ${process.version}, V8 flags: ${process.execArgv.filter((a) => /^--(max|min|semi|single)/.test(a)).join(' ') || 'none'})`,
);
console.log('  median round (rate, ratio to baseline, CPU per record, ratio) | best round (rate, CPU per record)');
for (const { name, rate, cpuUs, bestRate, bestCpuUs } of summary) {
  console.log(
    `  ${name.padEnd(46)} ${(rate / 1e6).toFixed(3)} M user records/s  ${(rate / base.rate).toFixed(2)}x   CPU ${cpuUs.toFixed(2)} µs/record (≈ ${(1 / cpuUs).toFixed(2)} M/s per core)  ${(base.cpuUs / cpuUs).toFixed(2)}x | best ${(bestRate / 1e6).toFixed(3)} M/s, ${bestCpuUs.toFixed(2)} µs/record`,
  );
}

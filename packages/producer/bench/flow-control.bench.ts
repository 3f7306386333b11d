/**
 * Flow control under 3× overload against local-kinesis with AWS limits (4 shards: 4 MiB/s and
 * 4,000 records/s), one contender at a time, same run:
 *   shardline-agg  adaptive flow control, aggregation on (100-byte records) — vs the 4 MiB/s limit
 *   kpl-agg        the KPL's policy (buckets at 150%, no backoff: `rateControl: 'kpl'`), aggregation on
 *   shardline-raw  adaptive flow control, aggregation off — vs the 4,000 records/s limit
 *   plain-loop     SDK PutRecords of ≤ 500 records, 4 loops, failed entries retried at once
 *
 * Each contender runs in its own process against a fresh server in another process, so peak RSS is
 * the contender's own and the server's CPU is not the contender's. The feeder offers 3× the limit
 * (open model) and waits when 1.5 × the buffer is unsettled, so memory stays bounded.
 * Figures: goodput = (server-accepted bytes or records − the 1 s burst every fresh shard starts
 * with) / (time from the first put until `close()` has written everything: a saturated contender
 * sends at the limit all along, the drain included), throttled / sent Kinesis records (server counters),
 * retries per Kinesis record, Kinesis records per PutRecords request, put → settle latency p50/p99
 * (1 record in 8), peak RSS and heap, and loss:
 * `unresolved` user records (not written when the run ended, or rejected) and `stored ≠ acked`,
 * Kinesis records the server stored minus those the contender saw acknowledged (> 0 means a
 * request timed out after the server wrote it, and its retry wrote the records again).
 *
 *   npx tsx packages/producer/bench/flow-control.bench.ts [--duration-sec 60] [--contenders a,b]
 */
import { fork } from 'node:child_process';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startLocalKinesis } from '../../local-kinesis/src/index.js';
import { createProducer, type Producer } from '../src/index.js';

const SHARDS = 4;
const STREAM = 'bench';
const MiB = 1024 * 1024;
const SERVER_BURST_SEC = 1;
const CONTENDERS = ['shardline-agg', 'kpl-agg', 'shardline-raw', 'plain-loop'] as const;
type Contender = (typeof CONTENDERS)[number];
/** Offered user records/s: 3× the binding limit (~112 B per aggregated record: 4 MiB/s ≈ 37,000/s). */
const OFFERED: Record<Contender, number> = { 'shardline-agg': 3 * 37_000, 'kpl-agg': 3 * 37_000, 'shardline-raw': 3 * 4_000, 'plain-loop': 3 * 4_000 };
const BUFFERED_RECORDS: Record<Contender, number> = { 'shardline-agg': 80_000, 'kpl-agg': 80_000, 'shardline-raw': 8_000, 'plain-loop': 8_000 };

interface Totals { acceptedRecords: number; acceptedBytes: number; throttledRecords: number }
interface ContenderResult {
  userRecords: number; resolved: number; rejected: number; kinesisRecordsWritten: number; retries: number;
  p50Ms: number; p99Ms: number; peakRssBytes: number; peakHeapBytes: number; feedMs: number; runMs: number; recordsPerRequest: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

function clientFor(endpoint: string): KinesisClient {
  return new KinesisClient({
    region: 'us-east-1', endpoint, maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }) }),
  });
}

/** Child: the server. Answers `stats` with the stream's totals; exits on `stop`. */
async function serve(): Promise<void> {
  const local = await startLocalKinesis({ limits: 'aws' });
  await local.createStream({ name: STREAM, shardCount: SHARDS });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stats') process.send?.({ type: 'stats', totals: local.stats().streams[STREAM]?.totals });
    if (m.type === 'stop') void local.stop().then(() => process.exit(0));
  });
  process.send?.({ type: 'ready', endpoint: local.endpoint });
}

const DATA_BYTES = 100;
function record(id: number): { data: Uint8Array; partitionKey: string } {
  const data = Buffer.alloc(DATA_BYTES, 0x2e);
  data.writeUInt32BE(id >>> 0, 0);
  return { data, partitionKey: `user-${id % 10_000}` };
}

/** Plain loop: 4 concurrent senders of ≤ 500 entries; failed entries go first in the next batch. */
function plainLoop(client: KinesisClient) {
  const queue: PutRecordsRequestEntry[] = [];
  const waiters: (() => void)[] = [];
  let written = 0;
  let retries = 0;
  let requests = 0;
  let stopped = false;
  const settleTimes = new Map<PutRecordsRequestEntry, number>();
  const latencies: number[] = [];
  async function loop(): Promise<void> {
    while (!stopped || queue.length > 0) {
      if (queue.length === 0) { await new Promise((r) => setTimeout(r, 5)); continue; }
      const batch = queue.splice(0, 500);
      requests++;
      let out;
      try { out = await client.send(new PutRecordsCommand({ StreamName: STREAM, Records: batch })); }
      catch { retries += batch.length; queue.unshift(...batch); continue; }
      const failed = batch.filter((_, i) => out.Records?.[i]?.ErrorCode !== undefined);
      retries += failed.length;
      written += batch.length - failed.length;
      const now = performance.now();
      const failedSet = new Set(failed);
      for (const e of batch) if (!failedSet.has(e)) {
        const at = settleTimes.get(e);
        if (at !== undefined) { latencies.push(now - at); settleTimes.delete(e); }
      }
      queue.unshift(...failed);
      while (waiters.length > 0 && queue.length < BUFFERED_RECORDS['plain-loop']) waiters.shift()?.();
    }
  }
  const loops = Array.from({ length: 4 }, loop);
  return {
    async put(id: number): Promise<void> {
      while (queue.length >= BUFFERED_RECORDS['plain-loop']) await new Promise<void>((r) => waiters.push(r));
      const r = record(id);
      const entry = { Data: r.data, PartitionKey: r.partitionKey };
      if (id % 8 === 0) settleTimes.set(entry, performance.now());
      queue.push(entry);
    },
    async close() { stopped = true; await Promise.all(loops); },
    stats: () => ({ written, retries, latencies, recordsPerRequest: (written + retries) / Math.max(1, requests) }),
  };
}

/** Child: one contender, fed at 3× for `durationSec`, then closed (drained). Reports `result`. */
async function contend(name: Contender, endpoint: string, durationSec: number): Promise<void> {
  const client = clientFor(endpoint);
  let peakRssBytes = 0;
  let peakHeapBytes = 0;
  const rss = setInterval(() => {
    const usage = process.memoryUsage();
    peakRssBytes = Math.max(peakRssBytes, usage.rss);
    peakHeapBytes = Math.max(peakHeapBytes, usage.heapUsed);
  }, 100);
  const latencies: number[] = [];
  let resolved = 0;
  let rejected = 0;
  let producer: Producer | undefined;
  let loop: ReturnType<typeof plainLoop> | undefined;
  if (name === 'plain-loop') loop = plainLoop(client);
  else {
    producer = createProducer({
      streamName: STREAM, client, aggregation: name !== 'shardline-raw',
      rateControl: name === 'kpl-agg' ? 'kpl' : 'adaptive', maxBufferedRecords: BUFFERED_RECORDS[name],
    });
    await producer.ready;
  }
  const start = performance.now();
  const maxOutstanding = 1.5 * BUFFERED_RECORDS[name];
  let outstanding = 0;
  let id = 0;
  while (performance.now() - start < durationSec * 1000) {
    const due = Math.min(Math.floor(((performance.now() - start) / 1000) * OFFERED[name]), id + 512);
    for (; id < due && outstanding < maxOutstanding; id++) {
      if (loop !== undefined) { await loop.put(id); continue; }
      const t = id % 8 === 0 ? performance.now() : -1;
      outstanding++;
      (producer as Producer).put(record(id)).then(
        () => { resolved++; outstanding--; if (t >= 0) latencies.push(performance.now() - t); },
        () => { rejected++; outstanding--; },
      );
    }
    await new Promise((r) => (outstanding >= maxOutstanding ? setTimeout(r, 1) : setImmediate(r)));
  }
  const feedMs = performance.now() - start;
  await (producer?.close() ?? loop?.close());
  const runMs = performance.now() - start;
  clearInterval(rss);
  const m = producer?.metrics();
  const lat = (loop?.stats().latencies ?? latencies).sort((a, b) => a - b);
  const result: ContenderResult = {
    userRecords: id,
    resolved: loop === undefined ? resolved : loop.stats().written,
    rejected,
    kinesisRecordsWritten: m?.kinesisRecordsPut ?? loop?.stats().written ?? 0,
    retries: m?.retries ?? loop?.stats().retries ?? 0,
    p50Ms: lat[Math.floor(lat.length * 0.5)] ?? NaN,
    p99Ms: lat[Math.floor(lat.length * 0.99)] ?? NaN,
    peakRssBytes,
    peakHeapBytes,
    feedMs,
    runMs,
    recordsPerRequest: m?.kinesisRecordsPerRequest ?? loop?.stats().recordsPerRequest ?? 0,
  };
  process.send?.({ type: 'result', result });
  process.exit(0);
}

function child(args: string[]) {
  return fork(fileURLToPath(import.meta.url), args, { execArgv: process.execArgv });
}

function ask(server: ReturnType<typeof child>): Promise<Totals> {
  return new Promise((resolve) => {
    const on = (m: { type: string; totals: Totals }) => {
      if (m.type !== 'stats') return;
      server.off('message', on);
      resolve(m.totals);
    };
    server.on('message', on);
    server.send({ type: 'stats' });
  });
}

async function runOne(name: Contender, durationSec: number) {
  const server = child(['--role', 'server']);
  const endpoint = await new Promise<string>((r) => server.once('message', (m: { endpoint: string }) => r(m.endpoint)));
  const c = child(['--role', 'contender', '--name', name, '--endpoint', endpoint, '--duration-sec', String(durationSec)]);
  const result = await new Promise<ContenderResult>((resolve) => {
    c.on('message', (m: { type: string; result: ContenderResult }) => {
      if (m.type === 'result') resolve(m.result);
    });
  });
  const final = await ask(server);
  server.send({ type: 'stop' });
  const aggregated = name.endsWith('-agg');
  const runSec = result.runMs / 1000;
  const limit = aggregated ? SHARDS * MiB : SHARDS * 1_000;
  const accepted = aggregated ? final.acceptedBytes : final.acceptedRecords;
  const goodput = (accepted - limit * SERVER_BURST_SEC) / runSec;
  const sent = final.acceptedRecords + final.throttledRecords;
  return {
    contender: name,
    goodput: aggregated ? `${(goodput / MiB).toFixed(2)} MiB/s` : `${Math.round(goodput)} rec/s`,
    'of limit': `${((goodput / limit) * 100).toFixed(1)}%`,
    'user rec/s': Math.round(result.resolved / runSec),
    throttled: `${((final.throttledRecords / Math.max(1, sent)) * 100).toFixed(2)}%`,
    'retries/rec': (result.retries / Math.max(1, final.acceptedRecords)).toFixed(3),
    'rec/request': Math.round(result.recordsPerRequest),
    'p50 ms': Math.round(result.p50Ms),
    'p99 ms': Math.round(result.p99Ms),
    'peak RSS MB': Math.round(result.peakRssBytes / 1e6),
    'peak heap MB': Math.round(result.peakHeapBytes / 1e6),
    unresolved: result.userRecords - result.resolved,
    'stored ≠ acked': final.acceptedRecords - result.kinesisRecordsWritten,
  };
}

const role = arg('--role');
if (role === 'server') await serve();
else if (role === 'contender') await contend(arg('--name') as Contender, arg('--endpoint') as string, Number(arg('--duration-sec')));
else {
  const durationSec = Number(arg('--duration-sec') ?? 60);
  const names = (arg('--contenders')?.split(',') ?? CONTENDERS) as Contender[];
  const rows = [];
  for (const name of names) {
    rows.push(await runOne(name, durationSec));
    console.log(`${name} done`);
  }
  console.log(`\n4 shards, limits 'aws', offered 3× the limit, ${durationSec} s per contender, node ${process.version}\n`);
  console.table(rows);
}

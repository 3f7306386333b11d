/**
 * Through a real Kinesis API (local-kinesis, limits off, in this process): user records/s and MB/s
 * through one producer with aggregation on and off, against the named baseline of a plain loop of
 * SDK PutRecords calls of 500 records (what a hand-rolled producer does), same run, same records.
 *
 * 100-byte records, 10,000 keys, 4 shards; each contender writes RECORDS records into a fresh
 * stream per round. The producer's own rate control is off (the server has no limits to respect
 * here). Kinesalite runs in this process and costs ~70–90 µs of CPU per stored record, so without
 * aggregation every contender is bound by it; rounds rotate the order of the contenders (the
 * emulator's store grows as a run goes on) and the median of ROUNDS is shown.
 *
 *   npx tsx packages/producer/bench/throughput.bench.ts [records] [rounds]
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '../src/index.js';

const RECORDS = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const KEYS = 10_000;
const DATA = Buffer.alloc(100, 7);
const keys = Array.from({ length: KEYS }, (_, i) => `user-${i}`);

const local = await startLocalKinesis({ limits: 'off' });
let streamNo = 0;
async function freshStream(): Promise<string> {
  const name = `bench-${streamNo++}`;
  await local.createStream({ name, shardCount: 4 });
  return name;
}

async function plainLoop(): Promise<number> {
  const stream = await freshStream();
  const client = local.client();
  const started = performance.now();
  for (let i = 0; i < RECORDS; i += 500) {
    let entries = Array.from({ length: Math.min(500, RECORDS - i) }, (_, j) => ({ Data: DATA, PartitionKey: keys[(i + j) % KEYS] as string }));
    while (entries.length > 0) {
      const out = await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries }));
      entries = entries.filter((_, j) => out.Records?.[j]?.ErrorCode !== undefined);
    }
  }
  return (performance.now() - started) / 1000;
}

async function shardline(aggregation: boolean): Promise<number> {
  const stream = await freshStream();
  const producer = createProducer({ streamName: stream, client: local.client(), aggregation, rateControl: 'off', lingerMs: 20, maxInFlightRequests: 8 });
  await producer.ready;
  const started = performance.now();
  const CHUNK = 5_000;
  const pending = [];
  for (let i = 0; i < RECORDS; i += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, RECORDS - i) }, (_, j) => ({ data: DATA, partitionKey: keys[(i + j) % KEYS] as string }));
    pending.push(producer.putMany(chunk));
  }
  const outcomes = (await Promise.all(pending)).flat();
  const seconds = (performance.now() - started) / 1000;
  const failed = outcomes.filter((o) => o.status === 'rejected').length;
  if (failed > 0) throw new Error(`${failed} records failed`);
  await producer.close();
  return seconds;
}

const contenders: [string, () => Promise<number>][] = [
  ['plain PutRecords loop, 500 per call (baseline)', plainLoop],
  ['shardline, aggregation on', () => shardline(true)],
  ['shardline, aggregation off', () => shardline(false)],
];
const seconds = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (let k = 0; k < contenders.length; k++) {
    const [name, run] = contenders[(round + k) % contenders.length] as (typeof contenders)[number];
    seconds.get(name)?.push(await run());
  }
}
await local.stop();

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rate = (name: string): number => RECORDS / median(seconds.get(name) ?? []);
const base = rate(contenders[0]?.[0] ?? '');
console.log(`${RECORDS.toLocaleString()} × 100-byte records, ${KEYS.toLocaleString()} keys, 4 shards, local-kinesis limits off, median of ${ROUNDS} rounds (node ${process.version})`);
for (const [name] of contenders) {
  const r = rate(name);
  const all = (seconds.get(name) ?? []).map((s) => Math.round(RECORDS / s).toLocaleString()).join(', ');
  console.log(`  ${name.padEnd(48)} ${Math.round(r).toLocaleString().padStart(9)} records/s  ${((r * 100) / 1e6).toFixed(2).padStart(6)} MB/s  ${(r / base).toFixed(2)}x   (rounds: ${all})`);
}

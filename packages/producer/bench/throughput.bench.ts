/**
 * Through a real Kinesis API (local-kinesis, limits off, in this process): user records/s and MB/s
 * through one producer with aggregation on and off, against the named baseline of a plain loop of
 * SDK PutRecords calls of 500 records (what a hand-rolled producer does), same run, same records.
 *
 * 100-byte records, 10,000 keys, 4 shards; each contender writes RECORDS records into its own
 * stream. The producer's own rate control is off (the server has no limits to respect here).
 *
 *   npx tsx packages/producer/bench/throughput.bench.ts [records]
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '../src/index.js';

const RECORDS = Number(process.argv[2] ?? 100_000);
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

const rows: [string, number][] = [];
rows.push(['plain PutRecords loop, 500 per call (baseline)', await plainLoop()]);
rows.push(['shardline, aggregation on', await shardline(true)]);
rows.push(['shardline, aggregation off', await shardline(false)]);
await local.stop();

const base = RECORDS / (rows[0]?.[1] ?? 1);
console.log(`${RECORDS.toLocaleString()} × 100-byte records, ${KEYS.toLocaleString()} keys, 4 shards, local-kinesis limits off (node ${process.version})`);
for (const [name, seconds] of rows) {
  const rate = RECORDS / seconds;
  console.log(`  ${name.padEnd(48)} ${Math.round(rate).toLocaleString().padStart(9)} records/s  ${((rate * 100) / 1e6).toFixed(2).padStart(6)} MB/s  ${(rate / base).toFixed(2)}x`);
}

/**
 * Codec alone: KPL aggregation and deaggregation throughput against the npm `aws-kinesis-agg`
 * 4.2.8 fed the same records in the same run.
 *
 * Scenario: 250-record batches, 100-byte data, partition keys drawn from a pool of 10,000 (seeded,
 * so every run encodes the same bytes). Each contender runs ROUNDS times, interleaved so machine
 * noise hits both alike; medians are reported.
 *
 *   npx tsx packages/producer/bench/codec.bench.ts
 */
import agg from 'aws-kinesis-agg';
import { AggregateBuilder, type KeySlot } from '../src/aggregation/aggregate-builder.js';
import { aggregate } from '../src/aggregation/aggregate.js';
import { deaggregate } from '../src/aggregation/deaggregate.js';
import { OutputSlabs } from '../src/output-slabs.js';
import { seeded } from './seeded-random.js';

const BATCH_RECORDS = 250;
const BATCHES = 200; // 50,000 user records per round
const DATA_BYTES = 100;
const KEY_POOL = 10_000;
const ROUNDS = 11;

interface Input {
  partitionKey: string;
  data: Buffer;
}

function makeBatches(): Input[][] {
  const random = seeded(42);
  const keys = Array.from({ length: KEY_POOL }, (_, i) => `user-${i}-${Math.floor(random() * 1e9)}`);
  return Array.from({ length: BATCHES }, () =>
    Array.from({ length: BATCH_RECORDS }, () => ({
      partitionKey: keys[Math.floor(random() * KEY_POOL)] as string,
      data: Buffer.alloc(DATA_BYTES, Math.floor(random() * 256)),
    })),
  );
}

interface OracleAggregator {
  addUserRecord(record: Input): void;
  build(): { data: Buffer };
}
const RecordAggregator = (agg as unknown as { RecordAggregator: new () => OracleAggregator }).RecordAggregator;

/** CPU seconds this process has used: unlike wall time, it does not count time spent descheduled
 * while other processes share the 2 cores, so figures stay comparable on a loaded machine. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Result {
  /** Median user records per CPU-second over the rounds. */
  rate: number;
  /** Minor page faults per round (mean): fresh memory touched, which costs here (see docs/benchmarks.md). */
  faults: number;
  /** Median over rounds of this contender's rate / the baseline's rate in the same round. */
  ratio: number;
}

/**
 * Runs every contender ROUNDS times, interleaved; the first contender is the baseline. Each round's
 * ratio compares contenders measured seconds apart, so a load swing on the shared machine moves
 * both sides of a ratio alike; the median of those ratios is reported.
 */
function race(contenders: Record<string, () => number>): Record<string, Result> {
  // Per contender, per measured round: [user records per CPU-second, minor page faults].
  const rounds: Record<string, [number, number][]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  for (let r = 0; r < ROUNDS + 1; r++) {
    for (const [name, round] of Object.entries(contenders)) {
      const faultsBefore = process.resourceUsage().minorPageFault;
      const started = cpuSeconds();
      const records = round();
      const seconds = cpuSeconds() - started;
      if (r > 0) rounds[name]?.push([records / seconds, process.resourceUsage().minorPageFault - faultsBefore]); // round 0 warms the JIT
    }
  }
  const baseline = (Object.values(rounds)[0] as [number, number][]).map(([rate]) => rate);
  return Object.fromEntries(
    Object.entries(rounds).map(([name, xs]) => {
      const rates = xs.map(([rate]) => rate);
      const faults = xs.reduce((sum, [, f]) => sum + f, 0) / xs.length;
      return [name, { rate: median(rates), ratio: median(rates.map((x, i) => x / (baseline[i] as number))), faults }];
    }),
  );
}

function report(title: string, results: Record<string, Result>): void {
  console.log(`\n${title}`);
  Object.entries(results).forEach(([name, { rate, ratio, faults }], i) => {
    const versus = (i === 0 ? 'baseline' : `${ratio.toFixed(2)}x`).padEnd(8);
    console.log(`  ${name.padEnd(54)} ${(rate / 1e6).toFixed(3).padStart(6)} M user records per CPU-second  ${versus} ${Math.round(faults)} page faults per round`);
  });
}

const batches = makeBatches();
const builder = new AggregateBuilder();
const producerBuilder = new AggregateBuilder();
const slabs = new OutputSlabs();
// The producer keeps one KeySlot per distinct partition key (in its hash-key cache, found while
// predicting the shard): its builder deduplicates keys through them, not through the key index.
const slotByKey = new Map<string, KeySlot>();
const slotBatches = batches.map((batch) =>
  batch.map(({ partitionKey }) => {
    let slot = slotByKey.get(partitionKey);
    if (slot === undefined) slotByKey.set(partitionKey, (slot = { table: 0, index: 0, keyBytes: Buffer.byteLength(partitionKey) }));
    return slot;
  }),
);
let sink = 0; // keeps results observable so no work is optimised away

const encode = race({
  'aws-kinesis-agg RecordAggregator': () => {
    for (const batch of batches) {
      const aggregator = new RecordAggregator();
      for (const record of batch) aggregator.addUserRecord(record);
      sink += aggregator.build().data.length;
    }
    return BATCHES * BATCH_RECORDS;
  },
  'shardline aggregate()': () => {
    for (const batch of batches) sink += aggregate(batch).length;
    return BATCHES * BATCH_RECORDS;
  },
  'shardline AggregateBuilder (sizeWithBytes+add)': () => {
    for (const batch of batches) {
      builder.reset();
      for (const record of batch) {
        sink += builder.sizeWithBytes(record.partitionKey, undefined, record.data.length);
        builder.add(record.partitionKey, undefined, record.data);
      }
      sink += builder.build().length;
    }
    return BATCHES * BATCH_RECORDS;
  },
  // As the producer's accumulator drives it: keys with their slots, measure, commit that
  // measurement, and build into memory leased from reused slabs (released here once read, as the
  // producer does at settlement).
  'shardline AggregateBuilder, producer path (slots, slabs)': () => {
    for (let b = 0; b < BATCHES; b++) {
      const batch = batches[b] as Input[];
      const slots = slotBatches[b] as KeySlot[];
      producerBuilder.reset();
      for (let i = 0; i < batch.length; i++) {
        const record = batch[i] as Input;
        const slot = slots[i] as KeySlot;
        sink += producerBuilder.sizeWithBytes(record.partitionKey, undefined, record.data.length, slot);
        producerBuilder.addMeasured(record.partitionKey, undefined, record.data, slot);
      }
      const lease = slabs.lease(producerBuilder.sizeBytes);
      sink += producerBuilder.build(lease.data)[7] as number;
      if (lease.slab !== undefined) slabs.release(lease.slab);
    }
    return BATCHES * BATCH_RECORDS;
  },
});

const sdkRecords = batches.map((batch, i) => ({
  Data: aggregate(batch),
  PartitionKey: 'outer',
  SequenceNumber: String(49_000_000 + i),
}));
const decode = race({
  'aws-kinesis-agg deaggregateSync (checksums)': () => {
    for (const record of sdkRecords) {
      agg.deaggregateSync(record as never, true, (_err: unknown, users?: unknown[]) => {
        sink += users?.length ?? 0;
      });
    }
    return BATCHES * BATCH_RECORDS;
  },
  'shardline deaggregate()': () => {
    for (const record of sdkRecords) sink += deaggregate(record).length;
    return BATCHES * BATCH_RECORDS;
  },
});

console.log(`node ${process.version}; ${BATCHES} batches x ${BATCH_RECORDS} records, ${DATA_BYTES}-byte data, ${KEY_POOL} keys; median of ${ROUNDS} rounds`);
report('aggregate (encode, one aggregate per batch)', encode);
report('deaggregate (decode, MD5 checked)', decode);
if (sink === 42) console.log('');

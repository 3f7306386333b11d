/**
 * The `loadgen plan` table: each row a quantity, the formula that produced it, and its value, so a
 * reader can check the arithmetic by hand.
 *
 * Invariant: formats a CapacityPlan only; every number shown is a field of the plan.
 */
import { formatNumber, formatTable } from '../report/text-table.js';
import {
  AGGREGATE_FIXED_BYTES,
  AGGREGATE_MAX_BYTES,
  AGGREGATED_RECORD_OVERHEAD_BYTES,
  EVENT_RECORD_OVERHEAD_BYTES,
  IDLE_POLL_MS,
  type CapacityPlan,
} from './capacity-plan.js';

const n = formatNumber;
const pct = (ratio: number): string => `${n(Math.round(ratio * 1000) / 10)}%`;

export function formatPlan(plan: CapacityPlan): string[] {
  const { input, write, perShard, consumer } = plan;
  const R = n(input.rate);
  const B = n(input.recordBytes);
  const rows: string[][] = [['', 'formula', 'value']];
  if (input.aggregation) {
    rows.push([
      'records per aggregate',
      `k = ⌊(${n(AGGREGATE_MAX_BYTES)} − ${AGGREGATE_FIXED_BYTES}) ÷ (B + ${AGGREGATED_RECORD_OVERHEAD_BYTES})⌋`,
      n(write.userRecordsPerKinesisRecord),
    ]);
    rows.push(['aggregate bytes', `${AGGREGATE_FIXED_BYTES} + k × (B + ${AGGREGATED_RECORD_OVERHEAD_BYTES})`, n(write.kinesisRecordBytes)]);
  }
  const k = input.aggregation ? ' ÷ k' : '';
  rows.push(['Kinesis records/s', `R${k}`, n(write.kinesisRecordsPerSec)]);
  rows.push(['bytes/s', input.aggregation ? 'R ÷ k × aggregate bytes' : 'R × B', n(write.bytesPerSec)]);
  rows.push(['shards for records', `⌈records/s ÷ 1,000⌉`, n(write.shardsForRecords)]);
  rows.push(['shards for bytes', `⌈bytes/s ÷ 1,048,576⌉`, n(write.shardsForBytes)]);
  rows.push(['shards for writes', `max of the two (${write.binding} bind)`, n(write.shardsNeeded)]);
  const S = input.shards === undefined ? 'S = shards for writes' : 'S (given)';
  rows.push(['shards used below', S, n(plan.shards)]);
  rows.push(['write load/shard (rec · B)', 'records/s ÷ S ÷ 1,000 · bytes/s ÷ S ÷ 1 MiB', `${pct(perShard.recordsUtilization)} · ${pct(perShard.bytesUtilization)}`]);
  if (consumer !== undefined) {
    const D = n(input.functionMs ?? 0);
    const kRec = input.aggregation ? ' × k' : '';
    rows.push([
      'batch (Kinesis records)',
      `min(N, ⌊6 MiB ÷ (4⌈bytes/3⌉ + ${EVENT_RECORD_OVERHEAD_BYTES})⌋)`,
      n(consumer.batchKinesisRecords),
    ]);
    rows.push([
      'consumer capacity/shard',
      `min(P × batch${kRec} × 1000 ÷ D, 2 MiB ÷ bytes${kRec}) (${consumer.limitedBy})`,
      `${n(round2(consumer.capacityPerShard))} rec/s`,
    ]);
    rows.push(['ingest/shard', 'R ÷ S', `${n(round2(consumer.ingestPerShard))} rec/s`]);
    rows.push(['consumer utilization', 'ingest ÷ capacity', pct(consumer.utilization)]);
    rows.push(['shards for consumer', '⌈R ÷ capacity⌉', n(consumer.shardsNeeded)]);
    const age = consumer.iteratorAge;
    rows.push(
      age.trend === 'flat'
        ? ['IteratorAge', `flat, ≤ idle poll ${n(IDLE_POLL_MS)} ms + D`, `≤ ${n(age.steadyMaxMs ?? 0)} ms`]
        : ['IteratorAge', 'grows 1 − capacity ÷ ingest s per s', `+${n(round2(age.growthSecondsPerSecond))} s/s`],
    );
    if (age.hoursToRetention !== undefined) {
      rows.push(['records expire after', `retention ${n(input.retentionHours)} h ÷ growth`, `${n(round2(age.hoursToRetention))} h`]);
    }
    rows.push(['', `(N = ${n(input.batchSize)}, D = ${D} ms, P = ${n(input.parallelizationFactor)})`, '']);
  }
  const header = `Plan for R = ${R} records/s of B = ${B} bytes${input.aggregation ? ', KPL aggregation' : ''}`;
  const verdict = [`Recommended shards: ${n(plan.recommendedShards)}`];
  if (consumer !== undefined && !consumer.keepsUp) {
    verdict.push(`The consumer falls behind at ${n(plan.shards)} shards: raise shards, batch size or parallelization, or shorten the function.`);
  }
  // Values right-aligned next to their label, formulas left-aligned after them.
  const table = formatTable(rows.map(([label = '', , value = '']) => [label, value]));
  const width = Math.max(...table.map((line) => line.length));
  const lines = table.map((line, i) => `${line.padEnd(width)}   ${rows[i]?.[1] ?? ''}`.trimEnd());
  return [header, ...lines, ...verdict, 'Assumes keys spread evenly over shards; a hot key needs more.'];
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

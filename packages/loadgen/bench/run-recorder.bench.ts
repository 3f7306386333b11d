/**
 * Bench: the cost of accounting and measuring one record's whole life in the run recorder
 * (scheduled → sent → acked → consumed, with envelope decoding), against a baseline that records
 * the same three latencies into bare HdrHistograms. Prints ns/record, records/s and heap growth.
 *
 * The loop encodes each consumed record first (as the consumer would receive it); that encoding is
 * timed separately and subtracted.
 *
 * Run: npx tsx --expose-gc packages/loadgen/bench/run-recorder.bench.ts [records=2000000]
 */
import { build } from 'hdr-histogram-js';
import { encodeRecord } from '../src/envelope.js';
import { createRunRecorder } from '../src/metrics/run-recorder.js';

const N = Number(process.argv[2] ?? 2_000_000);
const KEYS = 10_000;
const RUN_ID = 'bench-run';
const START_US = 1_764_000_000_000_000;
const BODY = { k: 1 };

function baseline(): number {
  const hs = [build(), build(), build()];
  const t0 = process.hrtime.bigint();
  for (let seq = 0; seq < N; seq++) {
    hs[0]?.recordValue(200 + (seq % 50));
    hs[1]?.recordValue(3000 + (seq % 700));
    hs[2]?.recordValue(90_000 + (seq % 9000));
  }
  return Number(process.hrtime.bigint() - t0) / N;
}

function recorderLoop(): { nsPerRecord: number; heapGrowthMb: number; lost: number } {
  let t = START_US;
  const recorder = createRunRecorder({ runId: RUN_ID, now: () => t });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let seq = 0; seq < N; seq++) {
    const intendedUs = START_US + seq * 10; // 100,000 records/s
    t = intendedUs;
    const key = `user-${seq % KEYS}`;
    recorder.onScheduled(seq, intendedUs, true);
    recorder.onSent(seq, intendedUs, intendedUs + 200 + (seq % 50), true);
    recorder.onAcked(seq, intendedUs, intendedUs + 200, intendedUs + 3200 + (seq % 700), { shardId: 's', sequenceNumber: '1', attempts: [{}] }, key, true);
    const data = encodeRecord({ runId: RUN_ID, seq, intendedAtUs: intendedUs }, BODY);
    recorder.onConsumedData(data, { receivedUs: intendedUs + 90_000, arrivalUs: intendedUs + 5000, shardId: 's', sequenceNumber: '1', partitionKey: key });
  }
  const elapsed = Number(process.hrtime.bigint() - t0);
  const result = recorder.finish();
  global.gc?.();
  return { nsPerRecord: elapsed / N, heapGrowthMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20, lost: result.accounting.lost };
}

function encodeOnly(): number {
  const t0 = process.hrtime.bigint();
  for (let seq = 0; seq < N; seq++) encodeRecord({ runId: RUN_ID, seq, intendedAtUs: START_US + seq }, BODY);
  return Number(process.hrtime.bigint() - t0) / N;
}

const base = baseline();
const enc = encodeOnly();
const rec = recorderLoop();
const recorderOnly = rec.nsPerRecord - enc;
console.log(`records: ${N.toLocaleString('en-US')}, keys: ${KEYS}`);
console.log(`baseline (3 bare histograms):      ${base.toFixed(0)} ns/record`);
console.log(`run recorder, whole life:          ${recorderOnly.toFixed(0)} ns/record → ${Math.round(1e9 / recorderOnly).toLocaleString('en-US')} records/s on one core`);
console.log(`  (+ test-side encodeRecord:       ${enc.toFixed(0)} ns/record, excluded)`);
console.log(`heap growth after ${N.toLocaleString('en-US')} records: ${rec.heapGrowthMb.toFixed(1)} MB; lost: ${rec.lost}`);

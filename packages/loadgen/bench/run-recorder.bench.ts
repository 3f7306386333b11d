/**
 * Bench: the cost of accounting and measuring one record's whole life in the run recorder
 * (scheduled → sent → acked → consumed, with envelope decoding), against a baseline that records
 * the same three latencies into bare HdrHistograms. Records are encoded before the clock starts.
 * Each variant runs 5 rounds and keeps its best, because this 2-core machine is shared and noisy.
 *
 * Run: npx tsx packages/loadgen/bench/run-recorder.bench.ts [records=500000]
 */
import { build } from 'hdr-histogram-js';
import { encodeRecord } from '../src/envelope.js';
import { createRunRecorder } from '../src/metrics/run-recorder.js';

const N = Number(process.argv[2] ?? 500_000);
const ROUNDS = 5;
const KEYS = 10_000;
const RUN_ID = 'bench-run';
const START_US = 1_764_000_000_000_000;
const keys = Array.from({ length: KEYS }, (_, i) => `user-${i}`);
const records = Array.from({ length: N }, (_, seq) =>
  encodeRecord({ runId: RUN_ID, seq, intendedAtUs: START_US + seq * 10 }, { userId: keys[seq % KEYS], eventType: 'page_view' }),
);

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

let lost = -1;

function recorderLoop(): number {
  let t = START_US;
  const recorder = createRunRecorder({ runId: RUN_ID, now: () => t });
  const attempts = [{}];
  const t0 = process.hrtime.bigint();
  for (let seq = 0; seq < N; seq++) {
    const intendedUs = START_US + seq * 10; // 100,000 records/s of simulated time
    t = intendedUs;
    const key = keys[seq % KEYS] as string;
    recorder.onScheduled(seq, intendedUs, true);
    recorder.onSent(seq, intendedUs, intendedUs + 200 + (seq % 50), true);
    recorder.onAcked(seq, intendedUs, intendedUs + 200, intendedUs + 3200 + (seq % 700), { shardId: 's', sequenceNumber: '1', attempts }, key, true);
    recorder.onConsumedData(records[seq] as Uint8Array, {
      receivedUs: intendedUs + 90_000,
      arrivalUs: intendedUs + 5000,
      shardId: 's',
      sequenceNumber: '1',
      partitionKey: key,
    });
  }
  const ns = Number(process.hrtime.bigint() - t0) / N;
  lost = recorder.finish().accounting.lost;
  if (recorder.live().acked !== N) throw new Error('recorder lost events');
  return ns;
}

const best = (f: () => number): number => Math.min(...Array.from({ length: ROUNDS }, f));
const base = best(baseline);
const rec = best(recorderLoop);
console.log(`records: ${N.toLocaleString('en-US')} per round, best of ${ROUNDS}; keys: ${KEYS}`);
console.log(`baseline (3 bare histograms):  ${base.toFixed(0)} ns/record`);
console.log(`run recorder, whole life:      ${rec.toFixed(0)} ns/record (${(rec / base).toFixed(1)}× baseline) → ${Math.round(1e9 / rec).toLocaleString('en-US')} records/s on one core`);
console.log(`lost records reported: ${lost} (expected 0)`);

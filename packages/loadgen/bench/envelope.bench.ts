/**
 * Bench: reading the envelope of a consumed record with decodeEnvelope's byte-level fast path,
 * against the baseline a consumer would otherwise use — JSON.parse of the whole record — for
 * records of 200 B, 1 KiB and 25 KiB. Also prints encodeRecord's cost per record.
 *
 * Run: npx tsx packages/loadgen/bench/envelope.bench.ts [iterations=300000]
 */
import { decodeEnvelope, encodeRecord } from '../src/envelope.js';

const N = Number(process.argv[2] ?? 300_000);
const decoder = new TextDecoder();
const body = { userId: 'user-000123', eventType: 'page_view', page: '/products/42', device: 'mobile' };

function time(run: () => void): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) run();
  return Number(process.hrtime.bigint() - t0) / N;
}

console.log(`iterations: ${N.toLocaleString('en-US')} per figure (ns per record)`);
console.log('size       JSON.parse (baseline)  decodeEnvelope  speed-up  encodeRecord');
for (const size of [200, 1024, 25_600]) {
  const record = encodeRecord({ runId: 'bench-run-20261125', seq: 123_456, intendedAtUs: 1_764_000_000_123_456 }, body, size);
  let sink = 0;
  const baseline = time(() => {
    sink += (JSON.parse(decoder.decode(record)) as { _loadgen: { seq: number } })._loadgen.seq;
  });
  const fast = time(() => {
    sink += decodeEnvelope(record)?.seq ?? 0;
  });
  let seq = 0;
  const encode = time(() => {
    sink += encodeRecord({ runId: 'bench-run-20261125', seq: seq++, intendedAtUs: 1_764_000_000_123_456 }, body, size).length;
  });
  if (sink === 0) throw new Error('unreachable');
  console.log(
    `${String(size).padEnd(10)} ${baseline.toFixed(0).padStart(21)}  ${fast.toFixed(0).padStart(14)}  ${(baseline / fast).toFixed(1).padStart(7)}×  ${encode.toFixed(0).padStart(12)}`,
  );
}

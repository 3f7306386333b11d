/**
 * Cost of `loadgen merge` and `loadgen report` on 8 worker results of ~440 intervals each, against
 * the baseline of only parsing those result files (what any tool reading them pays).
 * Run: npx tsx packages/loadgen/bench/merge-report.bench.ts
 */
import { mergeResults } from '../src/merge/merge-results.js';
import type { RunResult } from '../src/metrics/run-result.js';
import { renderHtmlReport } from '../src/report/html/render-html.js';
import { syntheticRun } from '../test/merge/synthetic-run.js';

const WORKERS = 8;
const ROUNDS = 5;

function best(label: string, f: () => unknown): number {
  let bestMs = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    f();
    bestMs = Math.min(bestMs, performance.now() - t);
  }
  console.log(`${label.padEnd(44)} ${bestMs.toFixed(1).padStart(8)} ms (best of ${ROUNDS})`);
  return bestMs;
}

// 2,000 records 2 ms apart in 10 ms intervals (~440 with the consumer tail), all six histograms filled.
const texts = Array.from({ length: WORKERS }, (_, i) =>
  JSON.stringify(syntheticRun({ runId: `w${i}`, intervalMs: 10, keep: (seq) => seq % WORKERS === i })),
);
const results = texts.map((t) => JSON.parse(t) as RunResult);
console.log(`${WORKERS} results, ${results[0]?.intervals.length} intervals each, ${(texts.join('').length / 1024).toFixed(0)} KiB of JSON`);
const parse = best('baseline: JSON.parse of the 8 files', () => texts.map((t) => JSON.parse(t) as unknown));
const merge = best('mergeResults (decode + add 48 histograms)', () => mergeResults(results));
const merged = mergeResults(results);
const render = best('renderHtmlReport of the merged result', () => renderHtmlReport(merged));
console.log(`merge = ${(merge / parse).toFixed(1)}× parse; report = ${(render / parse).toFixed(1)}× parse; page ${(renderHtmlReport(merged).length / 1024).toFixed(0)} KiB`);

/**
 * The self-contained HTML report of a run: the verdict, the rates and latency tables, the charts
 * (drawn in the browser by the inlined uPlot from data embedded in the page), the account of every
 * record and the thresholds.
 *
 * Invariants:
 * - One file, no external reference: uPlot's script and CSS, the data and the page script are all
 *   inline, so the page works offline and as a CI artifact.
 * - Every text from the result is HTML-escaped, and the embedded JSON cannot close its script tag
 *   (`<` is written as \u003c), so a scenario name like `</script>` stays text.
 */
import type { RunResult } from '../../metrics/run-result.js';
import { HISTOGRAM_NAMES } from '../../metrics/run-result.js';
import { HISTOGRAM_LABELS, LATENCY_COLUMNS, latencyCells } from '../summary.js';
import { formatNumber as n } from '../text-table.js';
import { buildChartData } from './chart-data.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { REPORT_CSS } from './report-css.js';
import { uplotAssets } from './uplot-assets.js';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th>${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

function verdict(result: RunResult): { ok: boolean; text: string } {
  const outcomes = result.thresholds ?? [];
  const failed = outcomes.filter((o) => !o.ok).length;
  if (outcomes.length === 0) return { ok: result.accounting.lost === 0, text: `No thresholds; ${n(result.accounting.lost)} records lost` };
  return failed === 0
    ? { ok: true, text: `All ${outcomes.length} thresholds passed` }
    : { ok: false, text: `${failed} of ${outcomes.length} thresholds failed` };
}

function latencyTable(result: RunResult): string {
  const rows = HISTOGRAM_NAMES.map((name) => [HISTOGRAM_LABELS[name].trim(), ...latencyCells(result.latency[name], '–')]);
  return table(['latency (ms)', 'count', ...LATENCY_COLUMNS], rows);
}

function accountingTable(result: RunResult): string {
  const a = result.accounting;
  const rows: [string, number, string][] = [
    ['scheduled', a.scheduled, 'records the schedule intended (warmup included)'],
    ['sent', a.sent, 'handed to the producer'],
    ['acked', a.acked, 'written to the stream'],
    ['failed', a.failed, Object.entries(a.failedByReason).map(([code, f]) => `${code}: ${n(f.count)}`).join(', ')],
    ['consumed', a.consumed, 'distinct records the consumer saw'],
    ['lost', a.lost, a.lost > 0 ? `acked, never consumed; first seqs ${a.lostSeqsSample.join(', ')}` : 'acked, never consumed'],
    ['duplicated', a.duplicated, 'extra copies in the stream'],
    ['redelivered', a.redelivered, "consumer retries (Lambda's at-least-once)"],
    ['out of order', a.outOfOrder, 'per partition key'],
    ['consumed, not acked', a.consumedNotAcked, `${n(a.failedButConsumed)} of them reported failed`],
    ['unresolved', a.unresolved, 'neither acked nor failed at the end'],
    ['foreign', a.foreign, 'records of other runs ignored'],
  ];
  return table(['records', 'count', ''], rows.map(([label, count, why]) => [label, n(count), why]));
}

function backlogTable(result: RunResult): string {
  const b = result.backlog;
  if (b === undefined) return '';
  const ms = (value: number | null): string => (value === null ? 'never' : `${n(value)} ms`);
  const rows: [string, string, string][] = [
    ['waiting at start', n(b.recordsAtStart), b.startedBecause === 'records' ? `target ${n(b.targetRecords)} reached` : 'the phases ended first'],
    ['waited', ms(b.waitedMs), 'from the start of sending to the start of the consumer'],
    ['drain', ms(b.drainMs), 'until the records waiting at start were read'],
    ['drain rate', b.drainRecordsPerSec === null ? '–' : `${n(b.drainRecordsPerSec)} records/s`, b.drainMBPerSec === null ? '' : `${n(b.drainMBPerSec)} MB/s`],
    ['IteratorAge peak', ms(b.maxIteratorAgeMs), ''],
    ['caught up', ms(b.catchUpMs), 'IteratorAge under 1 s, or nothing left to read'],
  ];
  return `<h2>Backlog drain</h2>\n${table(['backlog', 'value', ''], rows)}`;
}

function thresholdsList(result: RunResult): string {
  const outcomes = result.thresholds ?? [];
  if (outcomes.length === 0) return '<p class="empty">No thresholds in this run.</p>';
  const items = outcomes.map(
    (o) => `<li class="${o.ok ? 'ok' : 'fail'}"><b>${o.ok ? 'ok' : 'FAIL'}</b> <code>${escapeHtml(o.expression)}</code> — ${escapeHtml(o.message)}</li>`,
  );
  return `<ul class="thresholds">${items.join('')}</ul>`;
}

const CHARTS = [
  ['chart-throughput', 'Throughput'],
  ['chart-latency', 'Latency over time'],
  ['chart-percentiles', 'Latency distribution'],
  ['chart-producer-shards', 'Per-shard load'],
  ['chart-consumer-lag', 'Consumer lag'],
  ['chart-consumer-shards', 'Consumer per shard'],
] as const;

export function renderHtmlReport(result: RunResult): string {
  const { script, css } = uplotAssets();
  const name = typeof result.meta.scenario === 'string' ? result.meta.scenario : result.runId;
  const v = verdict(result);
  const r = result.rates;
  const data = JSON.stringify(buildChartData(result)).replace(/</g, '\\u003c');
  const charts = CHARTS.map(([id, label]) => `<section class="chart" id="${id}" aria-label="${label}"></section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>loadgen report: ${escapeHtml(name)}</title>
<style>${css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>loadgen report: ${escapeHtml(name)}</h1>
<p class="meta">Run <code>${escapeHtml(result.runId)}</code> · started ${new Date(result.startedAtUs / 1000).toISOString()} · ${n(result.durationMs / 1000)} s</p>
<p class="verdict ${v.ok ? 'ok' : 'fail'}" id="verdict">${escapeHtml(v.text)}</p>
${table(['rates (records/s)', 'target', 'published', 'errors', 'consumed', 'achieved'], [
  ['whole run', n(r.targetRate), n(r.publishRate), n(r.publishErrorRate), n(r.consumeRate), `${n(r.achievedRatio * 100)}%`],
])}
<p class="meta">Throttled send attempts: ${n(result.throttling.throttledAttempts)} of ${n(result.throttling.attempts)} (${n(result.throttling.throttledPercent)}%)</p>
${latencyTable(result)}
${charts}
${backlogTable(result)}
<h2>Accounting</h2>
${accountingTable(result)}
<h2>Thresholds</h2>
${thresholdsList(result)}
</main>
<script type="application/json" id="report-data">${data}</script>
<script>${script}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

/**
 * The console summary of a run: rates, the latency table of every histogram, the account of every
 * record, throttling, the consumer, and the thresholds — what a person reads first after a run.
 *
 * Invariant: the summary only formats a RunResult; every figure in it is also in result.json.
 */
import type { LatencySummary } from '../metrics/latency-histogram.js';
import { HISTOGRAM_NAMES, type HistogramName, type RunResult } from '../metrics/run-result.js';
import { formatNumber, formatTable } from './text-table.js';

/** The columns of a latency table after the histogram's name and count. */
export const LATENCY_COLUMNS = ['p50', 'p75', 'p95', 'p99', 'p99.9', 'p99.99', 'max'] as const;

/** A histogram's count and its LATENCY_COLUMNS in ms; `empty` fills the columns of an empty one. */
export function latencyCells(s: LatencySummary, empty: string): string[] {
  if (s.count === 0) return ['0', ...Array<string>(LATENCY_COLUMNS.length).fill(empty)];
  return [formatNumber(s.count), ...[s.p50Ms, s.p75Ms, s.p95Ms, s.p99Ms, s.p999Ms, s.p9999Ms, s.maxMs].map(formatNumber)];
}

export const HISTOGRAM_LABELS: Record<HistogramName, string> = {
  sendDelay: 'send delay',
  publish: 'publish',
  correctedPublish: 'publish (corrected)',
  endToEnd: 'end-to-end',
  producerToStream: '  producer → stream',
  streamToConsumer: '  stream → consumer',
};

interface ConsumerStatsLike {
  invocations?: number;
  functionErrors?: number;
  partialFailures?: number;
  retries?: number;
  bisections?: number;
  discardedBatches?: number;
  discardedRecords?: number;
  maxIteratorAgeMs?: number;
  lastFunctionError?: string;
}

export function formatSummary(result: RunResult): string[] {
  const { rates, accounting: a, throttling: t } = result;
  const n = formatNumber;
  const lines = [`Run ${result.runId}: ${n(result.durationMs / 1000)} s`];
  lines.push(
    `Rates (records/s): target ${n(rates.targetRate)}, published ${n(rates.publishRate)} ` +
      `(${n(rates.achievedRatio * 100)}% of target), errors ${n(rates.publishErrorRate)}, consumed ${n(rates.consumeRate)}`,
  );
  lines.push('Latency (ms, warmup excluded)');
  const header = ['', 'count', ...LATENCY_COLUMNS];
  const rows = HISTOGRAM_NAMES.map((name) => [HISTOGRAM_LABELS[name], ...latencyCells(result.latency[name], '-')]);
  lines.push(...formatTable([header, ...rows]));
  lines.push('Records (warmup included)');
  lines.push(
    ...formatTable([
      ['scheduled', 'sent', 'acked', 'failed', 'consumed', 'lost', 'duplicated', 'redelivered', 'out-of-order', 'unresolved'],
      [a.scheduled, a.sent, a.acked, a.failed, a.consumed, a.lost, a.duplicated, a.redelivered, a.outOfOrder, a.unresolved].map(n),
    ], false),
  );
  if (a.lost > 0) lines.push(`  lost seqs (first ${a.lostSeqsSample.length}): ${a.lostSeqsSample.join(', ')}`);
  if (a.consumedNotAcked > 0) lines.push(`  consumed but never acked: ${n(a.consumedNotAcked)} (${n(a.failedButConsumed)} reported failed)`);
  if (a.foreign > 0) lines.push(`  records of other runs or writers ignored: ${n(a.foreign)}`);
  for (const [code, { count, message }] of Object.entries(a.failedByReason)) {
    lines.push(`  failed ${code}: ${n(count)} (${message})`);
  }
  lines.push(`Throttling: ${n(t.throttledAttempts)} of ${n(t.attempts)} send attempts throttled (${n(t.throttledPercent)}%)`);
  const c = result.consumer as ConsumerStatsLike | undefined;
  if (c !== undefined) {
    lines.push(
      `Consumer: ${n(c.invocations ?? 0)} invocations, ${n(c.functionErrors ?? 0)} function errors, ` +
        `${n(c.partialFailures ?? 0)} partial failures, ${n(c.retries ?? 0)} retries, ${n(c.bisections ?? 0)} bisections, ` +
        `${n(c.discardedRecords ?? 0)} records discarded in ${n(c.discardedBatches ?? 0)} batches, ` +
        `max iterator age ${n(c.maxIteratorAgeMs ?? 0)} ms`,
    );
    if (c.lastFunctionError !== undefined) lines.push(`  last function error: ${c.lastFunctionError}`);
  }
  const b = result.backlog;
  if (b !== undefined) {
    const ms = (value: number | null): string => (value === null ? 'never' : `${n(value / 1000)} s`);
    lines.push(
      `Backlog: ${n(b.recordsAtStart)} records waiting when the consumer started (${b.startedBecause === 'records' ? `target ${n(b.targetRecords)} reached` : 'phases ended first'}, after ${ms(b.waitedMs)}); ` +
        (b.drainMs === null ? 'not drained' : `drained in ${ms(b.drainMs)}: ${n(b.drainRecordsPerSec ?? 0)} records/s, ${n(b.drainMBPerSec ?? 0)} MB/s`) +
        `; IteratorAge peak ${n(b.maxIteratorAgeMs)} ms; caught up after ${ms(b.catchUpMs)}`,
    );
  }
  if (result.thresholds !== undefined && result.thresholds.length > 0) {
    const failed = result.thresholds.filter((o) => !o.ok).length;
    lines.push(failed === 0 ? 'Thresholds: all passed' : `Thresholds: ${failed} of ${result.thresholds.length} failed`);
    for (const o of result.thresholds) lines.push(`  ${o.ok ? 'ok  ' : 'FAIL'}  ${o.expression}  (${o.message})`);
  }
  return lines;
}

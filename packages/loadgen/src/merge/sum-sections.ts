/**
 * Summing the count-like sections of several results: accounting, throttling, clamped values, and
 * the producer's and consumer's snapshots.
 *
 * Invariants:
 * - Counts add; the lost-seq sample stays the 20 lowest; failure reasons add by code, keeping the
 *   first message seen.
 * - Snapshots are summed field by field for numbers only, except `max…` fields (the largest wins)
 *   and per-shard entries (summed per shard id). Percentile objects inside a snapshot cannot be
 *   added and are left out rather than shown wrong.
 */
import type { AccountingReport } from '../metrics/accounting.js';
import { HISTOGRAM_NAMES, type RunResult } from '../metrics/run-result.js';

const LOST_SAMPLE_SIZE = 20;

type NumberKeys<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T];
const ACCOUNTING_COUNTS: readonly NumberKeys<AccountingReport>[] = [
  'scheduled', 'sent', 'acked', 'failed', 'consumed', 'lost', 'duplicated', 'redelivered', 'outOfOrder',
  'consumedNotAcked', 'failedButConsumed', 'unresolved', 'warmup', 'foreign',
];

export function sumAccounting(parts: readonly AccountingReport[]): AccountingReport {
  const total = Object.fromEntries(ACCOUNTING_COUNTS.map((k) => [k, parts.reduce((n, p) => n + p[k], 0)])) as Pick<
    AccountingReport,
    NumberKeys<AccountingReport>
  >;
  const failedByReason: AccountingReport['failedByReason'] = {};
  for (const p of parts) {
    for (const [code, { count, message }] of Object.entries(p.failedByReason)) {
      const entry = failedByReason[code];
      failedByReason[code] = entry === undefined ? { count, message } : { count: entry.count + count, message: entry.message };
    }
  }
  const lostSeqsSample = parts
    .flatMap((p) => p.lostSeqsSample)
    .sort((a, b) => a - b)
    .slice(0, LOST_SAMPLE_SIZE);
  return { ...total, lostSeqsSample, failedByReason };
}

export function sumThrottling(parts: readonly RunResult['throttling'][]): RunResult['throttling'] {
  const attempts = parts.reduce((n, p) => n + p.attempts, 0);
  const throttledAttempts = parts.reduce((n, p) => n + p.throttledAttempts, 0);
  // Same rounding as the recorder: 4 decimals of a percent.
  const throttledPercent = attempts === 0 ? 0 : Math.round((throttledAttempts / attempts) * 1e6) / 1e4;
  return { attempts, throttledAttempts, throttledPercent };
}

export function sumClamped(parts: readonly RunResult['clamped'][]): RunResult['clamped'] {
  return Object.fromEntries(
    HISTOGRAM_NAMES.map((n) => [
      n,
      { low: parts.reduce((sum, p) => sum + (p[n]?.low ?? 0), 0), high: parts.reduce((sum, p) => sum + (p[n]?.high ?? 0), 0) },
    ]),
  ) as RunResult['clamped'];
}

type Snapshot = Record<string, unknown>;
const isObject = (v: unknown): v is Snapshot => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sums numeric fields; `max…` fields take the largest; `shards` merge per shard id. */
export function sumSnapshots(parts: readonly unknown[]): Snapshot | undefined {
  const objects = parts.filter(isObject);
  if (objects.length === 0) return undefined;
  const out: Snapshot = {};
  for (const part of objects) {
    for (const [key, value] of Object.entries(part)) {
      if (typeof value === 'number') {
        const prev = out[key];
        if (typeof prev !== 'number') out[key] = value;
        else out[key] = key.startsWith('max') ? Math.max(prev, value) : prev + value;
      } else if (key === 'shards') {
        out.shards = mergeShards(out.shards, value);
      }
    }
  }
  return out;
}

/** Shards as a map by id (producer) or a list with `shardId` (consumer); the shape of the first wins. */
function mergeShards(previous: unknown, next: unknown): unknown {
  const asMap = (v: unknown): Map<string, unknown> => {
    if (Array.isArray(v)) return new Map(v.filter(isObject).map((s) => [String(s.shardId), s]));
    return new Map(isObject(v) ? Object.entries(v) : []);
  };
  const merged = asMap(previous);
  for (const [id, shard] of asMap(next)) merged.set(id, sumSnapshots([merged.get(id), shard]));
  const listShape = Array.isArray(previous) || (previous === undefined && Array.isArray(next));
  if (!listShape) return Object.fromEntries(merged);
  return [...merged.entries()].map(([shardId, s]) => ({ ...(s as Snapshot), shardId }));
}

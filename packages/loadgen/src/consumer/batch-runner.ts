/**
 * Lambda's rules for one batch of one lane: invoke, then on failure retry with backoff, bisect, or
 * resume after a partial failure, and discard what exhausts its retries or its age.
 *
 * Invariants (AWS Lambda, "Using Lambda with Kinesis" — error handling):
 * - Items are delivered in order; nothing after a failed item is delivered until the failed item
 *   succeeds or is discarded, so a partition key is never reordered.
 * - ReportBatchItemFailures: the checkpoint moves to just before the LOWEST failed sequence number;
 *   the retry starts there. A response naming an unknown, empty or non-string identifier fails the
 *   whole batch. Batch [s1..s5] answered `[{itemIdentifier: s4}, {itemIdentifier: s2}]` retries s2..s5.
 * - BisectBatchOnFunctionError: a failed batch of n > 1 items is split into ⌈n/2⌉ + ⌊n/2⌋ and each
 *   half is retried; the split does not count as a retry, so a poison record in 100 is isolated
 *   after ⌈log2 100⌉ = 7 splits and then uses its own retries.
 * - MaximumRetryAttempts r ≥ 0: the (r+1)-th failure of a (sub-)batch discards it; -1 never does.
 * - MaximumRecordAgeSeconds a ≥ 0: items older than a seconds at delivery time are discarded.
 */
import type { BatchItem } from './batch-item.js';
import type { ResolvedConfig } from './config.js';
import type { HandlerResponse } from './lambda-event.js';

export type InvokeOutcome = { ok: true; response: HandlerResponse } | { ok: false; error: unknown };

/** Lambda's on-failure destination record, kept in memory. */
export interface DiscardedBatch {
  condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded';
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize: number;
  approximateArrivalOfFirstRecord: string;
  approximateArrivalOfLastRecord: string;
  retryAttempts: number;
  errorMessage?: string;
}

export interface BatchStats {
  invocations: number;
  functionErrors: number;
  /** The latest function error, `Name: message` (a handler failing forever shows why here). */
  lastFunctionError?: string;
  partialFailures: number;
  retries: number;
  bisections: number;
}

export interface BatchRunnerDeps {
  config: ResolvedConfig;
  /** Hands items to measurement right before each invocation (µs timestamp taken inside). */
  deliver(items: readonly BatchItem[]): void;
  invoke(items: readonly BatchItem[]): Promise<InvokeOutcome>;
  /** Resolves after `ms`, or early when the mapping stops. */
  sleep(ms: number): Promise<void>;
  isStopped(): boolean;
  /** Wall-clock µs. */
  now(): number;
  /** Delay before retry number `retry` (1-based). */
  backoffMs(retry: number): number;
  onDiscard(batch: DiscardedBatch): void;
  stats: BatchStats;
}

interface Pending {
  items: readonly BatchItem[];
  retries: number;
  lastError?: string;
}

/** Runs one batch to completion; returns false if the mapping stopped first. */
export async function runBatch(items: readonly BatchItem[], deps: BatchRunnerDeps): Promise<boolean> {
  const { config, stats } = deps;
  const queue: Pending[] = [{ items, retries: 0 }];
  while (queue.length > 0) {
    if (deps.isStopped()) return false;
    const current = queue[0] as Pending;
    discardExpired(current, deps);
    if (current.items.length === 0) {
      queue.shift();
      continue;
    }
    deps.deliver(current.items);
    stats.invocations++;
    const outcome = await deps.invoke(current.items);
    let failedFrom: number | undefined;
    if (!outcome.ok) {
      stats.functionErrors++;
      failedFrom = 0;
      current.lastError = describe(outcome.error);
      stats.lastFunctionError = current.lastError;
    } else if (config.reportBatchItemFailures) {
      failedFrom = firstFailedIndex(current.items, outcome.response);
      if (failedFrom !== undefined) {
        stats.partialFailures++;
        current.lastError = 'Partial batch failure';
      }
    }
    if (failedFrom === undefined) {
      queue.shift();
      continue;
    }
    current.items = current.items.slice(failedFrom);
    if (!outcome.ok && config.bisectBatchOnFunctionError && current.items.length > 1) {
      stats.bisections++;
      const mid = Math.ceil(current.items.length / 2);
      const half = (part: readonly BatchItem[]): Pending => ({ ...current, items: part });
      queue.splice(0, 1, half(current.items.slice(0, mid)), half(current.items.slice(mid)));
      continue;
    }
    current.retries++;
    if (config.maximumRetryAttempts !== -1 && current.retries > config.maximumRetryAttempts) {
      deps.onDiscard(discarded(current, 'RetryAttemptsExhausted', current.retries - 1));
      queue.shift();
      continue;
    }
    stats.retries++;
    await deps.sleep(deps.backoffMs(current.retries));
  }
  return true;
}

/** Index of the lowest failed item, undefined when none failed; 0 for an invalid response. */
export function firstFailedIndex(items: readonly BatchItem[], response: HandlerResponse): number | undefined {
  if (response === undefined || response === null) return undefined;
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return undefined;
  if (!Array.isArray(failures)) return 0;
  let lowest: number | undefined;
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return 0;
    const index = items.findIndex((item) => item.sequenceNumber === id);
    if (index < 0) return 0;
    lowest = lowest === undefined ? index : Math.min(lowest, index);
  }
  return lowest;
}

function discardExpired(current: Pending, deps: BatchRunnerDeps): void {
  const maxAgeS = deps.config.maximumRecordAgeSeconds;
  if (maxAgeS === -1) return;
  const oldestAllowedMs = deps.now() / 1000 - maxAgeS * 1000;
  let n = 0;
  while (n < current.items.length && (current.items[n] as BatchItem).arrivalMs < oldestAllowedMs) n++;
  if (n === 0) return;
  deps.onDiscard(discarded({ ...current, items: current.items.slice(0, n) }, 'RecordAgeExceeded', current.retries));
  current.items = current.items.slice(n);
}

function discarded(p: Pending, condition: DiscardedBatch['condition'], retryAttempts: number): DiscardedBatch {
  const first = p.items[0] as BatchItem;
  const last = p.items[p.items.length - 1] as BatchItem;
  const out: DiscardedBatch = {
    condition,
    shardId: first.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    batchSize: p.items.length,
    approximateArrivalOfFirstRecord: new Date(first.arrivalMs).toISOString(),
    approximateArrivalOfLastRecord: new Date(last.arrivalMs).toISOString(),
    retryAttempts,
  };
  if (p.lastError !== undefined) out.errorMessage = p.lastError;
  return out;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

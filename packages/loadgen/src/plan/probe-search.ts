/**
 * The max-sustainable-rate search of `loadgen probe` (as the OpenMessaging Benchmark does it):
 * judge each short run against bounds, double the rate while runs pass, then bisect between the
 * highest passing and the lowest failing rate.
 *
 * Invariants:
 * - Pure: a step is judged from its RunResult alone; the next rate depends only on the steps so far.
 * - A step passes only when the stream and the consumer kept up: the asked rate was acked, publish
 *   and end-to-end p99 stayed under their bounds, nothing was lost, almost nothing failed. A run
 *   with no end-to-end samples fails (a gate must not pass because nothing was measured).
 * - The search ends when the gap between passing and failing is within `resolution` of the passing
 *   rate (10%: between 4,000 and 4,400 records/s it stops), or no rate is left to try.
 */
import type { RunResult } from '../metrics/run-result.js';

export interface ProbeBounds {
  /** acked ÷ scheduled at least this. @default 0.98 */
  minAchievedRatio: number;
  /** Corrected publish p99 (ack − intended send) at most this. @default 1000 */
  publishP99Ms: number;
  /** End-to-end p99 at most this: the consumer kept up. @default 5000 */
  e2eP99Ms: number;
  /** failed ÷ scheduled at most this. @default 0.001 */
  maxFailedRatio: number;
}

export const DEFAULT_PROBE_BOUNDS: ProbeBounds = { minAchievedRatio: 0.98, publishP99Ms: 1000, e2eP99Ms: 5000, maxFailedRatio: 0.001 };

export interface ProbeEvidence {
  achievedRatio: number;
  publishP99Ms: number;
  e2eP99Ms: number;
  lost: number;
  failed: number;
  throttledPercent: number;
}

export interface ProbeStep {
  rate: number;
  ok: boolean;
  /** Why the step failed, one short phrase per broken bound. */
  reasons: string[];
  evidence: ProbeEvidence;
}

export function judgeStep(rate: number, result: RunResult, bounds: ProbeBounds = DEFAULT_PROBE_BOUNDS): ProbeStep {
  const a = result.accounting;
  const evidence: ProbeEvidence = {
    achievedRatio: result.rates.achievedRatio,
    publishP99Ms: result.latency.correctedPublish.p99Ms,
    e2eP99Ms: result.latency.endToEnd.p99Ms,
    lost: a.lost,
    failed: a.failed,
    throttledPercent: result.throttling.throttledPercent,
  };
  const reasons: string[] = [];
  if (evidence.achievedRatio < bounds.minAchievedRatio) reasons.push(`acked ${pct(evidence.achievedRatio)} of target < ${pct(bounds.minAchievedRatio)}`);
  if (evidence.publishP99Ms > bounds.publishP99Ms) reasons.push(`publish p99 ${evidence.publishP99Ms} ms > ${bounds.publishP99Ms} ms`);
  if (result.latency.endToEnd.count === 0) reasons.push('no end-to-end samples');
  else if (evidence.e2eP99Ms > bounds.e2eP99Ms) reasons.push(`e2e p99 ${evidence.e2eP99Ms} ms > ${bounds.e2eP99Ms} ms`);
  if (a.lost > 0) reasons.push(`${a.lost} lost`);
  if (a.scheduled > 0 && a.failed / a.scheduled > bounds.maxFailedRatio) reasons.push(`${a.failed} failed`);
  return { rate, ok: reasons.length === 0, reasons, evidence };
}

export interface SearchOptions {
  /** Never ask more than this. */
  maxRate: number;
  /** Stop when (lowest failing − highest passing) ÷ highest passing ≤ this. @default 0.1 */
  resolution?: number;
  /** Factor between rates while every step passes. @default 2 */
  growth?: number;
}

/** The highest passing rate and the lowest failing rate above it. */
export function bracket(steps: readonly ProbeStep[]): { okMax: number | undefined; failMin: number | undefined } {
  const okMax = steps.filter((s) => s.ok).reduce<number | undefined>((m, s) => (m === undefined || s.rate > m ? s.rate : m), undefined);
  const failMin = steps
    .filter((s) => !s.ok && (okMax === undefined || s.rate > okMax))
    .reduce<number | undefined>((m, s) => (m === undefined || s.rate < m ? s.rate : m), undefined);
  return { okMax, failMin };
}

/** The next rate to try, or undefined when the search is over. */
export function nextRate(steps: readonly ProbeStep[], { maxRate, resolution = 0.1, growth = 2 }: SearchOptions): number | undefined {
  const { okMax, failMin } = bracket(steps);
  if (okMax === undefined && failMin === undefined) return undefined;
  if (failMin === undefined) {
    const up = Math.min(maxRate, Math.round((okMax ?? 0) * growth));
    return up > (okMax ?? 0) ? up : undefined;
  }
  if (okMax === undefined) {
    const down = Math.floor(failMin / growth);
    return down >= 1 ? down : undefined;
  }
  if ((failMin - okMax) / okMax <= resolution) return undefined;
  const mid = Math.round((okMax + failMin) / 2);
  return mid > okMax && mid < failMin ? mid : undefined;
}

function pct(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

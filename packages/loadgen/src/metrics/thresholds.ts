/**
 * Thresholds: `"e2e.p99 < 2000ms"`, `"lost == 0"`, `"throttled.rate < 5%"` — parsed once (so a
 * scenario with a bad threshold is rejected before anything is sent) and evaluated on a RunResult.
 *
 * Invariants:
 * - Grammar: `<metric> <op> <number>[unit]` with op one of `<  <=  >  >=  ==  !=`.
 * - Units: latencies take `us`/`µs`/`ms`/`s` (default ms, compared in ms); ratios take `%` or a bare
 *   fraction (`lost.rate < 0.01` ≡ `lost.rate < 1%`); counts and records/s take no unit.
 * - A metric that was not measured (no end-to-end samples, a ratio over zero records) fails its
 *   threshold: a gate must not pass because nothing ran.
 */
import { METRIC_HELP, resolveMetric, type MetricRef } from './threshold-metrics.js';
import type { RunResult, ThresholdOutcome } from './run-result.js';

export const THRESHOLD_OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

export interface Threshold {
  expression: string;
  metric: MetricRef;
  op: ThresholdOperator;
  /** The bound in the metric's comparison unit (ms, fraction, count, records/s). */
  bound: number;
  /** How the bound is shown back: `2000ms`, `5%`, `0`. */
  boundText: string;
  /** True when a ratio was written (and is shown) in %. */
  percent: boolean;
}

/** A threshold the user wrote wrongly; the CLI exits 2 with its message. */
export class ThresholdError extends Error {
  override readonly name = 'ThresholdError';
  readonly code = 'ERR_LOADGEN_THRESHOLD';
  readonly retriable = false;
  readonly expression: string;
  constructor(message: string, expression: string) {
    super(message);
    this.expression = expression;
  }
}

const SHAPE = /^\s*([A-Za-z][\w.]*?)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(us|µs|ms|s|%)?\s*$/i;
const TO_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };

export function parseThreshold(expression: string): Threshold {
  const m = SHAPE.exec(expression);
  if (m === null) {
    throw new ThresholdError(
      `Expected a threshold like \`e2e.p99 < 2000ms\` or \`lost == 0\`, got \`${expression}\``,
      expression,
    );
  }
  const [, metricName = '', op = '<', number = '0', rawUnit] = m;
  const metric = resolveMetric(metricName);
  if (metric === undefined) {
    throw new ThresholdError(`Unknown metric \`${metricName}\` in \`${expression}\`; expected ${METRIC_HELP}`, expression);
  }
  const unit = rawUnit?.toLowerCase();
  const value = Number(number);
  const fail = (what: string): never => {
    throw new ThresholdError(`Expected ${what} for \`${metric.name}\` in \`${expression}\`, got \`${rawUnit}\``, expression);
  };
  const base = { expression, metric, op: op as ThresholdOperator, percent: false };
  switch (metric.kind) {
    case 'ms': {
      const factor = TO_MS[unit ?? 'ms'];
      if (factor === undefined) return fail('a duration unit (us, ms, s)');
      return { ...base, bound: value * factor, boundText: `${number}${unit ?? 'ms'}` };
    }
    case 'ratio':
      if (unit !== undefined && unit !== '%') return fail('`%` or a bare fraction');
      return { ...base, bound: unit === '%' ? value / 100 : value, boundText: `${number}${unit ?? ''}`, percent: unit === '%' };
    default:
      if (unit !== undefined) return fail('no unit');
      return { ...base, bound: value, boundText: number };
  }
}

/** Parses every threshold, reporting the first bad one. */
export function parseThresholds(expressions: readonly string[]): Threshold[] {
  return expressions.map(parseThreshold);
}

const COMPARE: Record<ThresholdOperator, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

export function evaluateThreshold(threshold: Threshold, result: RunResult): ThresholdOutcome {
  const raw = threshold.metric.read(result);
  const expected = `expected ${threshold.op} ${threshold.boundText}`;
  if (raw === null) {
    return { expression: threshold.expression, ok: false, actual: null, message: `${threshold.metric.name} was not measured, ${expected}` };
  }
  const ok = COMPARE[threshold.op](raw, threshold.bound);
  const shown = formatActual(threshold, raw);
  return {
    expression: threshold.expression,
    ok,
    actual: threshold.percent ? round(raw * 100) : round(raw),
    message: `${threshold.metric.name} = ${shown}, ${expected}`,
  };
}

export function evaluateThresholds(thresholds: readonly Threshold[], result: RunResult): ThresholdOutcome[] {
  return thresholds.map((t) => evaluateThreshold(t, result));
}

function formatActual(t: Threshold, value: number): string {
  if (t.metric.kind === 'ms') return `${round(value)}ms`;
  if (t.percent) return `${round(value * 100)}%`;
  return String(round(value));
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Validation of `loadgen plan` inputs at the edge, before any arithmetic, with messages that name
 * the flag: "Expected `--rate` to be > 0, got 0".
 *
 * Invariant: a PlanInput that passes is safe for planCapacity (no division by zero, no NaN).
 */
import type { PlanInput } from './capacity-plan.js';

/** A bad `loadgen plan` flag: the CLI prints the message and exits 2. */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
  /** Stable code the CLI maps to exit 2. */
  readonly code = 'ERR_LOADGEN_USAGE';
  readonly retriable = false;
}

interface Rule {
  key: keyof PlanInput;
  flag: string;
  min: number;
  /** Inclusive upper bound. */
  max: number;
  integer: boolean;
  /** The lower bound itself is allowed. */
  minInclusive: boolean;
}

const RULES: readonly Rule[] = [
  { key: 'rate', flag: '--rate', min: 0, max: Number.MAX_SAFE_INTEGER, integer: false, minInclusive: false },
  // Kinesis accepts records up to 10 MiB on streams that raise MaxRecordSizeInKiB.
  { key: 'recordBytes', flag: '--record-bytes', min: 1, max: 10_485_760, integer: true, minInclusive: true },
  { key: 'shards', flag: '--shards', min: 1, max: 100_000, integer: true, minInclusive: true },
  { key: 'batchSize', flag: '--batch-size', min: 1, max: 10_000, integer: true, minInclusive: true },
  { key: 'functionMs', flag: '--function-ms', min: 0, max: 900_000, integer: false, minInclusive: false },
  { key: 'parallelizationFactor', flag: '--parallelization', min: 1, max: 10, integer: true, minInclusive: true },
  { key: 'retentionHours', flag: '--retention-hours', min: 24, max: 8760, integer: false, minInclusive: true },
];

/** Throws PlanInputError for the first out-of-range field. */
export function validatePlanInput(input: PlanInput): PlanInput {
  for (const rule of RULES) {
    const value = input[rule.key];
    if (value === undefined || typeof value === 'boolean') continue;
    const low = rule.minInclusive ? value >= rule.min : value > rule.min;
    if (!Number.isFinite(value) || !low || value > rule.max || (rule.integer && !Number.isInteger(value))) {
      const kind = rule.integer ? 'an integer ' : '';
      const range = `${rule.minInclusive ? '≥' : '>'} ${rule.min} and ≤ ${rule.max.toLocaleString('en-US')}`;
      throw new PlanInputError(`Expected \`${rule.flag}\` to be ${kind}${range}, got ${value}`);
    }
  }
  if (input.batchSize !== undefined && input.functionMs === undefined) {
    throw new PlanInputError('Expected `--function-ms` with `--batch-size`, got no function duration');
  }
  return input;
}

/**
 * Option checks shared by the flow-control factories.
 *
 * Each check throws `InvalidOptionError` with a message that reads like the rule it broke
 * ("Expected `burstMs` to be > 0, got -1"), so a bad configuration fails at construction, before
 * any request is sent, and never later as a NaN delay.
 */
import { InvalidOptionError } from '../errors.js';

function fail(name: string, rule: string, value: number): never {
  throw new InvalidOptionError(name, `Expected \`${name}\` to be ${rule}, got ${String(value)}`);
}

/** A finite number > 0 (a rate or a duration that divides something). */
export function requirePositive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) fail(name, 'a finite number > 0', value);
  return value;
}

/** A finite number ≥ 0. */
export function requireNonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) fail(name, 'a finite number ≥ 0', value);
  return value;
}

/** A number strictly between 0 and 1 (a multiplicative factor that must shrink but not zero). */
export function requireOpenUnit(name: string, value: number): number {
  if (!(value > 0 && value < 1)) fail(name, 'between 0 and 1 (exclusive)', value);
  return value;
}

/** `value` ≤ `limit`, named after both options so the message says which pair disagrees. */
export function requireAtMost(name: string, value: number, limitName: string, limit: number): number {
  if (!(value <= limit)) fail(name, `≤ \`${limitName}\` (${String(limit)})`, value);
  return value;
}

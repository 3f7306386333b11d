/**
 * Zod building blocks whose messages read like a spec: "Expected a number ≥ 0, got "fast"".
 *
 * Invariant: every helper reports the same message for a wrong type and for a wrong value, so the
 * user learns the whole rule from one error.
 */
import { z } from 'zod';
import { parseDurationMs } from './duration.js';

/** Renders a user's value for a message: strings quoted, objects as short JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  const json = JSON.stringify(value);
  if (json === undefined) return String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive upper bound. */
  below?: number;
  integer?: boolean;
}

function describeNumber(rule: NumberRule): string {
  const noun = rule.integer === true ? 'an integer' : 'a number';
  const bounds: string[] = [];
  if (rule.min !== undefined) bounds.push(`≥ ${rule.min}`);
  if (rule.above !== undefined) bounds.push(`> ${rule.above}`);
  if (rule.max !== undefined) bounds.push(`≤ ${rule.max}`);
  if (rule.below !== undefined) bounds.push(`< ${rule.below}`);
  return bounds.length === 0 ? noun : `${noun} ${bounds.join(' and ')}`;
}

/** A number with bounds; one message for every way it can be wrong. */
export function numberField(rule: NumberRule = {}) {
  const message = (input: unknown): string => `Expected ${describeNumber(rule)}, got ${showValue(input)}`;
  return z.number({ error: (issue) => message(issue.input) }).check((ctx) => {
    const value = ctx.value;
    const ok =
      Number.isFinite(value) &&
      (rule.integer !== true || Number.isInteger(value)) &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.above === undefined || value > rule.above) &&
      (rule.max === undefined || value <= rule.max) &&
      (rule.below === undefined || value < rule.below);
    if (!ok) ctx.issues.push({ code: 'custom', message: message(value), input: value });
  });
}

/** A non-empty string. */
export function stringField(what = 'a non-empty string') {
  return z
    .string({ error: (issue) => `Expected ${what}, got ${showValue(issue.input)}` })
    .min(1, { error: (issue) => `Expected ${what}, got ${showValue(issue.input)}` });
}

/** A boolean. */
export function booleanField() {
  return z.boolean({ error: (issue) => `Expected true or false, got ${showValue(issue.input)}` });
}

/** One of a fixed set of strings. */
export function enumField<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) => `Expected one of ${values.join(', ')}, got ${showValue(issue.input)}`,
  });
}

/** A duration string (`500ms`, `10s`, `2m`) parsed to milliseconds. */
export function durationField() {
  const message = (input: unknown): string =>
    `Expected a duration like "500ms", "10s" or "2m", got ${showValue(input)}`;
  return z
    .union([z.string(), z.literal(0)], { error: (issue) => message(issue.input) })
    .transform((text, ctx) => {
      const ms = typeof text === 'number' ? 0 : parseDurationMs(text);
      if (ms === undefined) {
        ctx.issues.push({ code: 'custom', message: message(text), input: text });
        return z.NEVER;
      }
      return ms;
    });
}

/** A strict object: unknown keys are errors (a typo must not silently fall back to a default). */
export const strictObject = z.strictObject;

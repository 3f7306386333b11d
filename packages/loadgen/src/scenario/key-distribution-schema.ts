/**
 * Schema for `records.partitionKey.distribution`: which partition keys the run draws.
 *
 * Accepted shapes (exactly one distribution name per object):
 * - `none` — keyless records; the producer chooses the shard.
 * - `uniform` or `{ uniform: true, keys: 1000 }` — every key equally likely.
 * - `roundRobin` or `{ roundRobin: true, keys: 16 }` — keys in turn: 0, 1, …, keys−1, 0, …
 * - `{ zipf: 0.99, keys: 100000 }` — YCSB zipfian with exponent s (key 0 the hottest).
 * - `{ hotspot: 0.2, hotTraffic: 0.8, keys: 1000 }` — 20% of keys get 80% of records.
 */
import { z } from 'zod';
import { numberField, showValue } from './schema-helpers.js';

/** The distribution after validation and defaults. */
export type KeyDistribution =
  | { kind: 'none' }
  | { kind: 'uniform'; keys: number }
  | { kind: 'roundRobin'; keys: number }
  | { kind: 'zipf'; keys: number; exponent: number }
  | { kind: 'hotspot'; keys: number; hotFraction: number; hotTrafficFraction: number };

const NAMES = ['none', 'uniform', 'roundRobin', 'zipf', 'hotspot'] as const;
const DEFAULT_KEYS = 1000;

const objectForm = z.strictObject({
  none: z.literal(true, { error: 'Expected `none: true`' }).optional(),
  uniform: z.literal(true, { error: 'Expected `uniform: true`' }).optional(),
  roundRobin: z.literal(true, { error: 'Expected `roundRobin: true`' }).optional(),
  zipf: numberField({ above: 0, below: 1 }).optional(),
  hotspot: numberField({ above: 0, below: 1 }).optional(),
  hotTraffic: numberField({ above: 0, below: 1 }).optional(),
  keys: numberField({ integer: true, min: 1, max: 100_000_000 }).optional(),
});

export const keyDistributionSchema = z
  .preprocess((input) => {
    // Shorthand strings: `zipf` means YCSB's default exponent 0.99, `hotspot` the 20/80 rule.
    if (typeof input !== 'string' || !(NAMES as readonly string[]).includes(input)) return input;
    return { [input]: input === 'zipf' ? 0.99 : input === 'hotspot' ? 0.2 : true };
  }, objectForm)
  .transform((form, ctx): KeyDistribution => {
    const present = NAMES.filter((name) => form[name] !== undefined);
    if (present.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: form,
        message: `Expected exactly one of ${NAMES.join(', ')}, got ${present.length === 0 ? showValue(form) : present.join(' and ')}`,
      });
      return z.NEVER;
    }
    if (form.hotTraffic !== undefined && form.hotspot === undefined) {
      ctx.issues.push({ code: 'custom', input: form, path: ['hotTraffic'], message: 'Expected `hotTraffic` only with `hotspot`' });
      return z.NEVER;
    }
    const keys = form.keys ?? DEFAULT_KEYS;
    if (form.none !== undefined) return { kind: 'none' };
    if (form.uniform !== undefined) return { kind: 'uniform', keys };
    if (form.roundRobin !== undefined) return { kind: 'roundRobin', keys };
    if (form.zipf !== undefined) return { kind: 'zipf', keys, exponent: form.zipf };
    return { kind: 'hotspot', keys, hotFraction: form.hotspot ?? 0.2, hotTrafficFraction: form.hotTraffic ?? 0.8 };
  });

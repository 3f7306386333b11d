/**
 * JSON templates with faker-style placeholders (the Kinesis Data Generator's syntax), compiled once.
 *
 * A string value may hold placeholders: `"{{random.number({"min":1,"max":9})}}"`. A string that is
 * exactly one placeholder keeps the placeholder's type (number, boolean); otherwise the results
 * are interpolated into the string. Placeholders:
 *   random.number([{min,max}]) · random.float([{min,max,precision}]) · random.boolean ·
 *   random.uuid · random.arrayElement([...]) · random.weighted({"a":3,"b":1}) ·
 *   date.now (ISO of the intended send time) · date.epochMs · name.firstName · name.lastName ·
 *   internet.email · address.country · commerce.price · key (the entity index) · seq
 *
 * Invariants: unknown placeholders and bad arguments fail at compile time (so `validate` catches
 * them, naming the field path); rendering allocates only the output object.
 */
import type { Random } from '../random.js';
import type { GeneratorInit, RecordContext, RecordGenerator } from './generator.js';
import { COUNTRIES, FIRST_NAMES, LAST_NAMES, intBetween, isoFromUs, pick, pickWeighted, uuid } from './sampling.js';

type Render = (context: RecordContext) => unknown;
type Placeholder = (random: Random, args: unknown[]) => Render;

/** A placeholder problem, with the path of the template field it is in. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code = 'ERR_LOADGEN_TEMPLATE';
  readonly retriable = false;
  constructor(readonly fieldPath: string, message: string) {
    super(message);
  }
}

function objectArg(args: unknown[]): Record<string, unknown> {
  const first = args[0];
  if (first === undefined) return {};
  if (typeof first !== 'object' || first === null || Array.isArray(first)) throw new Error(`Expected an object argument, got ${JSON.stringify(first)}`);
  return first as Record<string, unknown>;
}

function numberIn(options: Record<string, unknown>, name: string, fallback: number): number {
  const value = options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`Expected \`${name}\` to be a number, got ${JSON.stringify(value)}`);
  return value;
}

const PLACEHOLDERS: Record<string, Placeholder> = {
  'random.number': (random, args) => {
    const options = objectArg(args);
    const min = numberIn(options, 'min', 0);
    const max = numberIn(options, 'max', 99_999);
    if (max < min) throw new Error(`Expected max ≥ min, got min ${min} and max ${max}`);
    return () => intBetween(random, Math.ceil(min), Math.floor(max));
  },
  'random.float': (random, args) => {
    const options = objectArg(args);
    const min = numberIn(options, 'min', 0);
    const max = numberIn(options, 'max', 1);
    const factor = 1 / numberIn(options, 'precision', 0.01);
    return () => Math.round((min + random() * (max - min)) * factor) / factor;
  },
  'random.boolean': (random) => () => random() < 0.5,
  'random.uuid': (random) => () => uuid(random),
  'random.arrayElement': (random, args) => {
    const items = args[0];
    if (!Array.isArray(items) || items.length === 0) throw new Error('Expected a non-empty array argument');
    return () => pick(random, items);
  },
  'random.weighted': (random, args) => {
    const entries = Object.entries(objectArg(args)).map(([value, weight]) => {
      if (typeof weight !== 'number' || weight < 0) throw new Error(`Expected weight of "${value}" to be a number ≥ 0, got ${JSON.stringify(weight)}`);
      return [value, weight] as const;
    });
    if (entries.length === 0) throw new Error('Expected at least one weighted value');
    return () => pickWeighted(random, entries);
  },
  'date.now': () => (context) => isoFromUs(context.intendedAtUs),
  'date.epochMs': () => (context) => Math.floor(context.intendedAtUs / 1000),
  'name.firstName': (random) => () => pick(random, FIRST_NAMES),
  'name.lastName': (random) => () => pick(random, LAST_NAMES),
  'internet.email': (random) => () => `${pick(random, FIRST_NAMES)}.${pick(random, LAST_NAMES)}${intBetween(random, 1, 999)}@example.com`.toLowerCase(),
  'address.country': (random) => () => pick(random, COUNTRIES),
  'commerce.price': (random) => () => intBetween(random, 100, 99_999) / 100,
  key: () => (context) => context.keyIndex ?? null,
  seq: () => (context) => context.seq,
};

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*(?:\(([\s\S]*?)\))?\s*\}\}/g;

function compileString(text: string, random: Random, path: string): Render | string {
  const parts: (string | Render)[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [whole, name = '', rawArgs] = match;
    const factory = PLACEHOLDERS[name];
    if (factory === undefined) {
      throw new TemplateError(path, `Unknown placeholder {{${name}}}; known: ${Object.keys(PLACEHOLDERS).join(', ')}`);
    }
    let render: Render;
    try {
      const args = rawArgs === undefined || rawArgs.trim() === '' ? [] : (JSON.parse(`[${rawArgs}]`) as unknown[]);
      render = factory(random, args);
    } catch (error) {
      throw new TemplateError(path, `Bad arguments to {{${name}}}: ${(error as Error).message}`);
    }
    parts.push(text.slice(last, match.index), render);
    last = match.index + whole.length;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(last));
  const only = parts[1];
  if (parts.length === 3 && parts[0] === '' && parts[2] === '' && typeof only === 'function') return only;
  return (context) => parts.map((part) => (typeof part === 'string' ? part : String(part(context)))).join('');
}

function compileValue(value: unknown, random: Random, path: string): Render {
  if (typeof value === 'string') {
    const compiled = compileString(value, random, path);
    return typeof compiled === 'string' ? () => compiled : compiled;
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileValue(item, random, `${path}[${index}]`));
    return (context) => items.map((item) => item(context));
  }
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value).map(([key, item]) => [key, compileValue(item, random, `${path}.${key}`)] as const);
    return (context) => {
      const out: Record<string, unknown> = {};
      for (const [key, render] of fields) out[key] = render(context);
      return out;
    };
  }
  return () => value;
}

/** Compiles `template` (an object) into a generator; throws `TemplateError` on a bad placeholder. */
export function createTemplateGenerator(template: Record<string, unknown>, { random }: GeneratorInit): RecordGenerator {
  const render = compileValue(template, random, 'records.template');
  return { next: (context) => render(context) as Record<string, unknown> };
}

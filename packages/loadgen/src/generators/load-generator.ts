/**
 * Turns `records.template` into a generator: a built-in name, a JSON template object, or a module
 * path (resolved against the scenario file's directory, and only that path is imported).
 *
 * Invariant: every problem a user can cause (unknown name, missing module, module without a
 * generator export, bad template placeholder, bad option) becomes a `ScenarioError` naming
 * `records.template` or `records.options`, so `validate` reports it and `run` sends nothing.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Random } from '../random.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { changelog } from './changelog.js';
import { clickstream } from './clickstream.js';
import { writesBytes, type BuiltInGenerator, type BytesRecordGenerator, type GeneratorFactory, type GeneratorInit, type RecordGenerator } from './generator.js';
import { iot } from './iot.js';
import { orders } from './orders.js';
import { createTemplateGenerator, TemplateError } from './template.js';

export const BUILT_IN_GENERATORS: Readonly<Record<string, BuiltInGenerator>> = { clickstream, iot, orders, changelog };

export interface LoadGeneratorOptions {
  template: string | Record<string, unknown>;
  options: Record<string, unknown>;
  /** Distinct keys the run draws (0 = keyless). */
  keys: number;
  random: Random;
  /** Directory of the scenario file. */
  baseDir: string;
  /** The scenario file, for messages. */
  file?: string | undefined;
}

export interface LoadedGenerator {
  generator: RecordGenerator;
  /** Field holding the entity id, when the generator has one (built-ins do). */
  keyField: string | undefined;
  /**
   * The same generator when it is a built-in with a byte path (`BytesRecordGenerator`); a module
   * or template generator never takes that path, whatever methods it has.
   */
  bytes?: BytesRecordGenerator | undefined;
}

function isModulePath(template: string): boolean {
  return template.startsWith('./') || template.startsWith('../') || isAbsolute(template) || /\.(m|c)?(j|t)s$/.test(template);
}

export async function loadGenerator(request: LoadGeneratorOptions): Promise<LoadedGenerator> {
  const { template, options, keys, random, baseDir, file } = request;
  const init: GeneratorInit = { random, options, keys };
  const fail = (message: string, fieldPath = 'records.template', cause?: unknown): never => {
    throw new ScenarioError(message, { file, fieldPath }, { cause });
  };
  if (typeof template !== 'string') {
    try {
      return { generator: createTemplateGenerator(template, init), keyField: undefined };
    } catch (error) {
      if (error instanceof TemplateError) return fail(error.message, error.fieldPath, error);
      throw error;
    }
  }
  if (!isModulePath(template)) {
    const builtIn = BUILT_IN_GENERATORS[template];
    if (builtIn === undefined) {
      return fail(`Unknown generator "${template}"; expected one of ${Object.keys(BUILT_IN_GENERATORS).join(', ')}, a module path like "./gen.mjs", or a template object`);
    }
    const generator = construct(builtIn.create, init, fail);
    return { generator, keyField: builtIn.keyField, bytes: writesBytes(generator) ? generator : undefined };
  }
  const modulePath = resolve(baseDir, template);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  } catch (error) {
    return fail(`Cannot load generator module ${modulePath}: ${(error as Error).message}`, 'records.template', error);
  }
  const factory = loaded['createGenerator'] ?? loaded['default'];
  if (typeof factory !== 'function') {
    return fail(`Expected ${modulePath} to export a function \`createGenerator(init)\` (or a default export) returning { next(context) }`);
  }
  const keyField = typeof loaded['keyField'] === 'string' ? loaded['keyField'] : undefined;
  return { generator: construct(factory as GeneratorFactory, init, fail), keyField };
}

function construct(factory: GeneratorFactory, init: GeneratorInit, fail: (message: string, fieldPath?: string, cause?: unknown) => never): RecordGenerator {
  let generator: RecordGenerator;
  try {
    generator = factory(init);
  } catch (error) {
    return fail((error as Error).message, 'records.options', error);
  }
  if (generator === null || typeof generator !== 'object' || typeof generator.next !== 'function') {
    return fail('Expected the generator factory to return an object with a `next(context)` method');
  }
  return generator;
}

/**
 * A reader of one (possibly dotted) field like `key.id` (`undefined` when absent), with the path
 * split once: the record source reads the partition key field of every record, and splitting
 * `key.id` per record allocated an array each time.
 */
export function fieldReader(field: string): (record: Record<string, unknown>) => unknown {
  const parts = field.split('.');
  if (parts.length === 1) return (record) => record[field];
  return (record) => {
    let value: unknown = record;
    for (const part of parts) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
}

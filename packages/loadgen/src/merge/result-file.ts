/**
 * Reading a result.json back (for `merge` and `report`): parse, check it is a loadgen result of a
 * known schema, and name the file and the missing field when it is not.
 *
 * Invariant: a value returned is a RunResult with schemaVersion 1 and all six encoded histograms;
 * anything else throws ResultFileError (exit 2) before any output is written.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { HISTOGRAM_NAMES, type RunResult } from '../metrics/run-result.js';

/** A result file that is missing, not JSON, or not a loadgen result: the CLI exits 2. */
export class ResultFileError extends Error {
  override readonly name = 'ResultFileError';
  readonly code = 'ERR_LOADGEN_USAGE';
  readonly retriable = false;
  readonly file: string;
  constructor(file: string, detail: string, options?: { cause?: unknown }) {
    super(`${file}: ${detail}`, options);
    this.file = file;
  }
}

const REQUIRED = ['runId', 'startedAtUs', 'endedAtUs', 'rates', 'latency', 'accounting', 'intervals', 'histograms'] as const;

export function parseResult(text: string, file: string): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ResultFileError(file, `Expected JSON, got ${(cause as Error).message}`, { cause });
  }
  if (typeof value !== 'object' || value === null) throw new ResultFileError(file, `Expected a result object, got ${JSON.stringify(value)}`);
  const o = value as Record<string, unknown>;
  if (o.schemaVersion !== 1) throw new ResultFileError(file, `Expected \`schemaVersion\` 1, got ${JSON.stringify(o.schemaVersion)}`);
  for (const key of REQUIRED) {
    if (o[key] === undefined) throw new ResultFileError(file, `Expected \`${key}\`, got none`);
  }
  const histograms = o.histograms as Record<string, unknown>;
  for (const name of HISTOGRAM_NAMES) {
    if (typeof histograms[name] !== 'string') throw new ResultFileError(file, `Expected \`histograms.${name}\` (compressed base64), got none`);
  }
  return value as RunResult;
}

export async function readResult(file: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ResultFileError(file, `Expected a readable result.json, got ${(cause as NodeJS.ErrnoException).code ?? 'an error'}`, { cause });
  }
  return parseResult(text, file);
}

/** Writes whole (write then rename), so a reader never sees half a file. */
export async function writeWhole(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

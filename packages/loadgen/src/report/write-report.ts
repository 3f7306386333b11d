/**
 * Writing a run's report: the console summary, `result.json` on stdout with `--json`, and with
 * `--out DIR` the files `result.json` plus `<metric>.hgrm` and `<metric>.hlog` per histogram
 * (hdr-files.ts, the same files `loadgen merge` and `loadgen report` write).
 *
 * Invariants: with `--json`, stdout carries exactly one JSON document (the summary goes to stderr),
 * so `loadgen run … --json | jq` works; files are written whole (write then rename), so a crash
 * never leaves a truncated result.json for CI to read.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeWhole } from '../merge/result-file.js';
import type { RunResult } from '../metrics/run-result.js';
import { writeHistogramFiles } from './hdr-files.js';
import { formatSummary } from './summary.js';

export interface ReportIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

export interface ReportOptions {
  /** Directory for result.json and the histogram files; created when missing. */
  out: string | undefined;
  /** Print result.json on stdout and the summary on stderr. */
  json: boolean;
  io: ReportIo;
}

export async function writeReport(result: RunResult, { out, json, io }: ReportOptions): Promise<string[]> {
  const summaryTo = json ? io.stderr : io.stdout;
  for (const line of formatSummary(result)) summaryTo(line);
  if (json) io.stdout(formatResultJson(result));
  if (out === undefined) return [];
  const files = await writeResultFiles(result, out);
  summaryTo(`Report written to ${out}: ${files.length} files`);
  return files;
}

export function formatResultJson(result: RunResult): string {
  return JSON.stringify(result, null, 2);
}

/** Writes result.json and the histogram files into `dir`; returns their paths. */
export async function writeResultFiles(result: RunResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'result.json');
  await writeWhole(path, `${formatResultJson(result)}\n`);
  return [path, ...(await writeHistogramFiles(result, dir))];
}

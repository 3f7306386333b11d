/**
 * Writing a run's report: the console summary, `result.json` on stdout with `--json`, and with
 * `--out DIR` the files `result.json`, `<metric>.hgrm` per histogram and `histograms.hlog`.
 *
 * Invariants: with `--json`, stdout carries exactly one JSON document (the summary goes to stderr),
 * so `loadgen run … --json | jq` works; files are written whole (write then rename), so a crash
 * never leaves a truncated result.json for CI to read.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../metrics/run-result.js';
import { histogramLog, percentileDistribution } from './histogram-files.js';
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

/** Writes the report files into `dir`; returns their paths. */
export async function writeResultFiles(result: RunResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: [string, string][] = [['result.json', `${formatResultJson(result)}\n`]];
  for (const [name, encoded] of Object.entries(result.histograms)) {
    files.push([`${name}.hgrm`, percentileDistribution(encoded)]);
  }
  files.push(['histograms.hlog', histogramLog(result)]);
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeFile(`${path}.tmp`, text);
    await rename(`${path}.tmp`, path);
    written.push(path);
  }
  return written;
}

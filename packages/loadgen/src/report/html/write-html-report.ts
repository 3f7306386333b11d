/**
 * Writing the HTML report file: whole (write then rename), so a browser or CI never opens half a
 * page. The hook `loadgen run --report FILE` and `loadgen report` share.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunResult } from '../../metrics/run-result.js';
import { writeWhole } from '../../merge/result-file.js';
import { renderHtmlReport } from './render-html.js';

export async function writeHtmlReport(result: RunResult, file: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeWhole(file, renderHtmlReport(result));
  return file;
}

/**
 * `loadgen report RESULT.json [-o report.html] [--histograms DIR]`: the self-contained HTML report
 * of a run (or of a merged run), and optionally HdrHistogram's standard files.
 *
 * Invariant: the result is read and checked before anything is written; a bad file exits 2.
 */
import { dirname, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { readResult } from '../merge/result-file.js';
import { writeHistogramFiles } from '../report/hdr-files.js';
import { writeHtmlReport } from '../report/html/write-html-report.js';

export interface ReportArgs {
  result: string;
  /** @default report.html beside the result file */
  out?: string | undefined;
  histograms?: string | undefined;
}

export interface ReportCommandIo {
  stdout: (line: string) => void;
}

export async function runReport(args: ReportArgs, io: ReportCommandIo): Promise<number> {
  const result = await readResult(args.result);
  const out = args.out ?? join(dirname(args.result), 'report.html');
  await writeHtmlReport(result, out);
  io.stdout(`HTML report written to ${out}`);
  if (args.histograms !== undefined) {
    const files = await writeHistogramFiles(result, args.histograms);
    io.stdout(`Histogram files written to ${args.histograms}: ${files.length} files`);
  }
  return 0;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <result>',
  describe: 'Write a self-contained HTML report (charts inlined, opens offline) from a result.json',
  builder: (yargs) =>
    yargs
      .positional('result', { type: 'string', demandOption: true, describe: 'result.json of a run or of loadgen merge' })
      .option('out', { alias: 'o', type: 'string', describe: 'HTML file (default: report.html beside the result)' })
      .option('histograms', { type: 'string', describe: 'Also write .hgrm and .hlog files per histogram here' }),
  handler: async (argv) => {
    process.exitCode = await runReport(argv, { stdout: (line) => console.log(line) });
  },
};

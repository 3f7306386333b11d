/**
 * `loadgen merge a.json b.json … -o merged.json`: one result from the results of several workers
 * or machines, with the console summary of the merged run; `--histograms DIR` also writes the
 * `.hgrm` and interval-log files of the merged histograms.
 *
 * Invariants: every input is read and checked before anything is written; exit 0 once written, 2
 * for a bad input; the merged thresholds print but do not change the exit code (the runs that
 * produced the parts already gated).
 */
import type { CommandModule } from 'yargs';
import { mergeResults } from '../merge/merge-results.js';
import { readResult, writeWhole } from '../merge/result-file.js';
import { writeHistogramFiles } from '../report/hdr-files.js';
import { formatSummary } from '../report/summary.js';

export interface MergeArgs {
  files: readonly string[];
  out: string;
  runId?: string | undefined;
  histograms?: string | undefined;
}

export interface MergeIo {
  stdout: (line: string) => void;
}

export async function runMerge(args: MergeArgs, io: MergeIo): Promise<number> {
  const parts = [];
  for (const file of args.files) parts.push(await readResult(file));
  const merged = mergeResults(parts, args.runId === undefined ? {} : { runId: args.runId });
  await writeWhole(args.out, `${JSON.stringify(merged, null, 2)}\n`);
  for (const line of formatSummary(merged)) io.stdout(line);
  io.stdout(`Merged ${parts.length} results into ${args.out}`);
  if (args.histograms !== undefined) {
    const files = await writeHistogramFiles(merged, args.histograms);
    io.stdout(`Histogram files written to ${args.histograms}: ${files.length} files`);
  }
  return 0;
}

interface MergeArgv {
  files: string[];
  out: string;
  'run-id'?: string | undefined;
  histograms?: string | undefined;
}

export const mergeCommand: CommandModule<object, MergeArgv> = {
  command: 'merge <files..>',
  describe: 'Merge result.json files of several workers or machines into one result',
  builder: (yargs) =>
    yargs
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'result.json files' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Merged result file' })
      .option('run-id', { type: 'string', describe: 'Run id of the merged result (default: the ids joined by +)' })
      .option('histograms', { type: 'string', describe: 'Also write .hgrm and .hlog files of the merged histograms here' }),
  handler: async (argv) => {
    const io = { stdout: (line: string) => console.log(line) };
    process.exitCode = await runMerge({ files: argv.files, out: argv.out, runId: argv['run-id'], histograms: argv.histograms }, io);
  },
};

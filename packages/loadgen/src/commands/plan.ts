/**
 * `loadgen plan`: shards needed for a write rate, whether a Lambda consumer keeps up, and the
 * IteratorAge trend — a table with the formulas, or the plan as JSON with `--json`.
 *
 * Invariant: no I/O beyond `io`; a bad flag throws PlanInputError (exit 2) before any output.
 */
import type { CommandModule } from 'yargs';
import { planCapacity, type PlanInput } from '../plan/capacity-plan.js';
import { formatPlan } from '../plan/format-plan.js';
import { validatePlanInput } from '../plan/plan-input.js';

export interface PlanArgs extends PlanInput {
  json?: boolean | undefined;
}

export interface PlanIo {
  stdout: (line: string) => void;
}

/** Prints the plan; resolves to exit code 0. */
export function runPlan(args: PlanArgs, io: PlanIo): number {
  const { json, ...input } = args;
  const plan = planCapacity(validatePlanInput(input));
  if (json === true) io.stdout(JSON.stringify(plan, null, 2));
  else for (const line of formatPlan(plan)) io.stdout(line);
  return 0;
}

interface PlanArgv {
  rate: number;
  'record-bytes': number;
  aggregation: boolean;
  shards?: number | undefined;
  'batch-size'?: number | undefined;
  'function-ms'?: number | undefined;
  parallelization?: number | undefined;
  'retention-hours'?: number | undefined;
  json: boolean;
}

/** Maps parsed flags to PlanArgs, leaving absent flags absent. */
export function planArgsFrom(argv: PlanArgv): PlanArgs {
  const optional = {
    shards: argv.shards,
    batchSize: argv['batch-size'],
    functionMs: argv['function-ms'],
    parallelizationFactor: argv.parallelization,
    retentionHours: argv['retention-hours'],
  };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { rate: argv.rate, recordBytes: argv['record-bytes'], aggregation: argv.aggregation, json: argv.json, ...present };
}

export const planCommand: CommandModule<object, PlanArgv> = {
  command: 'plan',
  describe: 'Shards for a write rate, whether a Lambda consumer keeps up, IteratorAge trend (formulas shown)',
  builder: (yargs) =>
    yargs
      .option('rate', { type: 'number', demandOption: true, describe: 'User records per second' })
      .option('record-bytes', { type: 'number', demandOption: true, describe: 'Bytes per record: data + partition key' })
      .option('aggregation', { type: 'boolean', default: false, describe: 'KPL aggregation (≤ 51,200-byte aggregates)' })
      .option('shards', { type: 'number', describe: 'Shards of the stream (default: what the write limits need)' })
      .option('batch-size', { type: 'number', describe: 'Lambda BatchSize (default 100 with --function-ms)' })
      .option('function-ms', { type: 'number', describe: 'Lambda duration per full batch, ms (plans the consumer)' })
      .option('parallelization', { type: 'number', describe: 'Lambda ParallelizationFactor 1–10 (default 1)' })
      .option('retention-hours', { type: 'number', describe: 'Stream retention, hours (default 24)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the plan as JSON' }),
  handler: (argv) => {
    process.exitCode = runPlan(planArgsFrom(argv), { stdout: (line) => console.log(line) });
  },
};

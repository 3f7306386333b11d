/**
 * The `loadgen` command line: commands, flags, and the mapping from outcomes to exit codes.
 *
 * Exit codes: 0 ok · 1 crash (stack printed) · 2 user error (bad flag or scenario: one message
 * with the field path and file:line, nothing sent) · 99 thresholds failed (after the report is
 * written) · 130 interrupted by Ctrl-C (after draining and writing the report).
 *
 * Invariant: command handlers are injected, so parsing is tested with captures and the real
 * handlers never run in those tests; this module itself performs no I/O beyond `io`.
 */
import yargs, { type Argv, type CommandModule } from 'yargs';
import { ExitCode, type RunArgs } from './commands/run.js';
import type { CommandIo, ValidateArgs } from './commands/validate.js';
import { pickScenarioOverrides, type ScenarioOverrides } from './scenario/overrides.js';
import { ScenarioError } from './scenario/scenario-error.js';

export interface CliHandlers {
  run: (args: RunArgs) => Promise<number>;
  validate: (args: ValidateArgs) => Promise<number>;
}

export interface CliOptions {
  handlers: CliHandlers;
  io: CommandIo;
  /** Further commands (yargs command modules), e.g. `local-kinesis`. */
  extraCommands?: readonly CommandModule[];
}

/** Error codes of mistakes a user makes in flags or files (exit 2). */
const USER_ERROR_CODES = new Set(['ERR_LOADGEN_SCENARIO', 'ERR_LOADGEN_THRESHOLD', 'ERR_LOADGEN_CONSUMER_CONFIG', 'ERR_LOADGEN_TEMPLATE', 'ERR_LOADGEN_USAGE', 'ERR_INVALID_OPTION']);

class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ERR_LOADGEN_USAGE';
  readonly retriable = false;
}

function overrideFlags<T>(y: Argv<T>) {
  return y
    .option('duration', { type: 'string', describe: 'Scale the phases to this total length, e.g. 20s (shape kept)' })
    .option('rate', { type: 'number', describe: 'Scale every rate so the peak is this many records/s (shape kept)' })
    .option('shards', { type: 'number', describe: 'Shard count of the stream to create' })
    .option('seed', { type: 'number', describe: 'Seed for records, keys and arrivals' })
    .option('endpoint', { type: 'string', describe: 'Send to this Kinesis endpoint URL instead of the scenario target' })
    .option('backlog', { type: 'number', describe: 'Backlog mode: start the consumer once this many acked records wait, then measure the drain' });
}

function pickOverrides(args: { scenario: string } & ScenarioOverrides): { scenario: string } & ScenarioOverrides {
  return { scenario: args.scenario, ...pickScenarioOverrides(args) };
}

/** Parses `argv` (without node and script), runs the chosen command, and resolves to the exit code. */
export async function runCli(argv: readonly string[], { handlers, io, extraCommands = [] }: CliOptions): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  const cli = yargs([...argv])
    .scriptName('loadgen')
    .usage('$0 <command> [options]')
    .command(
      'run <scenario>',
      'Replay a scenario through producer → stream → consumer and report latency and accounting',
      (y) =>
        overrideFlags(y.positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' }))
          .option('out', { type: 'string', describe: 'Directory for result.json and the histograms' })
          .option('json', { type: 'boolean', default: false, describe: 'Print result.json to stdout' })
          .option('drain-timeout', { type: 'string', describe: 'Wait this long for the consumer after the last phase (overrides run.drainTimeout)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'No live progress line' })
          .option('report', { type: 'string', describe: 'Also write the self-contained HTML report to this file' })
          .option('worker-index', { type: 'number', describe: 'Send part i of --worker-count (0-based): records i, i+N, i+2N, … of the unsplit run' })
          .option('worker-count', { type: 'number', describe: 'Number of parts the run is split into (one per host or container); merge the results' })
          .option('workers', { type: 'number', describe: 'Send from this many worker threads; one report (default 1)' }),
      async (args) => {
        exitCode = await handlers.run({
          ...pickOverrides(args),
          out: args.out,
          report: args.report,
          json: args.json,
          drainTimeout: args['drain-timeout'],
          quiet: args.quiet,
          workerIndex: args['worker-index'],
          workerCount: args['worker-count'],
          workers: args.workers,
        });
      },
    )
    .command(
      'validate <scenario>',
      'Check a scenario without sending anything; print its plan and a sample record',
      (y) =>
        overrideFlags(y.positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })).option('samples', {
          type: 'number',
          default: 1,
          describe: 'Sample records to print',
        }),
      async (args) => {
        exitCode = await handlers.validate({
          ...pickOverrides(args),
          samples: args.samples,
        });
      },
    );
  for (const command of extraCommands) cli.command(command);
  cli
    .demandCommand(1, 'Expected a command: run, validate' + (extraCommands.length > 0 ? ', …' : ''))
    .strict()
    .exitProcess(false)
    .help()
    .version(false)
    .epilogue('Exit codes: 0 ok, 1 crash, 2 bad flag or scenario, 99 thresholds failed, 130 interrupted.')
    .fail((message, error) => {
      throw error ?? new UsageError(message ?? 'Bad command line');
    })
    .wrap(Math.min(110, process.stdout.columns ?? 100));
  let helpShown = false;
  try {
    await cli.parseAsync([...argv], {}, (_error, _argv, output) => {
      if (output !== '') {
        helpShown = true;
        io.stdout(output);
      }
    });
  } catch (error) {
    return reportError(error, io);
  }
  return helpShown ? ExitCode.Ok : exitCode;
}

/** Prints an error the way its kind deserves and returns the exit code. */
export function reportError(error: unknown, io: CommandIo): number {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof ScenarioError || (typeof code === 'string' && USER_ERROR_CODES.has(code))) {
    io.stderr(`loadgen: ${(error as Error).message}`);
    if (error instanceof UsageError) io.stderr('Run `loadgen --help` for usage.');
    return ExitCode.UserError;
  }
  io.stderr(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return ExitCode.Crash;
}

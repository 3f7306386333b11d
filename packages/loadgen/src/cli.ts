#!/usr/bin/env node
/**
 * The `loadgen` executable: binds the command line (cli-app.ts) to the real run and validate
 * handlers and to the process (argv, stdout, stderr, exit code).
 */
import type { CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runCli } from './cli-app.js';
import { defaultRunDeps } from './commands/default-run-deps.js';
import { localKinesisCommand } from './commands/local-kinesis.js';
import { mergeCommand } from './commands/merge.js';
import { planCommand } from './commands/plan.js';
import { probeCommand } from './commands/probe.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { validateCommand } from './commands/validate.js';

// The AWS SDK is pinned to a release that supports Node 20 on purpose; its notice that later
// releases will need Node 22 would otherwise open every run's output. A user's own setting wins.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// `loadgen validate x.yaml | head`: a closed pipe ends the output, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const io = {
  stdout: (line: string) => void process.stdout.write(`${line}\n`),
  stderr: (line: string) => void process.stderr.write(`${line}\n`),
};

const exitCode = await runCli(hideBin(process.argv), {
  handlers: {
    run: (args) => runCommand(args, defaultRunDeps()),
    validate: (args) => validateCommand(args, io),
  },
  io,
  extraCommands: [localKinesisCommand, planCommand, probeCommand, mergeCommand, reportCommand] as unknown as CommandModule[],
});
// Let stdout drain (a large --json result) before the process ends with the code. The
// local-kinesis command sets process.exitCode itself when it stops.
if (exitCode !== 0 || process.exitCode === undefined) process.exitCode = exitCode;

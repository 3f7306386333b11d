/**
 * `loadgen local-kinesis`: runs the embedded Kinesis server standalone on 127.0.0.1 so other tools
 * (the AWS CLI, an application under test) can use it, until SIGINT/SIGTERM stops it cleanly.
 *
 * Invariants: the port is free again and the store closed before the command resolves; a user
 * mistake (bad flag, port in use) exits 2 with one line on stderr; a normal stop exits 0.
 */
import type { CommandModule } from 'yargs';
import { KinesisRequestError, LocalKinesisError, startLocalKinesis, type LocalKinesis } from '@shardline/local-kinesis';

export interface LocalKinesisArgs {
  /** TCP port on 127.0.0.1 (0 = any free port). @default 4567 */
  port: number;
  /** AWS per-shard limits, or none. @default 'aws' */
  limits: 'aws' | 'off';
  /** Keep streams and records in this directory (LevelDB) across restarts. */
  dataDir?: string | undefined;
  /** Create this stream at start (kept as is when it already exists in `dataDir`). */
  stream?: string | undefined;
  /** Shards of `stream`. @default 1 */
  shards?: number | undefined;
}

export interface LocalKinesisIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** Where stop signals come from: `process` in the CLI, an EventEmitter in tests. */
export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface LocalKinesisHooks {
  /** Called once the server listens and the stream (if any) is ACTIVE. */
  onReady?: (local: LocalKinesis) => void;
}

/** Runs until a stop signal; resolves to the exit code. */
export async function runLocalKinesis(
  args: LocalKinesisArgs,
  io: LocalKinesisIo,
  signals: SignalSource,
  hooks: LocalKinesisHooks = {},
): Promise<number> {
  if (args.shards !== undefined && args.stream === undefined) {
    io.stderr(`Expected \`--stream\` with \`--shards ${args.shards}\`, got no stream name`);
    return 2;
  }
  if (args.shards !== undefined && !(Number.isInteger(args.shards) && args.shards >= 1)) {
    io.stderr(`Expected \`--shards\` to be an integer ≥ 1, got ${args.shards}`);
    return 2;
  }
  let local: LocalKinesis;
  try {
    local = await startLocalKinesis({
      port: args.port,
      limits: args.limits,
      ...(args.dataDir === undefined ? {} : { dataDir: args.dataDir }),
    });
  } catch (error) {
    if (!(error instanceof LocalKinesisError)) throw error;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    io.stderr(`${error.message}${cause}`);
    return 2;
  }

  try {
    if (args.stream !== undefined) await createOrKeep(local, args.stream, args.shards ?? 1, io);
  } catch (error) {
    await local.stop();
    throw error;
  }
  io.stdout(`local-kinesis listening on ${local.endpoint} (limits: ${args.limits}, data: ${args.dataDir ?? 'in memory'})`);
  io.stdout(`  try: aws --endpoint-url ${local.endpoint} --region us-east-1 kinesis list-streams`);
  io.stdout('  Ctrl-C stops it.');
  hooks.onReady?.(local);

  const signal = await new Promise<string>((resolve) => {
    const onInt = (): void => finish('SIGINT');
    const onTerm = (): void => finish('SIGTERM');
    const finish = (name: string): void => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
      resolve(name);
    };
    signals.once('SIGINT', onInt);
    signals.once('SIGTERM', onTerm);
  });
  await local.stop();
  io.stdout(`local-kinesis stopped (${signal}); port ${local.port} is free`);
  return 0;
}

async function createOrKeep(local: LocalKinesis, stream: string, shards: number, io: LocalKinesisIo): Promise<void> {
  try {
    await local.createStream({ name: stream, shardCount: shards });
    io.stdout(`stream ${stream}: ${shards} shard${shards === 1 ? '' : 's'}, ACTIVE`);
  } catch (error) {
    if (!(error instanceof KinesisRequestError && error.awsType === 'ResourceInUseException')) throw error;
    io.stdout(`stream ${stream}: already exists, kept as is`);
  }
}

export const localKinesisCommand: CommandModule<object, LocalKinesisArgs> = {
  command: 'local-kinesis',
  describe: 'Run a local Kinesis endpoint on 127.0.0.1 with AWS per-shard limits (Ctrl-C stops it)',
  builder: (yargs) =>
    yargs
      .option('port', { type: 'number', default: 4567, describe: 'TCP port on 127.0.0.1 (0 = any free port)' })
      .option('limits', { choices: ['aws', 'off'] as const, default: 'aws' as const, describe: 'Per-shard limits' })
      .option('data-dir', { type: 'string', describe: 'Keep streams and records in this directory across restarts' })
      .option('stream', { type: 'string', describe: 'Create this stream at start' })
      .option('shards', { type: 'number', describe: 'Shards of --stream (default 1)' }),
  handler: async (argv) => {
    process.exitCode = await runLocalKinesis(
      argv,
      { stdout: (line) => console.log(line), stderr: (line) => console.error(line) },
      process,
    );
  },
};

/**
 * The real collaborators of `loadgen run`: the shardline producer, the embedded local-kinesis, the
 * local event source mapping, the report writer, the wall clock, the process's streams and signals.
 *
 * Invariant: this is the only module that binds `run` to process-global things (stdout, SIGINT,
 * process.exit); tests build their own `RunDeps` instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createProducer } from '@shardline/producer';
import { startLocalKinesis } from '@shardline/local-kinesis';
import { nowUs } from '../clock.js';
import { startEventSourceMapping } from '../consumer/event-source-mapping.js';
import type { RunResult } from '../metrics/run-result.js';
import type { RunDeps } from './run.js';
import type { ProducerLike } from './send-loop.js';
import type { CommandIo } from './validate.js';

/** Writes result.json (and prints it with `--json`) and a short summary. */
export async function writeRunReport(result: RunResult, { out, json, io }: { out: string | undefined; json: boolean; io: CommandIo }): Promise<void> {
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (out !== undefined) {
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'result.json'), text);
  }
  if (json) io.stdout(text.trimEnd());
  const say = json ? io.stderr : io.stdout;
  const a = result.accounting as unknown as Record<string, unknown>;
  say(`run ${result.runId}: ${JSON.stringify({ rates: result.rates, accounting: a })}`);
  for (const outcome of result.thresholds ?? []) say(`${outcome.ok ? 'ok  ' : 'FAIL'} ${outcome.message}`);
}

export function defaultRunDeps(): RunDeps {
  return {
    createProducer: (options) => createProducer(options) as ProducerLike,
    startLocalKinesis,
    startConsumer: startEventSourceMapping,
    report: writeRunReport,
    now: nowUs,
    io: {
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
      progress: (text) => process.stderr.write(text),
      isTTY: process.stderr.isTTY === true,
    },
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
    exit: (code) => process.exit(code),
  };
}

/**
 * The real collaborators of `loadgen run`: the shardline producer, the embedded local-kinesis, the
 * local event source mapping, the report writer, the wall clock, the process's streams and signals.
 *
 * Invariant: this is the only module that binds `run` to process-global things (stdout, SIGINT/SIGTERM,
 * process.exit); tests build their own `RunDeps` instead.
 */
import { createProducer } from '@shardline/producer';
import { startLocalKinesis } from '@shardline/local-kinesis';
import { nowUs } from '../clock.js';
import { startEventSourceMapping } from '../consumer/event-source-mapping.js';
import { writeReport } from '../report/write-report.js';
import type { RunDeps } from './run.js';
import type { ProducerLike } from './send-loop.js';

export function defaultRunDeps(): RunDeps {
  return {
    createProducer: (options) => createProducer(options) as ProducerLike,
    startLocalKinesis,
    startConsumer: startEventSourceMapping,
    report: async (result, options) => void (await writeReport(result, options)),
    now: nowUs,
    io: {
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
      progress: (text) => process.stderr.write(text),
      isTTY: process.stderr.isTTY === true,
    },
    // SIGTERM (a container stop, `kill`) is treated like Ctrl-C: drain, write the report, exit
    // 130; without this Node would die at once and the run's report would be lost.
    onInterrupt: (listener) => {
      process.on('SIGINT', listener);
      process.on('SIGTERM', listener);
      return () => {
        process.off('SIGINT', listener);
        process.off('SIGTERM', listener);
      };
    },
    exit: (code) => process.exit(code),
  };
}

import { nowUs } from '../../src/clock.js';
import type { ConsumedRecord, EventSourceMappingOptions } from '../../src/consumer/event-source-mapping.js';
import type { RunResult } from '../../src/metrics/run-result.js';
import type { RunDeps } from '../../src/commands/run.js';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

export interface FakeRunOptions {
  /** Reject every n-th put with a throttling-shaped error. */
  failEvery?: number;
  /** Never deliver these sequence numbers to the consumer (simulated loss). */
  dropSeqs?: ReadonlySet<number>;
  /** Throw this from createProducer. */
  producerError?: Error;
}

/**
 * Run dependencies without a network: the producer acks each put and, a moment later, the
 * "consumer" receives the record — an in-memory stream with the real recorder in between.
 */
export function fakeRunDeps(options: FakeRunOptions = {}) {
  const captured = {
    stdout: [] as string[],
    stderr: [] as string[],
    results: [] as RunResult[],
    puts: [] as { data: Uint8Array; partitionKey?: string | undefined }[],
    producerOptions: [] as Record<string, unknown>[],
    consumerStreams: [] as string[],
    interrupt: undefined as (() => void) | undefined,
    exits: [] as number[],
    stopped: [] as string[],
  };
  let onRecords: ((records: ConsumedRecord[]) => void) | undefined;
  const deps: RunDeps = {
    createProducer: (producerOptions) => {
      captured.producerOptions.push(producerOptions);
      if (options.producerError !== undefined) throw options.producerError;
      return {
        put: async (record) => {
          const index = captured.puts.length;
          captured.puts.push(record);
          if (options.failEvery !== undefined && (index + 1) % options.failEvery === 0) {
            throw Object.assign(new Error('Rate exceeded'), { code: 'ERR_RECORD_EXPIRED' });
          }
          const arrivalUs = nowUs();
          setTimeout(() => {
            if (options.dropSeqs?.has(index)) return;
            onRecords?.([{ data: record.data, partitionKey: record.partitionKey ?? 'none', shardId: 'shardId-000000000000', sequenceNumber: String(index), arrivalUs, receivedUs: nowUs(), redelivery: false }]);
          }, 2);
          return { shardId: 'shardId-000000000000', sequenceNumber: String(index), attempts: [{ startedAt: Date.now(), durationMs: 1 }] };
        },
        flush: async () => {},
        close: async () => void captured.stopped.push('producer'),
        metrics: () => ({ userRecordsPut: captured.puts.length }),
      };
    },
    startLocalKinesis: async () =>
      ({
        endpoint: 'http://127.0.0.1:1',
        client: () => ({ destroy: () => {} }),
        createStream: async () => {},
        stop: async () => void captured.stopped.push('local-kinesis'),
      }) as never,
    startConsumer: async (consumerOptions: EventSourceMappingOptions) => {
      onRecords = consumerOptions.onRecords;
      captured.consumerStreams.push(consumerOptions.streamName);
      return {
        stop: async () => void captured.stopped.push('consumer'),
        drain: async ({ until, timeoutMs }) => {
          const deadline = Date.now() + timeoutMs;
          while (!until() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
          return until();
        },
        stats: () => ({ fake: true }) as never,
      };
    },
    report: async (result) => void captured.results.push(result),
    now: nowUs,
    io: {
      stdout: (line) => captured.stdout.push(line),
      stderr: (line) => captured.stderr.push(line),
      progress: () => {},
      isTTY: false,
    },
    onInterrupt: (listener) => {
      captured.interrupt = listener;
      return () => {
        captured.interrupt = undefined;
      };
    },
    exit: (code) => void captured.exits.push(code),
  };
  return { deps, captured };
}

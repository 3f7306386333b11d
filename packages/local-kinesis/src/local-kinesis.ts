/**
 * `startLocalKinesis`: wires kinesalite, the limits layer, the fault injector and the HTTP server
 * on 127.0.0.1, and gives tests and tools a handle (endpoint, a ready KinesisClient, createStream,
 * stats, setFaults, stop).
 *
 * Invariants: options are validated before any port or database is opened; `stop` closes every
 * connection, frees the port and closes the store (so the same port and `dataDir` can be reused
 * at once); calling `stop` twice is harmless.
 */
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisRequestError, LocalKinesisError, LocalKinesisErrorCode } from './errors.js';
import { FaultInjector, type FaultCounts } from './fault-injector.js';
import { createKinesaliteBackend } from './kinesalite-backend.js';
import { resolveOptions, type FaultsConfig, type LocalKinesisOptions, type ResolvedLimits } from './options.js';
import { createLocalServer } from './server.js';
import { StreamRegistry, type StreamStats } from './stream-registry.js';

/** Longest `stop` waits for requests already being handled (latency faults included). */
const STOP_DRAIN_MS = 5_000;

export interface LocalKinesisStats {
  /** Per stream (by name), per shard counters of the limits layer. */
  streams: Record<string, StreamStats>;
  /** Faults injected since start (counts survive `setFaults`). */
  faults: FaultCounts;
  /** HTTP requests received. */
  requests: number;
}

export interface CreateStreamInput {
  name: string;
  shardCount: number;
  /** Give up waiting for ACTIVE after this long. @default 10000 */
  timeoutMs?: number;
}

export interface LocalKinesis {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  /** The limits in force, or undefined with `limits: 'off'`. */
  readonly limits: ResolvedLimits | undefined;
  /** A KinesisClient for this server (HTTP/1.1 keep-alive, us-east-1, static fake credentials); `config` wins. */
  client(config?: KinesisClientConfig): KinesisClient;
  /** Creates a stream and resolves once it is ACTIVE. */
  createStream(input: CreateStreamInput): Promise<void>;
  stats(): LocalKinesisStats;
  /** Replaces the fault configuration; the PRNG restarts from the new seed. */
  setFaults(faults: FaultsConfig): void;
  stop(): Promise<void>;
}

export async function startLocalKinesis(options?: LocalKinesisOptions): Promise<LocalKinesis> {
  const resolved = resolveOptions(options);
  const backend = createKinesaliteBackend(resolved);
  const registry = new StreamRegistry(backend, resolved.limits, () => performance.now());
  const faults = new FaultInjector(resolved.faults);
  const counters = { requests: 0, inFlight: 0, closing: false };
  const server = createLocalServer(
    { backend, registry, faults, maxRecordBytes: resolved.maxRecordBytes, maxRequestBytes: resolved.maxRequestBytes },
    faults,
    counters,
  );

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await backend.close();
    throw new LocalKinesisError(
      LocalKinesisErrorCode.RequestFailed,
      `Could not listen on 127.0.0.1:${resolved.port}`,
      true,
      { cause: error },
    );
  }
  const port = (server.address() as AddressInfo).port;
  const endpoint = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;

  return {
    endpoint,
    port,
    limits: resolved.limits,
    client: (config = {}) =>
      new KinesisClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
        ...config,
      }),
    async createStream({ name, shardCount, timeoutMs = 10_000 }) {
      const created = await backend.call('CreateStream', { StreamName: name, ShardCount: shardCount });
      if (created.statusCode !== 200) {
        throw new KinesisRequestError('CreateStream', String(created.data['__type']), String(created.data['message']));
      }
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const summary = await backend.call('DescribeStreamSummary', { StreamName: name });
        const status = (summary.data['StreamDescriptionSummary'] as { StreamStatus?: string } | undefined)?.StreamStatus;
        if (status === 'ACTIVE') break;
        if (performance.now() > deadline) {
          throw new LocalKinesisError(
            LocalKinesisErrorCode.Timeout,
            `Expected stream \`${name}\` to be ACTIVE within ${timeoutMs} ms, still ${status ?? 'missing'}`,
            true,
          );
        }
        await sleep(Math.max(2, resolved.transitionMs / 4));
      }
      registry.invalidate(name);
    },
    stats: () => ({ streams: registry.stats(), faults: { ...faults.counts }, requests: counters.requests }),
    setFaults: (config) => faults.set(config),
    stop() {
      stopping ??= (async () => {
        // Stop listening, cut off new requests, let requests already being handled answer (a
        // request still inside kinesalite when its LevelDB closes crashes the process in native
        // code), then close every connection.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        counters.closing = true;
        server.closeIdleConnections();
        const drainDeadlineMs = performance.now() + STOP_DRAIN_MS;
        while (counters.inFlight > 0 && performance.now() < drainDeadlineMs) await sleep(5);
        server.closeAllConnections();
        await closed;
        await backend.close();
      })();
      return stopping;
    },
  };
}

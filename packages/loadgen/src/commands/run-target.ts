/**
 * Opens the run's target: starts the embedded local-kinesis, or builds a client for AWS (default
 * credential chain) or for a custom endpoint; then makes sure the stream exists.
 *
 * Invariants: the embedded server binds 127.0.0.1 only and is stopped by `close()`; an existing
 * stream is used as it is (its shard count wins over the scenario's, and the run says so); a
 * missing stream with `create: false` is a user error before anything is sent; parts of a split
 * run that create the same stream at once all wait for the one stream.
 */
import { Agent } from 'node:http';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import type { LocalKinesis, LocalKinesisOptions } from '@shardline/local-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ScenarioError } from '../scenario/scenario-error.js';
import type { Scenario } from '../scenario/schema.js';

export interface OpenedTarget {
  client: KinesisClient;
  /** Shards of the stream as it exists now. */
  shardCount: number;
  /** The embedded server, when the target is local. */
  local: LocalKinesis | undefined;
  /** How another thread reaches the same target with its own client (see createTargetClient). */
  clientTarget: ClientTarget;
  close(): Promise<void>;
}

/** What a client needs to reach a target: an endpoint (emulators, the embedded server) or AWS. */
export interface ClientTarget {
  region: string;
  /** Absent for real Kinesis (the SDK's endpoint for the region, default credential chain). */
  endpoint?: string | undefined;
}

export type StartLocalKinesis = (options?: LocalKinesisOptions) => Promise<LocalKinesis>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function openTarget(scenario: Scenario, startLocal: StartLocalKinesis): Promise<OpenedTarget> {
  const { target, stream } = scenario;
  if (target.kind === 'local') {
    const local = await startLocal({ limits: target.limits, port: target.port });
    try {
      await local.createStream({ name: stream.name, shardCount: stream.shards });
    } catch (error) {
      await local.stop();
      throw error;
    }
    const client = local.client();
    return {
      client,
      shardCount: stream.shards,
      local,
      clientTarget: { region: 'us-east-1', endpoint: local.endpoint },
      close: async () => {
        client.destroy();
        await local.stop();
      },
    };
  }
  const clientTarget: ClientTarget = target.kind === 'aws' ? { region: target.region } : { region: target.region, endpoint: target.endpoint };
  const client = createTargetClient(clientTarget);
  try {
    const shardCount = await ensureStream(client, scenario);
    return { client, shardCount, local: undefined, clientTarget, close: async () => client.destroy() };
  } catch (error) {
    client.destroy();
    throw error;
  }
}

/** A client for a target: AWS with the default credential chain, or an endpoint over HTTP/1.1. */
export function createTargetClient({ region, endpoint }: ClientTarget): KinesisClient {
  if (endpoint === undefined) return new KinesisClient({ region });
  return new KinesisClient({
    region,
    endpoint,
    // Emulators (kinesalite, `loadgen local-kinesis`) need HTTP/1.1 and accept any key; a
    // loopback endpoint gets placeholder credentials so no AWS profile is required.
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
    ...(LOOPBACK.has(new URL(endpoint).hostname) ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

async function ensureStream(client: KinesisClient, { stream }: Scenario): Promise<number> {
  try {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream.name }));
    return summary.StreamDescriptionSummary?.OpenShardCount ?? stream.shards;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  if (!stream.create) {
    throw new ScenarioError(`Stream "${stream.name}" does not exist and \`stream.create\` is false`, { fieldPath: 'stream.create' });
  }
  try {
    await client.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: stream.shards }));
  } catch (error) {
    // Another part of a split run (another host, same scenario) created it a moment ago.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilStreamExists({ client, maxWaitTime: 300, minDelay: 1 }, { StreamName: stream.name });
  return stream.shards;
}

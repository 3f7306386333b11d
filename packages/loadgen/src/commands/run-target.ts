/**
 * Opens the run's target: starts the embedded local-kinesis, or builds a client for AWS (default
 * credential chain) or for a custom endpoint; then makes sure the stream exists.
 *
 * Invariants: the embedded server binds 127.0.0.1 only and is stopped by `close()`; an existing
 * stream is used as it is (its shard count wins over the scenario's, and the run says so); a
 * missing stream with `create: false` is a user error before anything is sent.
 */
import { Agent } from 'node:http';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ResourceNotFoundException,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import type { LocalKinesis, LocalKinesisOptions } from '@shardline/local-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ScenarioError } from '../scenario/scenario-error.js';
import type { Scenario } from '../scenario/schema.js';

export interface OpenedTarget {
  client: KinesisClient;
  region: string;
  /** Shards of the stream as it exists now. */
  shardCount: number;
  /** The embedded server, when the target is local. */
  local: LocalKinesis | undefined;
  close(): Promise<void>;
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
      region: 'us-east-1',
      shardCount: stream.shards,
      local,
      close: async () => {
        client.destroy();
        await local.stop();
      },
    };
  }
  const client =
    target.kind === 'aws'
      ? new KinesisClient({ region: target.region })
      : new KinesisClient({
          region: target.region,
          endpoint: target.endpoint,
          // Emulators (kinesalite, `loadgen local-kinesis`) need HTTP/1.1 and accept any key; a
          // loopback endpoint gets placeholder credentials so no AWS profile is required.
          requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) }),
          ...(LOOPBACK.has(new URL(target.endpoint).hostname) ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
        });
  try {
    const shardCount = await ensureStream(client, scenario);
    return { client, region: target.region, shardCount, local: undefined, close: async () => client.destroy() };
  } catch (error) {
    client.destroy();
    throw error;
  }
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
  await client.send(new CreateStreamCommand({ StreamName: stream.name, ShardCount: stream.shards }));
  await waitUntilStreamExists({ client, maxWaitTime: 300, minDelay: 1 }, { StreamName: stream.name });
  return stream.shards;
}

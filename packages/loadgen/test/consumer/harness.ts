import { setImmediate as tick } from 'node:timers/promises';
import {
  startEventSourceMapping,
  type ConsumedRecord,
  type EventSourceMapping,
} from '../../src/consumer/event-source-mapping.js';
import type { EventSourceMappingConfig } from '../../src/consumer/config.js';
import type { HandlerResponse, KinesisEvent, KinesisHandler, LambdaContext } from '../../src/consumer/lambda-event.js';
import { MemorySource } from './memory-source.js';

export interface Harness {
  mapping: EventSourceMapping;
  /** Sequence numbers of every invocation, in invocation order. */
  invocations: string[][];
  events: KinesisEvent[];
  contexts: LambdaContext[];
  consumed: ConsumedRecord[];
  /** Waits until `until()` holds; fails the test after 5 s. */
  settle(until: () => boolean): Promise<void>;
}

/** A mapping over a MemorySource with zero backoff and instant (event-loop-yielding) waits. */
export async function startHarness(
  source: MemorySource,
  config: EventSourceMappingConfig,
  respond?: (event: KinesisEvent, call: number) => Promise<HandlerResponse> | HandlerResponse,
  nowUs: () => number = () => Date.now() * 1000,
): Promise<Harness> {
  const invocations: string[][] = [];
  const events: KinesisEvent[] = [];
  const contexts: LambdaContext[] = [];
  const consumed: ConsumedRecord[] = [];
  const handler: KinesisHandler | undefined =
    respond === undefined
      ? undefined
      : async (event, context) => {
          events.push(event);
          contexts.push(context);
          invocations.push(event.Records.map((r) => r.kinesis.sequenceNumber));
          return respond(event, invocations.length);
        };
  const mapping = await startEventSourceMapping({
    source,
    streamName: 'test-stream',
    config,
    ...(handler === undefined ? {} : { handler }),
    onRecords: (records) => consumed.push(...records),
    now: nowUs,
    backoffMs: () => 0,
    sleep: () => tick(),
  });
  return {
    mapping,
    invocations,
    events,
    contexts,
    consumed,
    async settle(until) {
      const ok = await mapping.drain({ until, timeoutMs: 5000 });
      if (!ok) throw new Error(`condition not reached; stats: ${JSON.stringify(mapping.stats())}`);
    },
  };
}

export function fillShard(source: MemorySource, shardId: string, n: number, key = (i: number) => `k${i}`): string[] {
  return Array.from({ length: n }, (_, i) => source.put(shardId, key(i), `record-${i}`));
}

export const fail = (): never => {
  throw new Error('handler failed');
};

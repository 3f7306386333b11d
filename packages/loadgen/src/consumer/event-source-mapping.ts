/**
 * A local event source mapping that behaves like Lambda's for Kinesis (kinesis-facts §4): it lists
 * the shards, reads each one (parents before children), cuts records into batches per shard lane,
 * invokes the handler with Lambda's event and context, and applies Lambda's retry, bisect, partial
 * failure and discard rules. With no handler it only reads and hands records to measurement.
 *
 * Invariants:
 * - Every user record read is handed to `onRecords` before each invocation that carries it, with
 *   `redelivery: true` from the second time on; measurement always sees deaggregated user records.
 * - Shards present at start begin at `startingPosition`; shards that appear later (children of a
 *   split or merge) begin at TRIM_HORIZON, after their parents are read to the end.
 * - `stop()` lets each in-flight invocation finish, delivers nothing more, and resolves when every
 *   reader and lane has returned. Memory is bounded per shard (see shard-reader.ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { toBatchItems } from './batch-item.js';
import type { BatchStats, DiscardedBatch } from './batch-runner.js';
import { resolveConsumerConfig, type EventSourceMappingConfig } from './config.js';
import { createDelivery, type ConsumedRecord } from './delivery.js';
import { createInvoker } from './invoker.js';
import { createKinesisShardSource } from './kinesis-shard-source.js';
import { streamArnFor, type KinesisHandler } from './lambda-event.js';
import { Lane } from './lane.js';
import type { IteratorPosition, ShardSource, StreamShard } from './shard-source.js';
import { readyShards, type ShardPhase } from './shard-lineage.js';
import { ShardReader, type ShardReaderStats } from './shard-reader.js';
import { Signal } from './signal.js';

export type { ConsumedRecord } from './delivery.js';

export interface EventSourceMappingOptions {
  /** Reads through this client unless `source` is given. */
  client?: KinesisClient;
  /** An injected record source (tests). */
  source?: ShardSource;
  streamName: string;
  streamArn?: string;
  config?: EventSourceMappingConfig;
  handler?: KinesisHandler;
  onRecords?: (records: ConsumedRecord[]) => void;
  /** Wall-clock µs. */
  now: () => number;
  /** @default 'us-east-1' */
  region?: string;
  /** Delay before retry n of a failed batch. @default 500 ms × 2^(n−1), at most 30 s */
  backoffMs?: (retry: number) => number;
  /** How often to look for new shards. @default 10000 */
  shardRefreshMs?: number;
  /** Replaces every wait (tests); must yield to the event loop. */
  sleep?: (ms: number) => Promise<void>;
}

export interface ShardStatsView extends ShardReaderStats {
  shardId: string;
  phase: ShardPhase;
  bufferedItems: number;
}

export interface EventSourceMappingStats extends BatchStats {
  shards: ShardStatsView[];
  recordsRead: number;
  userRecordsRead: number;
  /** The largest IteratorAge any shard reached during the run. */
  maxIteratorAgeMs: number;
  discardedBatches: number;
  discardedRecords: number;
  /** The first 100 on-failure records. */
  discarded: DiscardedBatch[];
  /** Failed shard listings after the start (retried at the next refresh). */
  listShardsErrors: number;
  lastListShardsError?: string;
  /** Every started shard has nothing buffered and no batch in flight. */
  idle: boolean;
}

export interface EventSourceMapping {
  stop(): Promise<void>;
  /** Waits until `until()` holds (true) or `timeoutMs` passes (false). */
  drain(options: { until: () => boolean; timeoutMs: number }): Promise<boolean>;
  stats(): EventSourceMappingStats;
}

const DISCARDED_KEPT = 100;

export async function startEventSourceMapping(options: EventSourceMappingOptions): Promise<EventSourceMapping> {
  const config = resolveConsumerConfig(options.config);
  const { now, handler, onRecords, region = 'us-east-1', shardRefreshMs = 10_000 } = options;
  const source = options.source ?? sourceFromClient(options);
  const stopController = new AbortController();
  const isStopped = (): boolean => stopController.signal.aborted;
  const sleep = options.sleep ?? ((ms: number) => delay(ms, undefined, { signal: stopController.signal }).catch(() => undefined));
  const backoffMs = options.backoffMs ?? ((retry: number) => Math.min(30_000, 500 * 2 ** (retry - 1)));
  const batchStats: BatchStats = { invocations: 0, functionErrors: 0, partialFailures: 0, retries: 0, bisections: 0 };
  const discarded = { batches: 0, records: 0, kept: [] as DiscardedBatch[] };
  const invoke = createInvoker({
    handler,
    identity: { region, eventSourceArn: options.streamArn ?? streamArnFor(region, options.streamName) },
    timeoutMs: config.functionTimeoutSeconds * 1000,
    now,
  });
  const deliver = createDelivery(now, onRecords);

  const phase = new Map<string, ShardPhase>();
  const readers = new Map<string, { reader: ShardReader; lanes: Lane[]; taken: Signal }>();
  const tasks = new Set<Promise<void>>();
  let listed: StreamShard[] = [];

  const startShard = (shard: StreamShard, position: IteratorPosition): void => {
    phase.set(shard.shardId, 'reading');
    const taken = new Signal();
    const runnerDeps = { config, deliver, invoke, sleep, isStopped, now, backoffMs, stats: batchStats, onDiscard };
    const lanes = Array.from({ length: config.parallelizationFactor }, () => new Lane(runnerDeps, taken));
    const reader = new ShardReader(shard.shardId, position, {
      source,
      config,
      lanes,
      taken,
      toItems: (record) => toBatchItems(shard.shardId, record, config.deaggregate),
      now,
      sleep,
      isStopped,
    });
    readers.set(shard.shardId, { reader, lanes, taken });
    const laneRuns = lanes.map((lane) => lane.run());
    track(
      (async () => {
        const ended = await reader.run();
        for (const lane of lanes) lane.close();
        await Promise.all(laneRuns);
        if (!ended || isStopped()) return;
        phase.set(shard.shardId, 'done');
        await refresh(); // the children of a closed shard may be new
      })(),
    );
  };

  function onDiscard(batch: DiscardedBatch): void {
    discarded.batches++;
    discarded.records += batch.batchSize;
    if (discarded.kept.length < DISCARDED_KEPT) discarded.kept.push(batch);
  }

  function track(task: Promise<void>): void {
    const guarded = task.catch((error: unknown) => {
      // A failing onRecords callback or source is a bug in the run, not a consumer condition.
      fatal ??= error;
      stopController.abort();
    });
    tasks.add(guarded);
    void guarded.finally(() => tasks.delete(guarded));
  }
  let fatal: unknown;

  const schedule = (initial: boolean): void => {
    for (const shard of readyShards(listed, phase)) startShard(shard, initial ? initialPosition() : { type: 'TRIM_HORIZON' });
  };
  function initialPosition(): IteratorPosition {
    if (config.startingPosition === 'AT_TIMESTAMP') {
      return { type: 'AT_TIMESTAMP', timestampMs: config.startingPositionTimestampMs ?? 0 };
    }
    return { type: config.startingPosition };
  }
  async function refresh(): Promise<void> {
    if (isStopped()) return;
    try {
      listed = await source.listShards();
    } catch (error) {
      // A failed ListShards must not stop reading: the next refresh (≤ shardRefreshMs) retries.
      listShardsErrors++;
      lastListShardsError = error instanceof Error ? error.message : String(error);
      return;
    }
    for (const s of listed) if (!phase.has(s.shardId)) phase.set(s.shardId, 'waiting');
    schedule(false);
  }
  let listShardsErrors = 0;
  let lastListShardsError: string | undefined;

  listed = await source.listShards();
  for (const s of listed) phase.set(s.shardId, 'waiting');
  schedule(true);
  track(
    (async () => {
      while (!isStopped()) {
        await sleep(shardRefreshMs);
        await refresh();
      }
    })(),
  );

  return {
    async stop() {
      stopController.abort();
      for (const { lanes, taken } of readers.values()) {
        for (const lane of lanes) lane.close();
        taken.notify(); // a reader waiting for buffer room
      }
      while (tasks.size > 0) await Promise.all([...tasks]);
      if (fatal !== undefined) throw fatal;
    },
    async drain({ until, timeoutMs }) {
      const deadline = performance.now() + timeoutMs;
      while (!until()) {
        if (performance.now() >= deadline || isStopped()) return until();
        await delay(20);
      }
      return true;
    },
    stats() {
      const shards = [...readers.entries()].map(([shardId, { reader, lanes }]) => ({
        shardId,
        phase: phase.get(shardId) ?? 'reading',
        bufferedItems: reader.bufferedItems,
        ...reader.stats,
        busy: lanes.some((l) => l.busy),
      }));
      return {
        ...batchStats,
        shards: shards.map(({ busy: _busy, ...rest }) => rest),
        recordsRead: shards.reduce((n, s) => n + s.recordsRead, 0),
        userRecordsRead: shards.reduce((n, s) => n + s.userRecordsRead, 0),
        maxIteratorAgeMs: Math.max(0, ...shards.map((s) => s.maxIteratorAgeMs)),
        discardedBatches: discarded.batches,
        discardedRecords: discarded.records,
        discarded: [...discarded.kept],
        listShardsErrors,
        ...(lastListShardsError === undefined ? {} : { lastListShardsError }),
        idle: shards.every((s) => s.bufferedItems === 0 && !s.busy),
      };
    },
  };
}

function sourceFromClient(options: EventSourceMappingOptions): ShardSource {
  if (options.client === undefined) throw new TypeError('Expected `client` or `source`, got neither');
  const { client, streamName, streamArn } = options;
  return createKinesisShardSource(streamArn === undefined ? { client, streamName } : { client, streamName, streamArn });
}

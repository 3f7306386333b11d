/**
 * What the limits layer knows about each stream: its shard map (read from kinesalite's own
 * DescribeStreamSummary + ListShards) and one ShardAccount per shard, plus the stats snapshot.
 *
 * Invariants: a map is reused only while the stream is ACTIVE and no resharding call has passed
 * since it was read; otherwise the next metered request re-reads it (in-process, ~0.1 ms). A shard
 * keeps its account (and counters) across refreshes; children of a split start with full buckets.
 * Concurrent refreshes of one stream share one read.
 */
import type { KinesaliteBackend } from './kinesalite-backend.js';
import { ShardAccount, zeroCounters, type ShardCounters, type ShardStats } from './shard-account.js';
import { ShardMap, type ShardDescription } from './shard-map.js';
import type { ResolvedLimits } from './options.js';

export interface StreamStats {
  streamName: string;
  shards: ShardStats[];
  /** Sums over `shards`. */
  totals: ShardCounters;
}

interface StreamState {
  map: ShardMap | undefined;
  fresh: boolean;
  refreshing: Promise<ShardMap | undefined> | undefined;
  accounts: Map<string, ShardAccount>;
}

export class StreamRegistry {
  private readonly streams = new Map<string, StreamState>();

  constructor(
    private readonly backend: KinesaliteBackend,
    private readonly limits: ResolvedLimits | undefined,
    private readonly now: () => number,
  ) {}

  /** The current shard map, or undefined when the stream does not exist or has no shards yet. */
  async shardMap(streamName: string): Promise<ShardMap | undefined> {
    const state = this.state(streamName);
    if (state.fresh && state.map !== undefined) return state.map;
    state.refreshing ??= this.refresh(streamName, state).finally(() => {
      state.refreshing = undefined;
    });
    return state.refreshing;
  }

  /** Marks the map stale after CreateStream/SplitShard/MergeShards/UpdateShardCount pass through. */
  invalidate(streamName: string): void {
    const state = this.streams.get(streamName);
    if (state !== undefined) state.fresh = false;
  }

  /** Drops everything known about a deleted stream (a new stream of that name starts afresh). */
  forget(streamName: string): void {
    this.streams.delete(streamName);
  }

  account(streamName: string, shardId: string): ShardAccount {
    const accounts = this.state(streamName).accounts;
    let account = accounts.get(shardId);
    if (account === undefined) {
      account = new ShardAccount(shardId, this.limits, this.now);
      accounts.set(shardId, account);
    }
    return account;
  }

  stats(): Record<string, StreamStats> {
    const result: Record<string, StreamStats> = {};
    for (const [streamName, state] of this.streams) {
      const shards = [...state.accounts.values()]
        .map((account) => account.snapshot())
        .sort((a, b) => a.shardId.localeCompare(b.shardId));
      if (shards.length === 0) continue;
      const totals = zeroCounters();
      for (const shard of shards) {
        for (const key of Object.keys(totals) as (keyof ShardCounters)[]) totals[key] += shard[key];
      }
      result[streamName] = { streamName, shards, totals };
    }
    return result;
  }

  private state(streamName: string): StreamState {
    let state = this.streams.get(streamName);
    if (state === undefined) {
      state = { map: undefined, fresh: false, refreshing: undefined, accounts: new Map() };
      this.streams.set(streamName, state);
    }
    return state;
  }

  private async refresh(streamName: string, state: StreamState): Promise<ShardMap | undefined> {
    const summary = await this.backend.call('DescribeStreamSummary', { StreamName: streamName });
    const description = summary.data['StreamDescriptionSummary'] as { StreamStatus?: string } | undefined;
    if (summary.statusCode !== 200 || description === undefined) {
      state.map = undefined;
      return undefined;
    }
    const listed = await this.backend.call('ListShards', { StreamName: streamName });
    const shards = (listed.data['Shards'] ?? []) as ShardDescription[];
    const map = new ShardMap(shards);
    state.map = map.openShardIds.length > 0 ? map : undefined;
    state.fresh = description.StreamStatus === 'ACTIVE';
    const open = new Set(map.openShardIds);
    for (const shard of shards) {
      this.account(streamName, shard.ShardId).stats.open = open.has(shard.ShardId);
    }
    return state.map;
  }
}

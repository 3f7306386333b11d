/**
 * Which shards may be read now: after a split or merge, a child is read only once every parent it
 * has has been read to its end, so records of one partition key are delivered in order across a
 * reshard (Lambda and the KCL do the same).
 *
 * Invariant: a parent that ListShards no longer returns (expired past retention) does not block
 * its children; a shard is returned at most once.
 */
import type { StreamShard } from './shard-source.js';

export type ShardPhase = 'waiting' | 'reading' | 'done';

export function readyShards(shards: readonly StreamShard[], phase: ReadonlyMap<string, ShardPhase>): StreamShard[] {
  const finished = (parentId: string | undefined): boolean =>
    parentId === undefined || !phase.has(parentId) || phase.get(parentId) === 'done';
  return shards.filter(
    (s) => phase.get(s.shardId) === 'waiting' && finished(s.parentShardId) && finished(s.adjacentParentShardId),
  );
}

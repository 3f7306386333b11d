/**
 * Helpers for the load-spreading end-to-end tests: a stream's real hash ranges (read with
 * ListShards, never assumed), per-shard counting, and the skew figure the tests report.
 *
 * Invariant: counts are always returned for every open shard of the stream, in hash-range order,
 * so a shard that received nothing shows up as 0 instead of disappearing from the comparison.
 */
import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

export interface ShardRangeOf {
  readonly shardId: string;
  readonly start: bigint;
  readonly end: bigint;
}

/** The stream's open shards sorted by starting hash key. */
export async function shardRanges(client: KinesisClient, stream: string): Promise<ShardRangeOf[]> {
  const out = await client.send(new ListShardsCommand({ StreamName: stream }));
  return (out.Shards ?? [])
    .filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined)
    .map((s) => ({
      shardId: s.ShardId as string,
      start: BigInt(s.HashKeyRange?.StartingHashKey as string),
      end: BigInt(s.HashKeyRange?.EndingHashKey as string),
    }))
    .sort((a, b) => (a.start < b.start ? -1 : 1));
}

/** The shard whose range holds `hash`. */
export function shardOfHash(ranges: readonly ShardRangeOf[], hash: bigint): string {
  const range = ranges.find((r) => hash >= r.start && hash <= r.end);
  if (range === undefined) throw new RangeError(`Hash key ${hash} lies in no shard`);
  return range.shardId;
}

/** How many of `shardIds` name each shard of `ranges`, in range order. */
export function countPerShard(ranges: readonly ShardRangeOf[], shardIds: Iterable<string>): number[] {
  const index = new Map(ranges.map((r, i) => [r.shardId, i]));
  const counts = new Array<number>(ranges.length).fill(0);
  for (const id of shardIds) {
    const i = index.get(id);
    if (i === undefined) throw new RangeError(`Shard ${id} is not an open shard of the stream`);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

/** Largest relative distance of any count from the mean: [25,000, 26,000, 24,000] → 0.04. */
export function maxDeviationFromMean(counts: readonly number[]): number {
  const mean = counts.reduce((sum, c) => sum + c, 0) / counts.length;
  return Math.max(...counts.map((c) => Math.abs(c - mean) / mean));
}

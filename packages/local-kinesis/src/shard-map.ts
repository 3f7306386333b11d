/**
 * The open shards of one stream, ordered by hash range, for routing a hash key to its shard.
 * Ranges come from kinesalite's ListShards answer and are never computed here: the emulators
 * split 2^128 differently (shard 0 of 4 ends at …052863 in one and …052862 in another).
 *
 * Invariant: open shard ranges are disjoint, so a binary search on EndingHashKey finds the one
 * shard that holds a key, or none while the stream is being created.
 */
export interface ShardDescription {
  ShardId: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}

interface OpenShard {
  shardId: string;
  startingHashKey: bigint;
  endingHashKey: bigint;
}

export class ShardMap {
  private readonly open: OpenShard[];
  readonly shardIds: readonly string[];

  constructor(shards: readonly ShardDescription[]) {
    this.open = shards
      .filter((shard) => shard.SequenceNumberRange.EndingSequenceNumber === undefined)
      .map((shard) => ({
        shardId: shard.ShardId,
        startingHashKey: BigInt(shard.HashKeyRange.StartingHashKey),
        endingHashKey: BigInt(shard.HashKeyRange.EndingHashKey),
      }))
      .sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    this.shardIds = shards.map((shard) => shard.ShardId);
  }

  get openShardIds(): string[] {
    return this.open.map((shard) => shard.shardId);
  }

  /** The open shard whose [start, end] holds `hashKey`, or undefined. */
  route(hashKey: bigint): string | undefined {
    let low = 0;
    let high = this.open.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const shard = this.open[middle];
      if (shard === undefined) return undefined;
      if (hashKey > shard.endingHashKey) low = middle + 1;
      else if (hashKey < shard.startingHashKey) high = middle - 1;
      else return shard.shardId;
    }
    return undefined;
  }
}

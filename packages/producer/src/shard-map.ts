/**
 * The stream's open shards and their hash ranges, as Kinesis reports them.
 *
 * Invariants: ranges come from ListShards (never computed here), only open shards are kept
 * (no EndingSequenceNumber), sorted by starting hash key; together they cover [0, 2^128 − 1].
 * Lookup is a binary search on ending hash keys. Each map has a `version`; anything built for an
 * older version (an aggregate, a cached route) must be re-routed before it is sent.
 */
import { DescribeStreamSummaryCommand, ListShardsCommand, type KinesisClient, type Shard as SdkShard } from '@aws-sdk/client-kinesis';

export interface ShardInfo {
  readonly shardId: string;
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
}

export class ShardMap {
  readonly version: number;
  readonly shards: readonly ShardInfo[];
  readonly #byId: Map<string, number>;

  constructor(shards: readonly ShardInfo[], version: number) {
    if (shards.length === 0) throw new Error('A shard map needs at least one open shard');
    this.shards = [...shards].sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    this.version = version;
    this.#byId = new Map(this.shards.map((s, i) => [s.shardId, i]));
  }

  /** Index of the open shard whose range holds `hashKey`. */
  indexFor(hashKey: bigint): number {
    const shards = this.shards;
    let lo = 0;
    let hi = shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((shards[mid] as ShardInfo).endingHashKey < hashKey) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  indexOfShardId(shardId: string): number | undefined {
    return this.#byId.get(shardId);
  }

  contains(index: number, hashKey: bigint): boolean {
    const shard = this.shards[index];
    return shard !== undefined && hashKey >= shard.startingHashKey && hashKey <= shard.endingHashKey;
  }
}

export interface StreamRef {
  readonly streamName: string;
  readonly streamArn: string | undefined;
}

function streamParams(ref: StreamRef): { StreamName: string } | { StreamARN: string } {
  return ref.streamArn === undefined ? { StreamName: ref.streamName } : { StreamARN: ref.streamArn };
}

function toShardInfo(shard: SdkShard): ShardInfo | undefined {
  const range = shard.HashKeyRange;
  if (shard.ShardId === undefined || range?.StartingHashKey === undefined || range.EndingHashKey === undefined) return undefined;
  if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) return undefined; // closed
  return { shardId: shard.ShardId, startingHashKey: BigInt(range.StartingHashKey), endingHashKey: BigInt(range.EndingHashKey) };
}

/** All open shards of the stream, following ListShards pagination. */
export async function listOpenShards(client: KinesisClient, ref: StreamRef): Promise<ShardInfo[]> {
  const open: ShardInfo[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListShardsCommand(nextToken === undefined ? { ...streamParams(ref) } : { NextToken: nextToken }),
    );
    for (const shard of page.Shards ?? []) {
      const info = toShardInfo(shard);
      if (info !== undefined) open.push(info);
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return open;
}

export interface StreamLimits {
  /** Largest record data the stream accepts, in bytes. */
  readonly maxRecordBytes: number;
  readonly onDemand: boolean;
}

/** The stream's record size limit (`MaxRecordSizeInKiB`, 1 MiB when not reported) and mode. */
export async function describeStreamLimits(client: KinesisClient, ref: StreamRef): Promise<StreamLimits> {
  const out = await client.send(new DescribeStreamSummaryCommand(streamParams(ref)));
  const summary = out.StreamDescriptionSummary as
    | { MaxRecordSizeInKiB?: number; StreamModeDetails?: { StreamMode?: string } }
    | undefined;
  const kib = summary?.MaxRecordSizeInKiB;
  return {
    maxRecordBytes: typeof kib === 'number' && kib > 0 ? kib * 1024 : 1024 * 1024,
    onDemand: summary?.StreamModeDetails?.StreamMode === 'ON_DEMAND',
  };
}

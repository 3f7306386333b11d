/** Test doubles' answers for a one-shard stream's set-up calls (ListShards, DescribeStreamSummary). */
export const ONE_SHARD_ID = 'shardId-000000000000';

/** The answer to a set-up command, or undefined when `commandName` is not one. */
export function oneShardSetupAnswer(commandName: string): object | undefined {
  switch (commandName) {
    case 'ListShardsCommand':
      return { Shards: [{ ShardId: ONE_SHARD_ID, HashKeyRange: { StartingHashKey: '0', EndingHashKey: ((1n << 128n) - 1n).toString() }, SequenceNumberRange: { StartingSequenceNumber: '0' } }] };
    case 'DescribeStreamSummaryCommand':
      return { StreamDescriptionSummary: {} };
    default:
      return undefined;
  }
}

/** Test doubles of a one-shard stream: its set-up answers, and a client built on them. */
import { KinesisClient } from '@aws-sdk/client-kinesis';

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

/** A PutRecords entry as the producer sends it. */
export interface SentEntry {
  Data: Uint8Array;
  PartitionKey: string;
  ExplicitHashKey?: string;
}

/** One entry's answer: written, or refused with an error code. */
export type EntryAnswer = { ShardId: string; SequenceNumber: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * A client of a one-shard stream: it answers the set-up calls, and each PutRecords request with
 * `answer(entries)` (one answer per entry, FailedRecordCount counted from them); any other command
 * throws. `sdk`: an SDK `KinesisClient` instance, for which the producer writes aggregates into
 * reused memory (see output-slabs.ts); else a plain object, for which it does not.
 */
export function oneShardClient(answer: (entries: SentEntry[]) => EntryAnswer[] | Promise<EntryAnswer[]>, options: { sdk: boolean }): KinesisClient {
  const send = async (command: { constructor: { name: string }; input: { Records?: SentEntry[] } }) => {
    const setup = oneShardSetupAnswer(command.constructor.name);
    if (setup !== undefined) return setup;
    if (command.constructor.name !== 'PutRecordsCommand') throw new Error(`unexpected ${command.constructor.name}`);
    const Records = await answer(command.input.Records ?? []);
    return { FailedRecordCount: Records.filter((r) => 'ErrorCode' in r).length, Records };
  };
  const methods = { send, destroy: () => undefined };
  return (options.sdk ? Object.assign(new KinesisClient({ region: 'us-east-1' }), methods) : methods) as unknown as KinesisClient;
}

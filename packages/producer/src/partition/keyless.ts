/**
 * Keyless records (no partition key): the producer picks the shard, sticky as in Kafka KIP-480
 * (https://cwiki.apache.org/confluence/display/KAFKA/KIP-480) so aggregates fill up, and switching
 * toward spare capacity as in KIP-794 (see adaptive-choice.ts).
 *
 * Invariants: consecutive records go to one shard until at least `stickyBytes` have been assigned
 * to it (the record that crosses the mark still goes there); the explicit hash key lies inside the
 * chosen shard's range; partition keys are short, never repeat within one partitioner, and all
 * randomness comes from the injected `random()`.
 */
import { InvalidOptionError } from '../errors.js';
import { createWeightedChooser, shardWeights, type ShardLoad } from './adaptive-choice.js';
import { formatHashKey, randomHashKeyIn, type ShardRange } from './hash-range.js';

export type { ShardLoad } from './adaptive-choice.js';

export interface KeylessPartitionerOptions {
  /** Uniform random in [0, 1): tie-breaks, explicit hash keys, the key counter's start. */
  readonly random: () => number;
  /**
   * Bytes sent to one shard before switching: the aggregate size, so each run fills one aggregate.
   * With 51,200 and 100-byte records, 512 records go to a shard before the next switch.
   */
  readonly stickyBytes: number;
  /** Current load of the shard at an index of the map passed to `next`; read only when switching. */
  readonly load: (shardIndex: number) => ShardLoad;
  /**
   * Whether records are aggregated. Aggregated, a run costs about one Kinesis record of
   * `stickyBytes`; raw, every user record costs one, so record tokens count for much less room.
   * @default true
   */
  readonly aggregated?: boolean;
}

export interface KeylessRoute {
  readonly shardIndex: number;
  /** Generated key: base-36 counter, e.g. "1z141z3". Varied, so Lambda's ParallelizationFactor can spread records. */
  readonly partitionKey: string;
  /** Decimal ExplicitHashKey inside the chosen shard; one random point per run. */
  readonly explicitHashKey: string;
  /** The same hash key as a bigint, so callers need not parse the string per record. */
  readonly hashKey: bigint;
}

export interface KeylessPartitioner {
  /** Route one keyless record of `recordBytes` (data + partition key) onto `shards`. */
  next(shards: readonly ShardRange[], recordBytes: number): KeylessRoute;
}

export function createKeylessPartitioner(options: KeylessPartitionerOptions): KeylessPartitioner {
  const { random, stickyBytes, load } = options;
  const aggregated = options.aggregated ?? true;
  if (!(stickyBytes > 0) || !Number.isFinite(stickyBytes)) {
    throw new InvalidOptionError('stickyBytes', `Expected \`stickyBytes\` to be a finite number > 0, got ${stickyBytes}`);
  }
  const chooser = createWeightedChooser(random);
  // Starting at a random point keeps two producers' keys apart; 2^32 keys in base 36 are ≤ 7 chars.
  let keyCounter = Math.floor(random() * 0x1_0000_0000);
  let knownShards: readonly ShardRange[] | undefined;
  let current = -1;
  let currentShardId = '';
  let currentHashKey = 0n;
  let currentExplicitHashKey = '';
  let bytesOnCurrent = 0;

  function followShardMap(shards: readonly ShardRange[]): void {
    if (shards === knownShards) return;
    knownShards = shards;
    // A shard id names one immutable hash range, so the run may continue if its shard is still open.
    current = shards.findIndex((shard) => shard.shardId === currentShardId);
  }

  function switchShard(shards: readonly ShardRange[], recordBytes: number): void {
    const kinesisRecordBytes = aggregated ? stickyBytes : Math.max(recordBytes, 1);
    const loads = shards.map((_, index) => load(index));
    current = chooser.choose(shardWeights(loads, kinesisRecordBytes, stickyBytes));
    const shard = shards[current] as ShardRange;
    currentShardId = shard.shardId;
    currentHashKey = randomHashKeyIn(shard, random);
    currentExplicitHashKey = formatHashKey(currentHashKey);
    bytesOnCurrent = 0;
  }

  return {
    next(shards, recordBytes) {
      if (shards.length === 0) throw new RangeError('Expected at least one open shard, got 0');
      if (!(recordBytes >= 0)) throw new RangeError(`Expected \`recordBytes\` to be ≥ 0, got ${recordBytes}`);
      followShardMap(shards);
      if (current < 0 || bytesOnCurrent >= stickyBytes) switchShard(shards, recordBytes);
      bytesOnCurrent += recordBytes;
      return {
        shardIndex: current,
        partitionKey: (keyCounter++).toString(36),
        explicitHashKey: currentExplicitHashKey,
        hashKey: currentHashKey,
      };
    },
  };
}

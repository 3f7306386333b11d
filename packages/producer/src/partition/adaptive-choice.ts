/**
 * Chooses the next shard for keyless traffic, weighted toward spare capacity (Kafka KIP-794,
 * "uniform sticky partitioner with adaptive partition switching":
 * https://cwiki.apache.org/confluence/display/KAFKA/KIP-794).
 *
 * Invariants: a shard throttled recently gets weight 0 and is never chosen while any other shard
 * is not throttled; over many choices with steady weights, each shard's share of choices stays
 * within about one choice of its weight share (smooth weighted round-robin, not independent draws).
 */

/** What flow control knows about one shard when the partitioner switches. */
export interface ShardLoad {
  /** Kinesis records the shard's token bucket would still accept now. */
  readonly spareRecords: number;
  /** Bytes the shard's token bucket would still accept now. */
  readonly spareBytes: number;
  /** Bytes waiting in the producer for this shard (accumulated, not yet sent). */
  readonly queuedBytes: number;
  /** The shard answered ProvisionedThroughputExceeded recently. */
  readonly throttledRecently: boolean;
}

/**
 * Weight of one shard, in bytes it can still take right now: the tighter of its byte and record
 * tokens, less what is already queued for it. Example with 50 KiB aggregates: spareBytes 600 KiB,
 * spareRecords 4, queuedBytes 100 KiB → min(600, 4 × 50) − 100 = 100 KiB.
 * `kinesisRecordBytes` converts record tokens to bytes: one aggregate, or one raw user record.
 */
export function spareCapacityBytes(load: ShardLoad, kinesisRecordBytes: number): number {
  if (load.throttledRecently) return 0;
  const room = Math.min(load.spareBytes, load.spareRecords * kinesisRecordBytes) - load.queuedBytes;
  return Math.max(room, 0);
}

/**
 * Weights for all shards. When no shard has room (all buckets drained, as under sustained
 * overload), spare capacity says nothing, so fall back to KIP-794's inverse queue length over the
 * shards that are not throttled: 1 / (1 + queuedBytes / stickyBytes), so a shard with four runs
 * queued gets a fifth of the weight of an empty one. If every shard is throttled, all take part.
 * Unpaced shards (`rateControl: 'off'`) report infinite room, which says nothing either and cannot
 * be weighed, so they fall back the same way.
 */
export function shardWeights(loads: readonly ShardLoad[], kinesisRecordBytes: number, stickyBytes: number): number[] {
  const spare = loads.map((load) => spareCapacityBytes(load, kinesisRecordBytes));
  if (spare.some((weight) => weight > 0) && spare.every((weight) => Number.isFinite(weight))) return spare;
  const allThrottled = loads.every((load) => load.throttledRecently);
  return loads.map((load) =>
    load.throttledRecently && !allThrottled ? 0 : 1 / (1 + Math.max(load.queuedBytes, 0) / stickyBytes),
  );
}

export interface WeightedChooser {
  /** Index of the chosen entry; at least one weight must be > 0. */
  choose(weights: readonly number[]): number;
}

/**
 * Smooth weighted round-robin (as in nginx): every choice adds each shard's normalised weight to
 * its credit, picks the highest credit and takes 1 from it. Independent random draws would leave
 * 400 runs on 8 shards at 50 ± 7 each (±14%); this keeps every shard within one run of its share.
 * `random()` only breaks ties, so equal weights yield a fresh random order in every round.
 */
export function createWeightedChooser(random: () => number): WeightedChooser {
  let credits: number[] = [];
  return {
    choose(weights) {
      if (credits.length !== weights.length) credits = new Array<number>(weights.length).fill(0);
      const total = weights.reduce((sum, weight) => sum + Math.max(weight, 0), 0);
      if (!(total > 0) || !Number.isFinite(total)) {
        throw new RangeError(`Expected at least one finite weight > 0, got [${weights.join(', ')}]`);
      }
      let best = -1;
      let bestCredit = -Infinity;
      let ties = 0;
      for (const [index, weight] of weights.entries()) {
        if (!(weight > 0)) continue;
        const credit = (credits[index] ?? 0) + weight / total;
        credits[index] = credit;
        if (credit > bestCredit + 1e-12) {
          best = index;
          bestCredit = credit;
          ties = 1;
        } else if (credit >= bestCredit - 1e-12 && random() * ++ties < 1) {
          best = index; // reservoir choice: each of the tied shards wins with probability 1/ties
        }
      }
      credits[best] = (credits[best] ?? 0) - 1;
      return best;
    },
  };
}

/**
 * Per-shard flow control for the collector: one ShardFlow (token buckets + adaptive rate +
 * throttle backoff, see flow/) per open shard, created on first use and dropped when the shard
 * leaves the map.
 *
 * The collector asks `delayMs` before adding a Kinesis record to a request and calls `take` when
 * it does; the producer reports each response's per-shard outcome with `onOutcome`. A shard that
 * must wait delays only its own records: others keep flowing.
 */
import type { ShardFlow } from './flow/shard-flow.js';

/** What the gate needs of a shard's flow control (flow/shard-flow.ts implements it). */
export type ShardFlowLike = Pick<ShardFlow, 'delayMs' | 'take' | 'onOutcome' | 'capacity' | 'snapshot'>;

export class FlowGate {
  readonly #create: (shardId: string) => ShardFlowLike;
  readonly #flows = new Map<string, ShardFlowLike>();
  readonly #throttledAtMs = new Map<string, number>();
  readonly #now: () => number;
  readonly #waitingSinceMs = new Map<string, number>();
  /** Milliseconds shards spent waiting for tokens with records ready (summed over shards). */
  waitedMs = 0;

  constructor(create: (shardId: string) => ShardFlowLike, now: () => number) {
    this.#create = create;
    this.#now = now;
  }

  flow(shardId: string): ShardFlowLike {
    let flow = this.#flows.get(shardId);
    if (flow === undefined) {
      flow = this.#create(shardId);
      this.#flows.set(shardId, flow);
    }
    return flow;
  }

  /** How long the shard's next Kinesis record must wait; starts the shard's wait clock if > 0. */
  delayMs(shardId: string, records: number, bytes: number): number {
    const delay = this.flow(shardId).delayMs(records, bytes);
    if (delay > 0 && !this.#waitingSinceMs.has(shardId)) this.#waitingSinceMs.set(shardId, this.#now());
    return delay;
  }

  take(shardId: string, records: number, bytes: number): void {
    const since = this.#waitingSinceMs.get(shardId);
    if (since !== undefined) {
      this.waitedMs += this.#now() - since;
      this.#waitingSinceMs.delete(shardId);
    }
    this.flow(shardId).take(records, bytes);
  }

  onOutcome(shardId: string, outcome: { acceptedRecords: number; acceptedBytes: number; throttledRecords: number }): void {
    if (outcome.throttledRecords > 0) this.#throttledAtMs.set(shardId, this.#now());
    this.flow(shardId).onOutcome(outcome);
  }

  /** Whether the shard was throttled within the last `windowMs`. */
  throttledWithin(shardId: string, windowMs: number): boolean {
    const at = this.#throttledAtMs.get(shardId);
    return at !== undefined && this.#now() - at < windowMs;
  }

  /** Forget shards that are no longer open. */
  retain(openShardIds: ReadonlySet<string>): void {
    for (const id of this.#flows.keys()) {
      if (!openShardIds.has(id)) {
        this.#flows.delete(id);
        this.#throttledAtMs.delete(id);
        this.#waitingSinceMs.delete(id);
      }
    }
  }

  snapshot(): Record<string, ReturnType<ShardFlowLike['snapshot']>> {
    const out: Record<string, ReturnType<ShardFlowLike['snapshot']>> = {};
    for (const [id, flow] of this.#flows) out[id] = flow.snapshot();
    return out;
  }
}

/** No limits at all: for streams whose limits are enforced elsewhere, and for encode benchmarks. */
export function unlimitedFlow(): ShardFlowLike {
  let accepted = 0;
  let acceptedBytes = 0;
  let throttled = 0;
  return {
    delayMs: () => 0,
    take: () => undefined,
    onOutcome: (o) => {
      accepted += o.acceptedRecords;
      acceptedBytes += o.acceptedBytes;
      throttled += o.throttledRecords;
    },
    capacity: () => ({ records: Infinity, bytes: Infinity }),
    snapshot: () => ({
      allowedRecordsPerSec: Infinity,
      allowedBytesPerSec: Infinity,
      throttledRecordsTotal: throttled,
      acceptedRecordsTotal: accepted,
      acceptedBytesTotal: acceptedBytes,
      consecutiveThrottles: 0,
      backoffUntilMs: 0,
    }),
  };
}

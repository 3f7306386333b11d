/**
 * `keyHashing: 'balanced'`: spreads application partition keys evenly over the open shards by
 * shard index, and routes each record with an ExplicitHashKey inside the chosen shard. The record
 * keeps its own partition key, so consumers still see it.
 *
 * Invariants, while the shard map is unchanged:
 * - the same key always gets the same shard and the same explicit hash key (per-key ordering holds);
 * - while the table has room, the tracked key counts of any two shards differ by at most one;
 * - memory is bounded by `maxTrackedKeys` entries; keys beyond it fall back to murmur3 mod N.
 *
 * The mapping belongs to one router (one producer): two producers seeing keys in different orders
 * may place the same key on different shards. Per-key ordering is a per-producer promise anyway,
 * because two producers writing one key are never ordered against each other.
 */
import { InvalidOptionError } from '../errors.js';
import { assertShardRanges, formatHashKey, murmur3HashKey, scaleIntoRange, type ShardRange } from './hash-range.js';

export interface BalancedRouterOptions {
  /** Open shards sorted by startingHashKey. */
  readonly shards: readonly ShardRange[];
  /**
   * Keys whose shard is remembered. At ~100 bytes per entry, 100,000 keys hold ~10 MB.
   * @default 100000
   */
  readonly maxTrackedKeys?: number;
}

export interface BalancedRoute {
  /** Index into the shard map given to the router. */
  readonly shardIndex: number;
  /** Decimal ExplicitHashKey inside that shard's range. */
  readonly explicitHashKey: string;
  /** The same hash key as a bigint, so callers need not parse the string per record. */
  readonly hashKey: bigint;
}

export interface BalancedRouter {
  /** The shard and explicit hash key for a partition key; the same key always gets the same route. */
  route(partitionKey: string): BalancedRoute;
  /** Tracked (remembered) keys per shard index; keys routed after the table filled are not counted. */
  keysPerShard(): number[];
  /** Keys remembered so far (≤ `maxTrackedKeys`). */
  trackedKeys(): number;
}

export const DEFAULT_MAX_TRACKED_KEYS = 100_000;

/** Create a router per shard map: when the map changes, build a new one (the table starts empty). */
export function createBalancedRouter(options: BalancedRouterOptions): BalancedRouter {
  const { shards } = options;
  const maxTrackedKeys = options.maxTrackedKeys ?? DEFAULT_MAX_TRACKED_KEYS;
  assertShardRanges(shards);
  if (!Number.isSafeInteger(maxTrackedKeys) || maxTrackedKeys < 0) {
    throw new InvalidOptionError(
      'maxTrackedKeys',
      `Expected \`maxTrackedKeys\` to be an integer ≥ 0, got ${maxTrackedKeys}`,
    );
  }
  const shardCount = BigInt(shards.length);
  const table = new Map<string, BalancedRoute>();
  const counts = new Array<number>(shards.length).fill(0);
  // Shards that have not yet received a key in the current round. Assignment goes round by round:
  // each round hands every shard exactly one new key, so counts always sit in {r, r + 1}. With 32
  // keys on 8 shards that is 4 full rounds: exactly 4 keys per shard, where plain hashing would
  // give a busiest shard of ~7 (a balls-into-bins maximum).
  let roundLeft = shards.map((_, index) => index);

  function routeFor(shardIndex: number, hash: bigint): BalancedRoute {
    const shard = shards[shardIndex] as ShardRange;
    const hashKey = scaleIntoRange(shard.startingHashKey, shard.endingHashKey, hash);
    return { shardIndex, explicitHashKey: formatHashKey(hashKey), hashKey };
  }

  function assignNew(hash: bigint): number {
    if (roundLeft.length === 0) roundLeft = shards.map((_, index) => index);
    // Ties between the least-loaded shards are broken by the key's hash, so the choice does not
    // depend on shard order alone. Swap-remove keeps the pick O(1).
    const slot = Number(hash % BigInt(roundLeft.length));
    const shardIndex = roundLeft[slot] as number;
    roundLeft[slot] = roundLeft[roundLeft.length - 1] as number;
    roundLeft.pop();
    return shardIndex;
  }

  return {
    route(partitionKey) {
      const known = table.get(partitionKey);
      if (known !== undefined) return known;
      const hash = murmur3HashKey(partitionKey);
      if (table.size >= maxTrackedKeys) {
        // Table full: stateless placement, still even in expectation and stable per key.
        return routeFor(Number(hash % shardCount), hash);
      }
      const route = routeFor(assignNew(hash), hash);
      counts[route.shardIndex] = (counts[route.shardIndex] ?? 0) + 1;
      table.set(partitionKey, route);
      return route;
    },
    keysPerShard: () => [...counts],
    trackedKeys: () => table.size,
  };
}

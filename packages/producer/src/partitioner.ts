/**
 * Decides the shard of each record for the current shard map, and fills in the routing fields the
 * record is sent with.
 *
 * - explicit hash key given: that key decides (Kinesis does the same);
 * - partition key, `keyHashing: 'md5'`: MD5 of the key, as Kinesis routes it (hashed once per
 *   distinct key, see hash-key.ts);
 * - partition key, `keyHashing: 'balanced'`: murmur3 spreads keys evenly over the open shards, sent
 *   with an explicit hash key inside the chosen shard; the key itself travels unchanged;
 * - no partition key: the keyless sticky/adaptive partitioner picks a shard with spare capacity
 *   and generates the key and hash key.
 * Invariant: the returned index is a shard of `map` whose range holds `record.hashKey`.
 */
import { HashKeyCache, type KeyRoute } from './hash-key.js';
import { KeyHashing } from './options.js';
import { createBalancedRouter, createKeylessPartitioner, type BalancedRouter, type KeylessPartitioner, type ShardLoad } from './partition/index.js';
import type { PendingRecord } from './pending.js';
import type { ShardMap } from './shard-map.js';

export interface PartitionerOptions {
  readonly keyHashing: KeyHashing;
  readonly random: () => number;
  /** Bytes a keyless run sticks to one shard: one aggregate's worth. */
  readonly stickyBytes: number;
  readonly aggregated: boolean;
  /** Load of shard `index` of the current map, for keyless shard switching. */
  readonly load: (map: ShardMap, index: number) => ShardLoad;
}

export class Partitioner {
  readonly #options: PartitionerOptions;
  readonly #hashes = new HashKeyCache();
  #balanced: { router: BalancedRouter; version: number } | undefined;
  #keyless: KeylessPartitioner | undefined;
  #keylessMap: ShardMap | undefined;

  constructor(options: PartitionerOptions) {
    this.#options = options;
  }

  /** Sets `record.hashKey` (and generated keys) and returns the index of its shard in `map`. */
  route(record: PendingRecord, map: ShardMap, explicitHash: bigint | undefined): number {
    if (explicitHash !== undefined) {
      record.hashKey = explicitHash;
      return map.indexFor(explicitHash);
    }
    if (record.userKey === undefined) return this.#routeKeyless(record, map);
    if (this.#options.keyHashing === KeyHashing.Balanced) return this.#routeBalanced(record, map);
    const route = record.keySlot ?? this.#hashes.get(record.partitionKey);
    record.hashKey = route.hashKey;
    record.keySlot = route;
    if (route.mapVersion !== map.version) {
      route.shardIndex = map.indexFor(route.hashKey);
      route.mapVersion = map.version;
    }
    return route.shardIndex;
  }

  /**
   * The cache entry of a partition key routed by its MD5 (its hash key, UTF-8 length, last shard),
   * for a caller that needs the key's length before routing; undefined under other key hashing.
   */
  keyRoute(partitionKey: string): KeyRoute | undefined {
    return this.#options.keyHashing === KeyHashing.Md5 ? this.#hashes.get(partitionKey) : undefined;
  }

  #routeBalanced(record: PendingRecord, map: ShardMap): number {
    if (this.#balanced?.version !== map.version) {
      this.#balanced = { router: createBalancedRouter({ shards: map.shards }), version: map.version };
    }
    const route = this.#balanced.router.route(record.partitionKey);
    record.explicitHashKey = route.explicitHashKey;
    record.hashKey = route.hashKey;
    return route.shardIndex;
  }

  #routeKeyless(record: PendingRecord, map: ShardMap): number {
    if (this.#keyless === undefined) {
      const { random, stickyBytes, aggregated, load } = this.#options;
      this.#keyless = createKeylessPartitioner({
        random,
        stickyBytes,
        aggregated,
        load: (index) => load(this.#keylessMap as ShardMap, index),
      });
    }
    this.#keylessMap = map;
    const route = this.#keyless.next(map.shards, record.data.length + 8);
    record.partitionKey = route.partitionKey;
    record.partitionKeyBytes = route.partitionKey.length;
    record.explicitHashKey = route.explicitHashKey;
    record.hashKey = route.hashKey;
    return route.shardIndex;
  }

  /** Balanced routes per key, for metrics (keys per shard). */
  balancedKeysPerShard(): number[] | undefined {
    return this.#balanced?.router.keysPerShard();
  }
}

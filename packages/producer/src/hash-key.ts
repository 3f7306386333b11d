/**
 * Kinesis hash keys: MD5 of a partition key, explicit hash key parsing, and a bounded cache.
 *
 * Kinesis routes a record by MD5(partition key as UTF-8) read as a big-endian unsigned 128-bit
 * integer, or by the ExplicitHashKey when given (kinesis-facts §1). One MD5 costs ~2 µs here, so
 * the producer hashes each distinct key once and remembers it: at 1 M records/s over 10,000 keys
 * that turns 2 s of hashing per second into a map lookup.
 */
import { createHash } from 'node:crypto';
import type { KeySlot } from './aggregation/aggregate-builder.js';
import { utf8Bytes } from './aggregation/kpl-format.js';

export const MAX_HASH_KEY = (1n << 128n) - 1n;
const EXPLICIT_HASH_KEY = /^(0|[1-9]\d{0,38})$/;

/** MD5(partitionKey) as Kinesis computes it. */
export function md5HashKey(partitionKey: string): bigint {
  const digest = createHash('md5').update(partitionKey, 'utf8').digest();
  return (digest.readBigUInt64BE(0) << 64n) | digest.readBigUInt64BE(8);
}

/** The hash key of a valid ExplicitHashKey string, or undefined if it is not one. */
export function parseExplicitHashKey(value: string): bigint | undefined {
  if (!EXPLICIT_HASH_KEY.test(value)) return undefined;
  const key = BigInt(value);
  return key <= MAX_HASH_KEY ? key : undefined;
}

/**
 * What the cache remembers of one partition key: its hash key, per shard map its shard, and (as a
 * KeySlot) its UTF-8 length and where it sits in the key table of the aggregate being built.
 */
export interface KeyRoute extends KeySlot {
  readonly hashKey: bigint;
  /** Shard map version `shardIndex` was computed for (-1: none yet). */
  mapVersion: number;
  shardIndex: number;
}

/**
 * Remembers the MD5 hash key of recent partition keys, and the shard each was last routed to, so a
 * known key costs one Map lookup: no hash, no 128-bit comparisons. Bounded: when `capacity`
 * distinct keys are held the cache starts over (cheaper than LRU bookkeeping on the hot path; a
 * workload with more distinct keys than `capacity` pays one MD5 per record, as without a cache).
 */
export class HashKeyCache {
  readonly #capacity: number;
  #keys = new Map<string, KeyRoute>();

  constructor(capacity = 65_536) {
    this.#capacity = capacity;
  }

  get(partitionKey: string): KeyRoute {
    let route = this.#keys.get(partitionKey);
    if (route === undefined) {
      route = { hashKey: md5HashKey(partitionKey), mapVersion: -1, shardIndex: 0, table: 0, index: 0, keyBytes: utf8Bytes(partitionKey) };
      if (this.#keys.size >= this.#capacity) this.#keys = new Map();
      this.#keys.set(partitionKey, route);
    }
    return route;
  }
}

/**
 * Index from a key string to its position in an aggregate's key table, for keys that come
 * without a `KeySlot` (`aggregate()`, explicit hash keys): an open-addressing hash table of
 * positions in an `Int32Array`, kept by the builder across aggregates and cleared between them.
 *
 * Why not a `Map` per aggregate: for 250 records under mostly distinct keys, a new Map's misses,
 * inserts and rehashes as it grows cost 50–80 ns per record here, and measuring each new key's
 * UTF-8 length was another scan of its characters (35–50 ns for a 19-character key). `find`
 * hashes the key and measures it in one pass, then probes reused memory that holds no pointers:
 * 60–70 ns for both.
 *
 * Invariants:
 * - A slot holds its key's position in the caller's table + 1 (0 = empty). Positions need not
 *   be dense: the table may also hold keys it found through their `KeySlot`s.
 * - At most half the slots are used (the table doubles first), so a probe finds an empty slot.
 * - Keys crafted to collide cost linear time, not quadratic: a probe longer than the probe
 *   limit, or probes of 8 steps or more adding up to over 4 per key in the index, move the index
 *   onto a `Map` for the rest of the aggregate. Honest keys stay far below both (tested with
 *   100,000 distinct keys).
 * - Holds no strings but the last key looked up and a fallback Map, both dropped at `clear()`:
 *   keys are compared through the caller's table, so the arrays can be kept across aggregates
 *   without keeping user data.
 */

import { holdsTooMuch } from './retained-memory.js';

/** Slots of a new or cleared index: room for 32 keys before the first doubling. */
export const MIN_SLOTS = 64;
/**
 * Probe length past which the index falls back to a Map: 8 × log2(slots), 48 for 64 slots, 136
 * for 2^17. At half load a probe takes ~2.5 steps on average, but the longest run of filled
 * slots grows with the table (with this hash, at the load just before a doubling: 7 for 32 keys
 * in 64 slots, 34 for 65,536 keys `user-0`… in 2^17), so a fixed limit would send large honest
 * tables to the Map.
 */
export function maxProbes(slotCount: number): number {
  return 8 * (31 - Math.clz32(slotCount));
}

/** Probes this long or longer count against an index's budget of long probes (see KeyIndex). */
const LONG_PROBE = 8;

/**
 * Hash of `key` for the index: MurmurHash3 x86 32-bit, seed 0, of the key's UTF-16LE bytes (two
 * code units to a 32-bit block; https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp;
 * checked against murmurhash3js-revisited in the tests). A block's own mixing does not wait on
 * the running hash, so a pair costs about one multiply's latency: ~45 ns for a 19-character key
 * here, where FNV-1a one code unit at a time took ~80.
 * Sets `into.keyBytes` to the key's UTF-8 length in the same pass (as `Buffer.byteLength` counts
 * it; the native call only for non-ASCII keys). `into` is the index itself on the hot path: a
 * second result without an object per call.
 */
export function hashKey(key: string, into: { keyBytes: number }): number {
  let hash = 0;
  let high = 0;
  const pairs = key.length - 1;
  let i = 0;
  for (; i < pairs; i += 2) {
    const codes = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16);
    high |= codes;
    let block = Math.imul(codes, 0xcc9e_2d51);
    block = Math.imul((block << 15) | (block >>> 17), 0x1b87_3593);
    hash ^= block;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe654_6b64) | 0;
  }
  if (i === pairs) {
    const code = key.charCodeAt(i);
    high |= code;
    let block = Math.imul(code, 0xcc9e_2d51);
    block = Math.imul((block << 15) | (block >>> 17), 0x1b87_3593);
    hash ^= block;
  }
  into.keyBytes = (high & 0xff80_ff80) !== 0 ? Buffer.byteLength(key, 'utf8') : key.length;
  hash ^= key.length << 1;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85eb_ca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2_ae35);
  hash ^= hash >>> 16;
  return hash;
}

/**
 * The index of one key table. The caller (KeyTable) inserts a key only after `find` missed it,
 * at a position below 2^31 − 1, and clears the index when it starts a new table.
 */
export class KeyIndex {
  /** Position + 1 of the key in each slot; 0 = empty. */
  #slots = new Int32Array(MIN_SLOTS);
  /** Hash of the key in each slot: compared before the strings, and kept to regrow without rehashing. */
  #slotHashes = new Int32Array(MIN_SLOTS);
  #count = 0;
  #maxProbes = maxProbes(MIN_SLOTS);
  /** Steps of this aggregate's probes of LONG_PROBE steps or more. */
  #longProbeSteps = 0;
  /** Set once a probe ran past the probe limit; holds every key until `clear()`. */
  #fallback: Map<string, number> | undefined = undefined;
  #lastKey: string | undefined = undefined;
  #lastHash = 0;
  /** What `find` returned for `#lastKey`. */
  #lastFound = -1;
  /** The free slot where `find` ended for `#lastKey`: `insert` stores there unless the slots grew. */
  #lastFreeSlot = 0;
  /** Set by `find`: UTF-8 length of the key just looked up (as `Buffer.byteLength` counts it). */
  keyBytes = 0;

  /** Number of keys inserted since the last `clear()`. */
  get size(): number {
    return this.#count;
  }

  /** Slots held (for tests). */
  get slotCount(): number {
    return this.#slots.length;
  }

  /** True once this aggregate's keys moved onto a Map (for tests). */
  get degraded(): boolean {
    return this.#fallback !== undefined;
  }

  /** Position of `key` (compared against `keys`, the table's keys by position), or -1; sets `keyBytes`. */
  find(key: string, keys: readonly (string | undefined)[]): number {
    const hash = hashKey(key, this);
    this.#lastKey = key;
    this.#lastHash = hash;
    if (this.#fallback !== undefined) return (this.#lastFound = this.#fallback.get(key) ?? -1);
    const slots = this.#slots;
    const slotHashes = this.#slotHashes;
    const mask = slots.length - 1;
    let at = hash & mask;
    const limit = this.#maxProbes;
    let found = -2; // -2: the probe ran out
    let probes = 0;
    for (; probes < limit; probes++) {
      const stored = slots[at] as number;
      if (stored === 0) {
        this.#lastFreeSlot = at;
        found = -1;
        break;
      }
      if (slotHashes[at] === hash && keys[stored - 1] === key) {
        found = stored - 1;
        break;
      }
      at = (at + 1) & mask;
    }
    if (probes >= LONG_PROBE && (found === -2 || (this.#longProbeSteps += probes) > 4 * this.#count + limit)) {
      found = this.#degrade(keys).get(key) ?? -1;
    }
    return (this.#lastFound = found);
  }

  /** Records that `key`, not in the index, is at `position` of the table. */
  insert(key: string, position: number, keys: readonly (string | undefined)[]): void {
    if (key !== this.#lastKey) this.find(key, keys);
    if (this.#lastFound >= 0) {
      throw new Error(`Key index: a key already at position ${this.#lastFound} inserted again at ${position}`);
    }
    // A second insert of this key must find it first (and throw above).
    this.#lastKey = undefined;
    this.#count++;
    if (this.#fallback !== undefined) {
      this.#fallback.set(key, position);
      return;
    }
    if (2 * this.#count > this.#slots.length) {
      this.#grow();
      this.#place(this.#lastHash, position);
    } else {
      this.#slots[this.#lastFreeSlot] = position + 1;
      this.#slotHashes[this.#lastFreeSlot] = this.#lastHash;
    }
  }

  /** Forgets every key. Slots more than 4 times what this aggregate needed are dropped, not kept. */
  clear(): void {
    this.#fallback = undefined;
    this.#lastKey = undefined;
    this.#longProbeSteps = 0;
    // This aggregate needed 2 slots per key (load ≤ 1/2).
    if (holdsTooMuch(this.#slots.length, 2 * this.#count, MIN_SLOTS)) {
      this.#slots = new Int32Array(MIN_SLOTS);
      this.#slotHashes = new Int32Array(MIN_SLOTS);
      this.#maxProbes = maxProbes(MIN_SLOTS);
    } else if (this.#count > 0) {
      this.#slots.fill(0);
    }
    this.#count = 0;
  }

  /** Stores `position` in the first free slot of `hash`'s probe sequence (one exists: load ≤ 1/2). */
  #place(hash: number, position: number): void {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let at = hash & mask;
    while (slots[at] !== 0) at = (at + 1) & mask;
    slots[at] = position + 1;
    this.#slotHashes[at] = hash;
  }

  /** Doubles the slots, re-placing every key from its stored hash. */
  #grow(): void {
    const slots = this.#slots;
    const slotHashes = this.#slotHashes;
    this.#slots = new Int32Array(slots.length * 2);
    this.#slotHashes = new Int32Array(slots.length * 2);
    this.#maxProbes = maxProbes(slots.length * 2);
    for (let at = 0; at < slots.length; at++) {
      const stored = slots[at] as number;
      if (stored !== 0) this.#place(slotHashes[at] as number, stored - 1);
    }
  }

  #degrade(keys: readonly (string | undefined)[]): Map<string, number> {
    const fallback = new Map<string, number>();
    for (const stored of this.#slots) if (stored !== 0) fallback.set(keys[stored - 1] as string, stored - 1);
    this.#fallback = fallback;
    return fallback;
  }
}

/**
 * Incremental encoder of one KPL aggregate: records are added one by one, the exact encoded size
 * is known at every step, and `build()` writes the bytes in a single pass.
 *
 * Invariants:
 * - `sizeBytes` is always `build().length` (0 while empty), so the producer can cap aggregates at
 *   the stream's record limit without encoding twice.
 * - Key tables are deduplicated in first-seen order, which is what the Java KPL emits: re-encoding
 *   the user records of a KPL aggregate gives back the same bytes.
 * - `add()` encodes the record's message (its data copied) into a staging buffer and allocates
 *   nothing but the table slot of a key seen for the first time, a larger staging buffer, or a
 *   larger key index (or its fallback Map, see key-index.ts);
 *   `build()` writes the magic and key tables, copies the staged messages whole behind them, and
 *   hashes once.
 * - The caller has validated its inputs (strings, Uint8Array, sizes below 2^32); this class is on
 *   the producer's hot path and does not check them again.
 */
import {
  AGGREGATION_OVERHEAD_BYTES,
  FieldKey,
  KPL_MAGIC,
  MAGIC_BYTES,
  lengthDelimitedBytes,
  md5,
  varintBytes,
  writeUtf8,
  writeVarint,
} from './kpl-format.js';
import { KeyIndex } from './key-index.js';
import { holdsTooMuch } from './retained-memory.js';
import { StagedBytes } from './staged-bytes.js';

/**
 * A caller-owned memo of where one key sits in the current aggregate's key table, so a caller that
 * already holds an object per distinct key (the producer's hash-key cache does) can deduplicate
 * without a Map per aggregate. `table` is the id of the table the memo was written for; a stale
 * memo (another table, or a wrapped-around id) is caught by comparing the key at `index`, so it
 * can only cost a duplicate table entry, never a wrong one.
 */
export interface KeySlot {
  table: number;
  index: number;
  /** UTF-8 bytes of the key (computed once by the slot's owner). */
  readonly keyBytes: number;
}

/** Ids of key tables, for KeySlot memos; wraps inside the small-integer range. */
let nextTableId = 1;

/** One deduplicated key table (partition keys or explicit hash keys). */
class KeyTable {
  readonly id = nextTableId;
  /** Positions of keys added without a slot (the producer's partition keys come with slots). */
  private readonly index: KeyIndex;
  /** Holey at first: sized by the previous aggregate's count (`capacityHint`), so it seldom grows. */
  private readonly keys: string[];
  private count = 0;
  /** UTF-8 lengths of `keys`: small integers, so the array is kept across tables (see AggregateBuilder). */
  private readonly keyBytes: number[];
  /** Set by `lookup`: protobuf bytes adding the looked-up key costs (0 when already present). */
  pendingBytes = 0;
  // Memo of the last lookup: records in a row under one key (and a caller measuring a record
  // twice, `sizeWithBytes` then `add`) skip the second lookup and UTF-8 scan. It stays valid
  // because a key only enters the table through `commit` right after its own `lookup`.
  private lastKey: string | undefined = undefined;
  private lastIndex = 0;
  private lastKeyBytes = 0;

  /** `keyBytes` and `index` must be empty (see `next`, which hands them on). */
  constructor(keyBytes: number[], index: KeyIndex, capacityHint: number) {
    nextTableId = nextTableId >= 0x3fff_ffff ? 1 : nextTableId + 1;
    this.keyBytes = keyBytes;
    this.index = index;
    this.keys = new Array<string>(capacityHint);
  }

  get size(): number {
    return this.count;
  }

  /**
   * An empty table for the next aggregate, sized like this one (the next is usually alike, and
   * growing an array by pushes copies it several times over). It takes over this table's
   * key-length array and index, which hold no pointers, emptied; the keys array is new (see
   * AggregateBuilder on why containers of keys are replaced).
   */
  next(): KeyTable {
    const keyBytes = this.keyBytes;
    // A shard's builder lives as long as the shard, so it can outlive its largest aggregate by far:
    // 100,000 keys once would keep 800 KB.
    if (holdsTooMuch(keyBytes.length, this.count, 1024)) keyBytes.length = this.count;
    this.index.clear();
    return new KeyTable(keyBytes, this.index, this.count);
  }

  /** Index `key` has, or would get if added now; sets `pendingBytes`. */
  lookup(key: string, slot: KeySlot | undefined): number {
    if (key !== this.lastKey) {
      let index = -1;
      let keyBytes: number;
      if (slot !== undefined) {
        if (slot.table === this.id && slot.index < this.count && this.keys[slot.index] === key) index = slot.index;
        keyBytes = slot.keyBytes;
      } else {
        index = this.index.find(key, this.keys);
        keyBytes = this.index.keyBytes;
      }
      this.lastKey = key;
      this.lastIndex = index < 0 ? this.count : index;
      this.lastKeyBytes = index < 0 ? keyBytes : 0;
    }
    this.pendingBytes = this.lastIndex < this.count ? 0 : lengthDelimitedBytes(this.lastKeyBytes);
    return this.lastIndex;
  }

  /** Stores `key` at `index` if it is new; must directly follow `lookup(key, slot)`. */
  commit(key: string, index: number, slot: KeySlot | undefined): void {
    if (index < this.count) return;
    if (slot !== undefined) {
      slot.table = this.id;
      slot.index = index;
    } else {
      this.index.insert(key, index, this.keys);
    }
    this.keys[index] = key;
    this.keyBytes[index] = this.lastKeyBytes;
    this.count++;
  }

  /** Writes every entry as a length-delimited field with key `fieldKey`; returns the new offset. */
  write(out: Buffer, offset: number, fieldKey: number): number {
    let at = offset;
    for (let i = 0; i < this.count; i++) {
      const bytes = this.keyBytes[i] as number;
      out[at++] = fieldKey;
      at = writeVarint(out, at, bytes);
      at = writeUtf8(out, at, this.keys[i] as string, bytes);
    }
    return at;
  }
}

/** Bytes of a Record message body (without its own key and length prefix). */
function recordBodyBytes(partitionKeyIndex: number, explicitHashKeyIndex: number, dataBytes: number): number {
  const ehkBytes = explicitHashKeyIndex < 0 ? 0 : 1 + varintBytes(explicitHashKeyIndex);
  return 1 + varintBytes(partitionKeyIndex) + ehkBytes + lengthDelimitedBytes(dataBytes);
}

/** Incremental builder used by the producer's per-shard accumulator. */
export class AggregateBuilder {
  // Key tables are replaced, not cleared, on reset(): a builder lives as long as its shard, so it
  // is soon in V8's old generation, and every pointer to a young key stored into an old Map or
  // array pays the write barrier's remembered-set path. Fresh containers are young.
  // Their key-length arrays and indexes hold no pointers, so those are kept (see KeyTable.next).
  private partitionKeys = new KeyTable([], new KeyIndex(), 0);
  private explicitHashKeys = new KeyTable([], new KeyIndex(), 0);
  // The Record messages, encoded at `add()` (see staged-bytes.ts); `build()` copies them whole,
  // behind the key tables.
  private readonly staged = new StagedBytes();
  private recordCount = 0;
  private protobufBytes = 0;
  private pendingPkIndex = 0;
  private pendingEhkIndex = -1;
  private pendingBodyBytes = 0;
  /** Protobuf bytes the last measured record adds. */
  private pendingAddedBytes = 0;

  /** Number of user records added since construction or the last `reset()`. */
  get count(): number {
    return this.recordCount;
  }

  /** Exact length of `build()` now, magic and MD5 included; 0 while no record was added. */
  get sizeBytes(): number {
    return this.recordCount === 0 ? 0 : AGGREGATION_OVERHEAD_BYTES + this.protobufBytes;
  }

  /**
   * Exact length `build()` would return if this record were added now. Costs one pass over each
   * key's characters and a probe of its `KeyIndex` (none for a partition key given with its
   * `KeySlot`).
   * Example: the first record with a 10-byte key and 100-byte data costs 20 (overhead)
   * + 12 (key table entry: key, length, 10 bytes) + 106 (record: key, length, 104-byte body)
   * = 138 bytes; a second record under the same key adds only 106.
   */
  sizeWithBytes(partitionKey: string, explicitHashKey: string | undefined, dataBytes: number, partitionKeySlot?: KeySlot): number {
    return AGGREGATION_OVERHEAD_BYTES + this.protobufBytes + this.measure(partitionKey, explicitHashKey, dataBytes, partitionKeySlot);
  }

  /**
   * Appends a user record; its data is copied now. A partition key passed with a slot must always
   * come with a slot, and always the same one.
   */
  add(partitionKey: string, explicitHashKey: string | undefined, data: Uint8Array, partitionKeySlot?: KeySlot): void {
    this.measure(partitionKey, explicitHashKey, data.length, partitionKeySlot);
    this.addMeasured(partitionKey, explicitHashKey, data, partitionKeySlot);
  }

  /**
   * `add` for the record `sizeWithBytes` was last asked about, with nothing added or reset since:
   * the producer measures every record before adding it, so its indexes and sizes are known.
   */
  addMeasured(partitionKey: string, explicitHashKey: string | undefined, data: Uint8Array, partitionKeySlot?: KeySlot): void {
    this.protobufBytes += this.pendingAddedBytes;
    this.partitionKeys.commit(partitionKey, this.pendingPkIndex, partitionKeySlot);
    const ehkIndex = this.pendingEhkIndex;
    if (explicitHashKey !== undefined) this.explicitHashKeys.commit(explicitHashKey, ehkIndex, undefined);
    this.recordCount++;
    const bodyBytes = this.pendingBodyBytes;
    const staged = this.staged;
    const out = staged.reserve(lengthDelimitedBytes(bodyBytes));
    let at = staged.length;
    out[at++] = FieldKey.Records;
    at = writeVarint(out, at, bodyBytes);
    out[at++] = FieldKey.PartitionKeyIndex;
    at = writeVarint(out, at, this.pendingPkIndex);
    if (ehkIndex >= 0) {
      out[at++] = FieldKey.ExplicitHashKeyIndex;
      at = writeVarint(out, at, ehkIndex);
    }
    out[at++] = FieldKey.Data;
    at = writeVarint(out, at, data.length);
    out.set(data, at);
    staged.length = at + data.length;
  }

  /** Protobuf bytes the record would add; leaves them, its indexes and body size in the `pending*` fields. */
  private measure(partitionKey: string, explicitHashKey: string | undefined, dataBytes: number, partitionKeySlot: KeySlot | undefined): number {
    this.pendingPkIndex = this.partitionKeys.lookup(partitionKey, partitionKeySlot);
    let added = this.partitionKeys.pendingBytes;
    this.pendingEhkIndex = -1;
    if (explicitHashKey !== undefined) {
      this.pendingEhkIndex = this.explicitHashKeys.lookup(explicitHashKey, undefined);
      added += this.explicitHashKeys.pendingBytes;
    }
    this.pendingBodyBytes = recordBodyBytes(this.pendingPkIndex, this.pendingEhkIndex, dataBytes);
    this.pendingAddedBytes = added + lengthDelimitedBytes(this.pendingBodyBytes);
    return this.pendingAddedBytes;
  }

  /**
   * The KPL aggregate of everything added, in insertion order (user record i gets
   * subSequenceNumber i). Does not reset the builder. Written into `into` when given (exactly
   * `sizeBytes` long, e.g. memory the caller reuses), else into a new buffer.
   */
  build(into?: Buffer): Buffer {
    if (this.recordCount === 0) {
      throw new RangeError('Expected at least 1 record in the aggregate, got 0');
    }
    const end = MAGIC_BYTES + this.protobufBytes;
    const size = end + AGGREGATION_OVERHEAD_BYTES - MAGIC_BYTES;
    if (into !== undefined && into.length !== size) {
      throw new RangeError(`Expected a ${size}-byte buffer to build the aggregate into, got ${into.length} bytes`);
    }
    const out = into ?? Buffer.allocUnsafe(size);
    out.set(KPL_MAGIC, 0);
    // Field order 1, 2, 3 as the KPL writes it.
    let at = this.partitionKeys.write(out, MAGIC_BYTES, FieldKey.PartitionKeyTable);
    at = this.explicitHashKeys.write(out, at, FieldKey.ExplicitHashKeyTable);
    at = this.staged.copyTo(out, at);
    if (at !== end) {
      // Unreachable unless the size bookkeeping above is wrong: never emit a corrupt aggregate.
      throw new Error(`Aggregate size mismatch: predicted ${end} bytes, wrote ${at}`);
    }
    out.set(md5(out.subarray(MAGIC_BYTES, end)), end);
    return out;
  }

  /** Empties the builder for the next aggregate (see the note on its fields for what is kept). */
  reset(): void {
    this.partitionKeys = this.partitionKeys.next();
    this.explicitHashKeys = this.explicitHashKeys.next();
    this.staged.clear();
    this.recordCount = 0;
    this.protobufBytes = 0;
  }
}

/**
 * Strict decoder of one KPL aggregate: magic, MD5, protobuf wire format, required fields and table
 * indexes are all checked, and anything wrong yields `undefined` (never an exception), so the
 * caller can hand the blob back as one raw record, as the KCL does.
 *
 * Invariants: no copy of record data (each `data` is a view into the input); unknown fields with a
 * valid wire type are skipped as proto2 requires; groups (wire types 3/4) and wire types 6/7 are
 * malformed; an aggregate without records is not an aggregate (the KPL never writes one).
 */
import {
  FieldKey,
  MAGIC_BYTES,
  MD5_DIGEST_BYTES,
  WireType,
  isAggregated,
  md5,
} from './kpl-format.js';

/** One user record read from an aggregate. */
export interface DecodedUserRecord {
  partitionKey: string;
  explicitHashKey: string | undefined;
  data: Buffer;
}

/** Thrown inside the decoder only, caught at its boundary. */
class Malformed extends Error {}

/** Reads protobuf primitives from `buf[pos, end)`. */
class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /**
   * A varint as a number. Up to 10 bytes as protobuf allows; values past 2^53 lose precision,
   * which is harmless: every value here is a length or an index and must be far smaller.
   */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Malformed('truncated varint');
      const byte = this.buf[this.pos++] as number;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new Malformed('varint longer than 10 bytes');
  }

  /** A length prefix and the range it covers, checked against the enclosing message. */
  delimited(): number {
    const length = this.varint();
    if (length > this.end - this.pos) throw new Malformed('length past end of message');
    return length;
  }

  skip(key: number): void {
    const wireType = key & 7;
    if (key >>> 3 === 0 || key > 0xffffffff) throw new Malformed('field number out of range');
    if (wireType === WireType.Varint) this.varint();
    else if (wireType === WireType.LengthDelimited) this.advance(this.delimited());
    else if (wireType === WireType.Fixed64) this.advance(8);
    else if (wireType === WireType.Fixed32) this.advance(4);
    else throw new Malformed(`wire type ${wireType}`);
  }

  /** Moves past `bytes` bytes of the current message. */
  advance(bytes: number): void {
    if (bytes > this.end - this.pos) throw new Malformed('field past end of message');
    this.pos += bytes;
  }
}

/** Tag { required string key = 1; optional string value = 2; }: checked, then dropped. */
function readTag(reader: Reader, end: number): void {
  const tag = new Reader(reader.buf, reader.pos, end);
  let hasKey = false;
  while (tag.pos < end) {
    const key = tag.varint();
    if (key === 0x0a || key === 0x12) {
      tag.advance(tag.delimited());
      hasKey ||= key === 0x0a;
    } else if (key >>> 3 === 1 || key >>> 3 === 2) {
      throw new Malformed('Tag field with wrong wire type');
    } else {
      tag.skip(key);
    }
  }
  if (!hasKey) throw new Malformed('Tag without key');
}

interface RawRecord {
  pkIndex: number;
  ehkIndex: number;
  dataStart: number;
  dataEnd: number;
}

/** Record { required uint64 partition_key_index = 1; optional uint64 ehk_index = 2; required bytes data = 3; repeated Tag tags = 4; } */
function readRecord(reader: Reader, end: number): RawRecord {
  const rec = new Reader(reader.buf, reader.pos, end);
  const out: RawRecord = { pkIndex: -1, ehkIndex: -1, dataStart: -1, dataEnd: -1 };
  while (rec.pos < end) {
    const key = rec.varint();
    if (key === FieldKey.PartitionKeyIndex) out.pkIndex = rec.varint();
    else if (key === FieldKey.ExplicitHashKeyIndex) out.ehkIndex = rec.varint();
    else if (key === FieldKey.Data) {
      const length = rec.delimited();
      out.dataStart = rec.pos;
      out.dataEnd = rec.pos += length;
    } else if (key === 0x22) {
      const length = rec.delimited();
      readTag(rec, rec.pos + length);
      rec.pos += length;
    } else if (key >>> 3 >= 1 && key >>> 3 <= 4) {
      throw new Malformed('Record field with wrong wire type');
    } else rec.skip(key);
  }
  if (out.pkIndex < 0 || out.dataStart < 0) throw new Malformed('Record without a required field');
  return out;
}

function resolve(table: readonly string[], index: number): string {
  const value = table[index];
  if (value === undefined) throw new Malformed(`key index ${index} out of a table of ${table.length}`);
  return value;
}

/**
 * The user records of `bytes` if it is a valid KPL aggregate with at least one record, otherwise
 * `undefined`.
 */
export function decodeAggregate(bytes: Uint8Array): DecodedUserRecord[] | undefined {
  if (!isAggregated(bytes)) return undefined;
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.length - MD5_DIGEST_BYTES;
  if (!md5(buf.subarray(MAGIC_BYTES, end)).equals(buf.subarray(end))) return undefined;
  const pkTable: string[] = [];
  const ehkTable: string[] = [];
  const raws: RawRecord[] = [];
  try {
    const reader = new Reader(buf, MAGIC_BYTES, end);
    while (reader.pos < end) {
      const key = reader.varint();
      if (key === FieldKey.PartitionKeyTable || key === FieldKey.ExplicitHashKeyTable) {
        const length = reader.delimited();
        const table = key === FieldKey.PartitionKeyTable ? pkTable : ehkTable;
        table.push(buf.toString('utf8', reader.pos, (reader.pos += length)));
      } else if (key === FieldKey.Records) {
        const length = reader.delimited();
        raws.push(readRecord(reader, reader.pos + length));
        reader.pos += length;
      } else if (key >>> 3 >= 1 && key >>> 3 <= 3) {
        throw new Malformed('AggregatedRecord field with wrong wire type');
      } else reader.skip(key);
    }
    if (raws.length === 0) return undefined;
    return raws.map((raw) => ({
      partitionKey: resolve(pkTable, raw.pkIndex),
      explicitHashKey: raw.ehkIndex < 0 ? undefined : resolve(ehkTable, raw.ehkIndex),
      data: buf.subarray(raw.dataStart, raw.dataEnd),
    }));
  } catch (error) {
    if (error instanceof Malformed) return undefined;
    throw error;
  }
}

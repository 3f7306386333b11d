/**
 * The record envelope: how a generated record carries `{ runId, seq, intendedAtUs }` through the
 * producer, the stream and the consumer, so both ends can be matched without shared memory.
 *
 * Invariants:
 * - An encoded record is a JSON object whose FIRST key is `"_loadgen"`, written in the fixed key
 *   order `runId, seq, intendedAtUs`. The consumer relies on that order for a fast path that reads
 *   only the first ~100 bytes instead of JSON-parsing a body that may be 1 MiB.
 * - `intendedAtUs` is wall-clock µs since the Unix epoch (see clock.ts), so producer and consumer
 *   may be different processes or machines.
 * - With `padToBytes`, the encoded record is exactly `padToBytes` bytes whenever that is larger than
 *   its natural size: a `"pad"` string field fills the gap, and gaps too small for the field (1–8
 *   bytes) are filled with JSON whitespace.
 */
import { JsonBytesWriter } from './json-bytes.js';

/** What every generated record carries. */
export interface Envelope {
  /** The run that produced the record; records of other runs are not counted. */
  runId: string;
  /** 0-based position in the run's schedule; unique per run. */
  seq: number;
  /** When the schedule intended the record to be sent, wall-clock µs since the Unix epoch. */
  intendedAtUs: number;
}

/** The first key of every encoded record. */
export const ENVELOPE_KEY = '_loadgen';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const PREFIX = `{"${ENVELOPE_KEY}":{"runId":`;
const PREFIX_BYTES = encoder.encode(PREFIX);
/** The member padding is written as (the last one of a padded record). */
const PAD_KEY = 'pad';
const PAD_FIELD_BYTES = encoder.encode(`,"${PAD_KEY}":"`);
// `,"pad":""` is 9 bytes (the field's start and its closing quote): below that, a field cannot
// fill the gap and whitespace does.
const PAD_FIELD_OVERHEAD_BYTES = PAD_FIELD_BYTES.length + 1;
const SEQ_BYTES = encoder.encode(',"seq":');
const INTENDED_BYTES = encoder.encode(',"intendedAtUs":');
// 16 decimal digits stay exact in a double (2^53 ≈ 9.007e15); µs since 1970 have 16 until 2286.
const MAX_FAST_DIGITS = 16;

// The decoder's cache of the last runId read (bytes, string). An encoder keeps its own (`head`): when
// they were shared, encoding run B after decoding a record of run A left A's bytes cached under
// B's name, and the next record of run A was read as one of run B.
let lastRunId = '';
let lastRunIdBytes = new Uint8Array(0);

// One writer (one slab) for every encoder of the thread: a record is begun and ended before the
// next one is begun, whichever encoder writes it.
const writer = new JsonBytesWriter();

/**
 * Encodes the records of one run: the envelope's head up to the seq digits,
 * `{"_loadgen":{"runId":"…","seq":`, is encoded once, and every record is written straight into a
 * shared byte slab and returned as a view into it (honour `byteOffset`; see json-bytes.ts): no
 * `JSON.stringify` string of the body, no concatenated record string and no second copy by
 * `Buffer.from`, which were most of the young-generation garbage per record.
 *
 * A record's body is written in one of two ways, with the same bytes for the same body:
 * - `encode(seq, intendedAtUs, body)`: from a body object. A body that is not plain data (a
 *   `toJSON` method, a class instance) takes `JSON.stringify`, whose output the byte writer
 *   reproduces exactly for plain data; `_loadgen` and (when padding) `pad` keys in it are replaced.
 * - `begin(seq, intendedAtUs)`, then the caller appends the body's members (`,"key":value` each,
 *   as `JsonBytesWriter.members` writes them) to the writer it returns, then `end()`: a built-in
 *   generator's byte path, with no body object at all.
 */
export class RecordEncoder {
  private readonly head: Uint8Array;

  /**
   * @param runId the run's id, carried by every record
   * @param padToBytes the size records are padded to when smaller (see the file's invariants)
   */
  constructor(
    readonly runId: string,
    readonly padToBytes?: number,
  ) {
    if (typeof runId !== 'string' || runId === '') {
      throw new TypeError(`Expected \`runId\` to be a non-empty string, got ${JSON.stringify(runId)}`);
    }
    if (padToBytes !== undefined && (!Number.isInteger(padToBytes) || padToBytes < 0)) {
      throw new RangeError(`Expected \`padToBytes\` to be an integer ≥ 0, got ${padToBytes}`);
    }
    this.head = encoder.encode(`${PREFIX}${JSON.stringify(runId)},"seq":`);
  }

  /** The record of `body` behind the envelope. */
  encode(seq: number, intendedAtUs: number, body: Record<string, unknown>): Uint8Array {
    const out = this.begin(seq, intendedAtUs);
    // A body that is not plain data goes through JSON.stringify; either way `end` pads after it.
    if (!out.members(body, ENVELOPE_KEY, this.padToBytes === undefined ? undefined : PAD_KEY)) out.utf8(stringifiedMembers(body, this.padToBytes));
    return this.end();
  }

  /** Writes record `seq`'s envelope and returns the writer its body's members go to. */
  begin(seq: number, intendedAtUs: number): JsonBytesWriter {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError(`Expected \`seq\` to be an integer ≥ 0, got ${seq}`);
    }
    if (!Number.isSafeInteger(intendedAtUs)) {
      throw new RangeError(`Expected \`intendedAtUs\` to be an integer, got ${intendedAtUs}`);
    }
    writer.begin();
    writer.bytes(this.head);
    writer.integer(seq);
    writer.bytes(INTENDED_BYTES);
    writer.integer(intendedAtUs);
    writer.byte(0x7d);
    return writer;
  }

  /** Pads and closes the record `begin` started, and returns it. */
  end(): Uint8Array {
    // The natural size is what is written plus the closing brace.
    const gap = this.padToBytes === undefined ? 0 : this.padToBytes - (writer.length + 1);
    if (gap >= PAD_FIELD_OVERHEAD_BYTES) {
      writer.bytes(PAD_FIELD_BYTES);
      writer.fill(0x78, gap - PAD_FIELD_OVERHEAD_BYTES);
      writer.byte(0x22);
    } else if (gap > 0) {
      writer.fill(0x20, gap);
    }
    writer.byte(0x7d);
    return writer.end();
  }
}

// `encodeRecord`'s encoder, kept while the run id and padding repeat (every record of a run).
let lastEncoder: RecordEncoder | undefined;

/** Encodes `body` behind the envelope: `RecordEncoder.encode` for a single record. */
export function encodeRecord(envelope: Envelope, body: Record<string, unknown>, padToBytes?: number): Uint8Array {
  const { runId, seq, intendedAtUs } = envelope;
  if (lastEncoder?.runId !== runId || lastEncoder.padToBytes !== padToBytes) lastEncoder = new RecordEncoder(runId, padToBytes);
  return lastEncoder.encode(seq, intendedAtUs, body);
}

/** The body's members as `,"key":value…` by `JSON.stringify`: for bodies the byte writer leaves to it. */
function stringifiedMembers(body: Record<string, unknown>, padToBytes: number | undefined): string {
  let rest = body;
  if (Object.hasOwn(body, ENVELOPE_KEY) || (padToBytes !== undefined && Object.hasOwn(body, PAD_KEY))) {
    rest = { ...body };
    delete rest[ENVELOPE_KEY];
    if (padToBytes !== undefined) delete rest[PAD_KEY];
  }
  const bodyJson = JSON.stringify(rest);
  return bodyJson === '{}' ? '' : `,${bodyJson.slice(1, -1)}`;
}

/**
 * Reads the envelope of a record, or `undefined` when the record carries none (another writer's
 * record, a plain-text record, a truncated one). Never throws.
 */
export function decodeEnvelope(data: Uint8Array): Envelope | undefined {
  return fastDecode(data) ?? slowDecode(data);
}

/**
 * Reads `{"_loadgen":{"runId":"…","seq":N,"intendedAtUs":N}` byte by byte: no string of the record
 * is built, only the runId (and that one is reused while it repeats). Any surprise — an escaped
 * or non-ASCII runId, a missing key, more than 16 digits — leaves it to the JSON path.
 */
function fastDecode(data: Uint8Array): Envelope | undefined {
  let i = PREFIX_BYTES.length;
  if (data.length < i + 2) return undefined;
  for (let k = 0; k < i; k++) if (data[k] !== PREFIX_BYTES[k]) return undefined;
  if (data[i++] !== 0x22) return undefined;
  const runIdStart = i;
  for (; i < data.length; i++) {
    const b = data[i] as number;
    if (b === 0x22) break;
    if (b === 0x5c || b >= 0x80 || b < 0x20) return undefined;
  }
  if (i >= data.length) return undefined;
  const runId = runIdOf(data, runIdStart, i);
  i = expectBytes(data, i + 1, SEQ_BYTES);
  const seq = readInteger(data, i);
  if (seq === undefined) return undefined;
  i = expectBytes(data, cursor, INTENDED_BYTES);
  const intendedAtUs = readInteger(data, i);
  if (intendedAtUs === undefined || data[cursor] !== 0x7d) return undefined;
  return { runId, seq, intendedAtUs };
}

function runIdOf(data: Uint8Array, start: number, end: number): string {
  const length = end - start;
  let same = length === lastRunIdBytes.length;
  for (let k = 0; same && k < length; k++) same = data[start + k] === lastRunIdBytes[k];
  if (same) return lastRunId;
  lastRunIdBytes = data.slice(start, end);
  lastRunId = String.fromCharCode(...lastRunIdBytes);
  return lastRunId;
}

/** Index after `expected` at `at`, or -1 (which makes the next read fail). */
function expectBytes(data: Uint8Array, at: number, expected: Uint8Array): number {
  if (at < 0) return -1;
  for (let k = 0; k < expected.length; k++) if (data[at + k] !== expected[k]) return -1;
  return at + expected.length;
}

/** Position after the last integer read (module state keeps the fast path allocation-free). */
let cursor = 0;

function readInteger(data: Uint8Array, at: number): number | undefined {
  if (at < 0) return undefined;
  let i = at;
  const negative = data[i] === 0x2d;
  if (negative) i++;
  let value = 0;
  const first = i;
  for (; i < data.length; i++) {
    const d = (data[i] as number) - 0x30;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  const digits = i - first;
  if (digits === 0 || digits > MAX_FAST_DIGITS || (digits > 1 && data[first] === 0x30)) return undefined;
  cursor = i;
  return negative ? -value : value;
}

/** The body of an encoded record: what was encoded, without the envelope and the padding. */
export function decodeBody(data: Uint8Array): Record<string, unknown> {
  const { [ENVELOPE_KEY]: _envelope, [PAD_KEY]: _pad, ...body } = JSON.parse(decoder.decode(data)) as Record<string, unknown>;
  return body;
}

function slowDecode(data: Uint8Array): Envelope | undefined {
  // A pipeline that rewrites records (pretty-printing, reordering keys) loses the fast path.
  if (data.length === 0 || (data[0] !== 0x7b && data[0] !== 0x20 && data[0] !== 0x0a)) return undefined;
  try {
    const parsed: unknown = JSON.parse(decoder.decode(data));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    return toEnvelope((parsed as Record<string, unknown>)[ENVELOPE_KEY]);
  } catch {
    return undefined;
  }
}

function toEnvelope(value: unknown): Envelope | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { runId, seq, intendedAtUs } = value as Record<string, unknown>;
  if (typeof runId !== 'string' || !Number.isSafeInteger(seq) || !Number.isSafeInteger(intendedAtUs)) {
    return undefined;
  }
  return { runId, seq: seq as number, intendedAtUs: intendedAtUs as number };
}

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
// `,"pad":""` is 9 bytes: below that, a field cannot fill the gap and whitespace does.
const PAD_FIELD_OVERHEAD_BYTES = 9;
const PAD_FIELD_BYTES = encoder.encode(',"pad":"');
const SEQ_BYTES = encoder.encode(',"seq":');
const INTENDED_BYTES = encoder.encode(',"intendedAtUs":');
// 16 decimal digits stay exact in a double (2^53 ≈ 9.007e15); µs since 1970 have 16 until 2286.
const MAX_FAST_DIGITS = 16;

// The decoder's cache of the last runId read (bytes, string). The encoder keeps its own below: when
// they were shared, encoding run B after decoding a record of run A left A's bytes cached under
// B's name, and the next record of run A was read as one of run B.
let lastRunId = '';
let lastRunIdBytes = new Uint8Array(0);

// Every record of a run repeats the same runId: keep the envelope's head up to the seq digits,
// `{"_loadgen":{"runId":"…","seq":`, as bytes instead of rebuilding it.
let encodedRunId = '';
let encodedHead = new Uint8Array(0);
const writer = new JsonBytesWriter();

/**
 * Encodes `body` behind the envelope; `_loadgen` and `pad` keys in `body` are replaced. The bytes
 * are written straight into a shared slab and returned as a view into it (honour `byteOffset`;
 * see json-bytes.ts): no `JSON.stringify` string of the body, no concatenated record string and
 * no second copy by `Buffer.from`, which were most of the young-generation garbage per record. A
 * body that is not plain data (a `toJSON` method, a class instance) takes the `JSON.stringify`
 * path below, whose output the byte writer reproduces exactly for plain data.
 */
export function encodeRecord(
  envelope: Envelope,
  body: Record<string, unknown>,
  padToBytes?: number,
): Uint8Array {
  assertEnvelope(envelope);
  if (padToBytes !== undefined && (!Number.isInteger(padToBytes) || padToBytes < 0)) {
    throw new RangeError(`Expected \`padToBytes\` to be an integer ≥ 0, got ${padToBytes}`);
  }
  if (envelope.runId !== encodedRunId) {
    encodedRunId = envelope.runId;
    encodedHead = encoder.encode(`${PREFIX}${JSON.stringify(envelope.runId)},"seq":`);
  }
  writer.begin();
  writer.bytes(encodedHead);
  writer.integer(envelope.seq);
  writer.bytes(INTENDED_BYTES);
  writer.integer(envelope.intendedAtUs);
  writer.byte(0x7d);
  // A body that is not plain data goes through JSON.stringify; either way the padding below follows.
  if (!writer.members(body, ENVELOPE_KEY, padToBytes === undefined ? undefined : 'pad')) writer.utf8(stringifiedMembers(body, padToBytes));
  // The natural size is what is written plus the closing brace.
  const gap = padToBytes === undefined ? 0 : padToBytes - (writer.length + 1);
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

/** The body's members as `,"key":value…` by `JSON.stringify`: for bodies the byte writer leaves to it. */
function stringifiedMembers(body: Record<string, unknown>, padToBytes: number | undefined): string {
  let rest = body;
  if (Object.hasOwn(body, ENVELOPE_KEY) || (padToBytes !== undefined && Object.hasOwn(body, 'pad'))) {
    rest = { ...body };
    delete rest[ENVELOPE_KEY];
    if (padToBytes !== undefined) delete rest.pad;
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

function assertEnvelope({ runId, seq, intendedAtUs }: Envelope): void {
  if (typeof runId !== 'string' || runId === '') {
    throw new TypeError(`Expected \`runId\` to be a non-empty string, got ${JSON.stringify(runId)}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 0) {
    throw new RangeError(`Expected \`seq\` to be an integer ≥ 0, got ${seq}`);
  }
  if (!Number.isSafeInteger(intendedAtUs)) {
    throw new RangeError(`Expected \`intendedAtUs\` to be an integer, got ${intendedAtUs}`);
  }
}

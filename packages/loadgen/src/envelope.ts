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
// A runId of 64 characters plus two 16-digit integers fits well inside this window.
const FAST_PATH_WINDOW_BYTES = 256;

/** Encodes `body` behind the envelope; `_loadgen` and `pad` keys in `body` are replaced. */
export function encodeRecord(
  envelope: Envelope,
  body: Record<string, unknown>,
  padToBytes?: number,
): Uint8Array {
  assertEnvelope(envelope);
  const head =
    `${PREFIX}${JSON.stringify(envelope.runId)},"seq":${envelope.seq},` +
    `"intendedAtUs":${envelope.intendedAtUs}}`;
  const rest: Record<string, unknown> = { ...body };
  delete rest[ENVELOPE_KEY];
  if (padToBytes !== undefined) delete rest.pad;
  const bodyJson = JSON.stringify(rest);
  const inner = bodyJson === '{}' ? '' : `,${bodyJson.slice(1, -1)}`;
  const natural = `${head}${inner}}`;
  if (padToBytes === undefined) return encoder.encode(natural);
  if (!Number.isInteger(padToBytes) || padToBytes < 0) {
    throw new RangeError(`Expected \`padToBytes\` to be an integer ≥ 0, got ${padToBytes}`);
  }
  const gap = padToBytes - Buffer.byteLength(natural, 'utf8');
  if (gap <= 0) return encoder.encode(natural);
  if (gap < PAD_FIELD_OVERHEAD_BYTES) return encoder.encode(`${head}${inner}${' '.repeat(gap)}}`);
  const pad = 'x'.repeat(gap - PAD_FIELD_OVERHEAD_BYTES);
  return encoder.encode(`${head}${inner},"pad":"${pad}"}`);
}

/**
 * Reads the envelope of a record, or `undefined` when the record carries none (another writer's
 * record, a plain-text record, a truncated one). Never throws.
 */
export function decodeEnvelope(data: Uint8Array): Envelope | undefined {
  return fastDecode(data) ?? slowDecode(data);
}

function fastDecode(data: Uint8Array): Envelope | undefined {
  if (data.length < PREFIX_BYTES.length) return undefined;
  for (let i = 0; i < PREFIX_BYTES.length; i++) if (data[i] !== PREFIX_BYTES[i]) return undefined;
  const window = decoder.decode(data.subarray(PREFIX_BYTES.length - 9, FAST_PATH_WINDOW_BYTES));
  // window starts at `{"runId":`; the envelope object ends at the first `}` after intendedAtUs.
  const at = window.indexOf('"intendedAtUs":');
  if (at < 0) return undefined;
  const end = window.indexOf('}', at);
  if (end < 0) return undefined;
  try {
    return toEnvelope(JSON.parse(window.slice(0, end + 1)));
  } catch {
    return undefined;
  }
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

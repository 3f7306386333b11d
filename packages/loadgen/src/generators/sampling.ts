/**
 * Small seeded sampling helpers and word lists shared by the built-in generators and templates.
 *
 * Invariant: every function draws only from the `random` it is given.
 */
import { hexDigitCode, type JsonBytesWriter } from '../json-bytes.js';
import { randomInt, type Random } from '../random.js';

export const FIRST_NAMES = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Tim'] as const;
export const LAST_NAMES = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Berners-Lee'] as const;
export const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'CA', 'AU', 'ES'] as const;
export const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'] as const;
export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;

/** A uniformly chosen element. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[randomInt(random, items.length)] as T;
}

/**
 * An element chosen by weight: weights [3, 1] pick the first 75% of the time. Weights need not sum
 * to 1.
 */
export function pickWeighted<T>(random: Random, entries: readonly (readonly [T, number])[]): T {
  // Indexed loops, no destructuring: `for (const [item, weight] of entries)` allocated array
  // iterators, ~80 bytes per clickstream record.
  let total = 0;
  for (let i = 0; i < entries.length; i++) total += (entries[i] as readonly [T, number])[1];
  let target = random() * total;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as readonly [T, number];
    target -= entry[1];
    if (target < 0) return entry[0];
  }
  return (entries[entries.length - 1] as readonly [T, number])[0];
}

/** An integer in [min, max], both inclusive. */
export function intBetween(random: Random, min: number, max: number): number {
  return min + randomInt(random, max - min + 1);
}

/** A normally distributed number (Box–Muller). */
export function gaussian(random: Random, mean: number, stdDev: number): number {
  const u = 1 - random();
  const v = random();
  return mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * An RFC 4122 version-4 UUID drawn from `random` (reproducible, unlike crypto.randomUUID), from
 * four 32-bit draws. Built with one `String.fromCharCode` call, so the result is one flat 36-byte
 * string: concatenating 2-character pieces instead leaves a tree of ~15 cons strings (~500 bytes)
 * behind every UUID, and a generator that keeps a session's UUID for its session promotes that
 * tree to the old generation — at 100,000 records/s that was ~6 MB/s of old-space growth.
 */
export function uuid(random: Random): string {
  return uuidFromWords(uuidWord(random), uuidWord(random), uuidWord(random), uuidWord(random));
}

/**
 * One of the four 32-bit draws of a UUID, as a signed int32 (`| 0`): the same 32 bits as an
 * unsigned draw, but always a small integer to V8, so passing it on allocates no heap number.
 */
export const uuidWord = (random: Random): number => (random() * 0x1_0000_0000) | 0;

/** A UUID's third group, time_hi_and_version: 12 bits of `b` and version 4. */
const versionGroup = (b: number): number => (b & 0x0fff) | 0x4000;
/** A UUID's fourth group, clock_seq: 14 bits of `c` and variant 10xx. */
const variantGroup = (c: number): number => ((c >>> 16) & 0x3fff) | 0x8000;

/**
 * The UUID `uuid` makes of its four words `a`, `b`, `c`, `d` (only their 32 bits count: signed or
 * unsigned give the same UUID): a generator that keeps a UUID for long (a clickstream session
 * id) can keep the four words in a typed array, which the garbage collector never walks, and
 * format them when it writes a record.
 */
export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const version = versionGroup(b);
  const variant = variantGroup(c);
  return String.fromCharCode(
    hexDigitCode(a >>> 28), hexDigitCode((a >>> 24) & 15), hexDigitCode((a >>> 20) & 15), hexDigitCode((a >>> 16) & 15),
    hexDigitCode((a >>> 12) & 15), hexDigitCode((a >>> 8) & 15), hexDigitCode((a >>> 4) & 15), hexDigitCode(a & 15), 45,
    hexDigitCode(b >>> 28), hexDigitCode((b >>> 24) & 15), hexDigitCode((b >>> 20) & 15), hexDigitCode((b >>> 16) & 15), 45,
    hexDigitCode(version >>> 12), hexDigitCode((version >>> 8) & 15), hexDigitCode((version >>> 4) & 15), hexDigitCode(version & 15), 45,
    hexDigitCode(variant >>> 12), hexDigitCode((variant >>> 8) & 15), hexDigitCode((variant >>> 4) & 15), hexDigitCode(variant & 15), 45,
    hexDigitCode((c >>> 12) & 15), hexDigitCode((c >>> 8) & 15), hexDigitCode((c >>> 4) & 15), hexDigitCode(c & 15),
    hexDigitCode(d >>> 28), hexDigitCode((d >>> 24) & 15), hexDigitCode((d >>> 20) & 15), hexDigitCode((d >>> 16) & 15),
    hexDigitCode((d >>> 12) & 15), hexDigitCode((d >>> 8) & 15), hexDigitCode((d >>> 4) & 15), hexDigitCode(d & 15),
  );
}

/**
 * Writes `uuidFromWords(a, b, c, d)` as a JSON string (quotes included) straight into `out`: the
 * same 38 bytes, without making the string.
 */
export function writeUuid(out: JsonBytesWriter, a: number, b: number, c: number, d: number): void {
  out.byte(0x22);
  out.hex(a, 8);
  out.byte(45);
  out.hex(b >>> 16, 4);
  out.byte(45);
  out.hex(versionGroup(b), 4);
  out.byte(45);
  out.hex(variantGroup(c), 4);
  out.byte(45);
  out.hex(c, 4);
  out.hex(d, 8);
  out.byte(0x22);
}

let lastIsoMs = -1;
let lastIso = '';

/** ISO-8601 timestamp of a µs epoch time (the last one is cached: at 100,000 records/s ~100 share a millisecond). */
export function isoFromUs(epochUs: number): string {
  const ms = Math.floor(epochUs / 1000);
  if (ms !== lastIsoMs) {
    lastIsoMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** `prefix-000042`: a readable, sortable entity id. */
export function entityId(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(6, '0')}`;
}

/**
 * `entityId(prefix, index)`, made once for each of the first `keptEntities` indexes and kept:
 * with zipf keys most records belong to the lowest indexes (zipf(0.99) over 100,000 keys: 72% of
 * records to the first 4,096), so most ids cost no string building and no garbage (~100 bytes
 * per id built: the digits, the padded digits and the id). The kept ids cost ~32 bytes each,
 * ≤ 160 KiB with their array at the default.
 */
export function createEntityIds(prefix: string, keptEntities = 4_096): (index: number) => string {
  const kept: (string | undefined)[] = new Array<string | undefined>(keptEntities).fill(undefined);
  return (index) => {
    if (index >= 0 && index < keptEntities) {
      const id = kept[index];
      if (id !== undefined) return id;
      return (kept[index] = entityId(prefix, index));
    }
    return entityId(prefix, index);
  };
}

/** Reads a numeric option with a default, rejecting nonsense loudly. */
export function numberOption(options: Record<string, unknown>, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`Expected records.options.${name} to be a number ≥ ${min} and ≤ ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

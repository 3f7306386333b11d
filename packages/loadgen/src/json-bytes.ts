/**
 * Writes JSON as UTF-8 bytes straight into a shared byte slab, for the record encoder's hot path:
 * no intermediate JSON string, no second copy into a Buffer, one small view object per record.
 *
 * Invariants:
 * - What it writes is byte for byte `Buffer.from(JSON.stringify(value))` for plain data: strings,
 *   finite and non-finite numbers, booleans, null, arrays and objects whose prototype is
 *   `Object.prototype` or null (own enumerable string keys in `for…in` order, `undefined` and
 *   function members skipped, `null` for them in arrays). Anything else — a `toJSON` method, a
 *   class instance, a bigint, a symbol, nesting deeper than `MAX_DEPTH` — makes `value()` return
 *   false so the caller falls back to `JSON.stringify` and gets its exact output and errors.
 * - A record's bytes are contiguous: when the slab runs out mid-record, the bytes written so far
 *   move to a fresh slab. A slab is never written twice, so a view handed out stays valid; it is
 *   garbage once every record viewing it is (at 360 B per record, a 64 KiB slab holds ~180).
 * - Strings of printable ASCII without `"` or `\` (ids, timestamps, enum values: nearly all of a
 *   generated record) are copied char by char; any other string goes through `JSON.stringify` and
 *   `Buffer.write`, which escape and encode exactly as `JSON.stringify` + UTF-8 do.
 */

const SLAB_BYTES = 64 * 1024;
/** Deeper values (or a cycle) go to `JSON.stringify`, which throws its own error on a cycle. */
const MAX_DEPTH = 32;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Char code of one lowercase hex digit (0–15 → '0'–'9', 'a'–'f'). */
export const hexDigitCode = (nibble: number): number => (nibble < 10 ? 0x30 + nibble : 0x57 + nibble);

export class JsonBytesWriter {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private start = 0;
  private at = 0;

  /**
   * Starts a record. A record begun and never ended (its writer threw midway) is dropped: the
   * new one starts where it did, so no stray bytes sit between two records.
   */
  begin(): void {
    this.at = this.start;
  }

  /** Drops what was written since `begin()`. */
  abort(): void {
    this.at = this.start;
  }

  /** Bytes written since `begin()`. */
  get length(): number {
    return this.at - this.start;
  }

  /** The record written since `begin()`, as a view into the slab. */
  end(): Uint8Array {
    const view = new Uint8Array(this.slab.buffer, this.slab.byteOffset + this.start, this.at - this.start);
    this.start = this.at;
    return view;
  }

  /** Makes room for `bytes` more bytes of the current record. */
  ensure(bytes: number): void {
    if (this.at + bytes <= this.slab.length) return;
    const written = this.at - this.start;
    const next = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, 2 * (written + bytes)));
    this.slab.copy(next, 0, this.start, this.at);
    this.slab = next;
    this.start = 0;
    this.at = written;
  }

  byte(value: number): void {
    this.ensure(1);
    this.slab[this.at++] = value;
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.slab.set(value, this.at);
    this.at += value.length;
  }

  /** `count` copies of one byte (padding). */
  fill(value: number, count: number): void {
    this.ensure(count);
    this.slab.fill(value, this.at, this.at + count);
    this.at += count;
  }

  /** A safe integer's decimal digits, as `String(value)` writes them. */
  integer(value: number): void {
    this.ensure(17);
    let n = value;
    if (n < 0) {
      this.slab[this.at++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      this.slab[this.at++] = 0x30 + n;
      return;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    const last = this.at + digits - 1;
    for (let i = last; i >= this.at; i--) {
      const q = Math.floor(n / 10);
      this.slab[i] = 0x30 + (n - q * 10);
      n = q;
    }
    this.at = last + 1;
  }

  /**
   * The low `digits` hex digits of an integer, lowercase and zero-padded: `hex(0xab, 4)` writes
   * `00ab`, `hex(-1, 8)` writes `ffffffff` (a negative int32 counts as its 32 bits).
   */
  hex(value: number, digits: number): void {
    this.ensure(digits);
    const slab = this.slab;
    let rest = value;
    for (let i = this.at + digits - 1; i >= this.at; i--) {
      slab[i] = hexDigitCode(rest & 15);
      rest >>>= 4;
    }
    this.at += digits;
  }

  /** A number as JSON writes it (`null` for NaN and ±Infinity, `0` for -0). */
  number(value: number): void {
    if (Number.isSafeInteger(value)) this.integer(value === 0 ? 0 : value);
    else if (Number.isFinite(value)) this.latin1(String(value));
    else this.latin1('null');
  }

  /** A JSON string literal. */
  string(value: string): void {
    const length = value.length;
    this.ensure(length + 2);
    const slab = this.slab;
    let at = this.at;
    slab[at++] = QUOTE;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code < 0x20 || code === QUOTE || code === 0x5c || code >= 0x7f) {
        this.escaped(value);
        return;
      }
      slab[at++] = code;
    }
    slab[at++] = QUOTE;
    this.at = at;
  }

  /**
   * Any JSON value; false (with nothing written since the call) when `value` is not plain data and
   * only `JSON.stringify` knows what to write.
   */
  value(value: unknown, depth = 0): boolean {
    switch (typeof value) {
      case 'string':
        this.string(value);
        return true;
      case 'number':
        this.number(value);
        return true;
      case 'boolean':
        this.latin1(value ? 'true' : 'false');
        return true;
      case 'object':
        break;
      default:
        return false;
    }
    if (value === null) {
      this.latin1('null');
      return true;
    }
    if (depth >= MAX_DEPTH) return false;
    const from = this.at - this.start;
    const ok = Array.isArray(value) ? this.array(value, depth + 1) : this.object(value as Record<string, unknown>, depth + 1);
    // `ensure` may have moved the record to a new slab: rewind relative to the record start.
    if (!ok) this.at = this.start + from;
    return ok;
  }

  /**
   * The members of a plain object as `,"key":value` each (no braces): the body after the envelope.
   * Skips the keys `skipA` and `skipB`. False, with nothing written, when a member is not plain data.
   */
  members(object: Record<string, unknown>, skipA?: string, skipB?: string): boolean {
    if (!isPlainObject(object)) return false;
    const from = this.at - this.start;
    if (this.writeMembers(object, skipA, skipB, 0, true)) return true;
    this.at = this.start + from;
    return false;
  }

  private writeMembers(object: Record<string, unknown>, skipA: string | undefined, skipB: string | undefined, depth: number, leadingComma: boolean): boolean {
    let comma = leadingComma;
    for (const key in object) {
      if (key === skipA || key === skipB || !Object.hasOwn(object, key)) continue;
      const member = object[key];
      if (member === undefined || typeof member === 'function') continue;
      if (comma) this.byte(COMMA);
      comma = true;
      this.string(key);
      this.byte(COLON);
      if (!this.value(member, depth)) return false;
    }
    return true;
  }

  private object(object: Record<string, unknown>, depth: number): boolean {
    if (!isPlainObject(object)) return false;
    this.byte(0x7b);
    if (!this.writeMembers(object, undefined, undefined, depth, false)) return false;
    this.byte(0x7d);
    return true;
  }

  private array(array: readonly unknown[], depth: number): boolean {
    if (Object.getPrototypeOf(array) !== Array.prototype || typeof (array as { toJSON?: unknown }).toJSON === 'function') return false;
    this.byte(0x5b);
    for (let i = 0; i < array.length; i++) {
      if (i > 0) this.byte(COMMA);
      const item = array[i];
      if (item === undefined || typeof item === 'function') this.latin1('null');
      else if (!this.value(item, depth)) return false;
    }
    this.byte(0x5d);
    return true;
  }

  /** A string known to be ASCII without escapes (a number's digits, a keyword). */
  private latin1(value: string): void {
    this.ensure(value.length);
    for (let i = 0; i < value.length; i++) this.slab[this.at++] = value.charCodeAt(i);
  }

  private escaped(value: string): void {
    this.utf8(JSON.stringify(value));
  }

  /** Any text, as UTF-8 (already JSON, as the caller knows). */
  utf8(text: string): void {
    this.ensure(3 * text.length);
    this.at += this.slab.write(text, this.at, 'utf8');
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

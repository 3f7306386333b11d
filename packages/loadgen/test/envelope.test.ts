import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeEnvelope, encodeRecord, RecordEncoder, type Envelope } from '../src/envelope.js';

const envelope: Envelope = { runId: 'run-1', seq: 42, intendedAtUs: 1_764_000_000_123_456 };
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('encodeRecord', () => {
  it('writes the envelope as the first key, then the body', () => {
    const out = text(encodeRecord(envelope, { userId: 'u1', n: 3 }));
    expect(out).toBe(
      '{"_loadgen":{"runId":"run-1","seq":42,"intendedAtUs":1764000000123456},"userId":"u1","n":3}',
    );
    expect(Object.keys(JSON.parse(out) as object)[0]).toBe('_loadgen');
  });

  it('encodes an empty body as the envelope alone', () => {
    expect(JSON.parse(text(encodeRecord(envelope, {})))).toEqual({ _loadgen: envelope });
  });

  it('replaces a body key that collides with the envelope', () => {
    const out = JSON.parse(text(encodeRecord(envelope, { _loadgen: 'spoof', a: 1 }))) as object;
    expect(out).toEqual({ _loadgen: envelope, a: 1 });
  });

  it.each([0, 10, 84, 85, 86, 93, 94, 95, 1000, 25_000])('pads to exactly %i bytes when larger', (size) => {
    const natural = encodeRecord(envelope, { userId: 'u1' }).length; // 85 bytes: 86–93 pad with whitespace, ≥ 94 with a field
    const out = encodeRecord(envelope, { userId: 'u1' }, size);
    expect(out.length).toBe(Math.max(size, natural));
    const parsed = JSON.parse(text(out)) as Record<string, unknown>;
    expect(parsed._loadgen).toEqual(envelope);
    expect(parsed.userId).toBe('u1');
  });

  it.each([
    ['a Date (toJSON)', { at: new Date(0), n: 1 }],
    ['special numbers and escapes', { a: -0, b: Number.NaN, c: 1e21, d: 'quote " and ü', e: undefined }],
    ['a nested body', { key: { id: 3 }, items: [{ sku: 'a', q: 1 }], empty: {} }],
  ])('encodes %s exactly as JSON.stringify would', (_name, body) => {
    expect(encodeRecord(envelope, body, 500).length).toBe(500);
    const natural = text(encodeRecord(envelope, body));
    expect(natural).toBe(`{"_loadgen":${JSON.stringify(envelope)},${JSON.stringify(body).slice(1)}`);
  });

  it('pads exactly with multi-byte characters in the body', () => {
    const out = encodeRecord(envelope, { city: 'Zürich 東京' }, 300);
    expect(out.length).toBe(300);
  });

  it.each([
    [{ ...envelope, runId: '' }, /runId/],
    [{ ...envelope, seq: -1 }, /Expected `seq` to be an integer ≥ 0, got -1/],
    [{ ...envelope, seq: 1.5 }, /seq/],
    [{ ...envelope, intendedAtUs: Number.NaN }, /intendedAtUs/],
  ])('rejects a bad envelope %o', (bad, message) => {
    expect(() => encodeRecord(bad, {})).toThrow(message);
  });

  it('rejects a negative pad size', () => {
    expect(() => encodeRecord(envelope, {}, -1)).toThrow('Expected `padToBytes` to be an integer ≥ 0, got -1');
  });
});

describe('RecordEncoder', () => {
  it.each([undefined, 0, 90, 94, 300])('writes a body appended between begin and end as encode writes the object (pad %s)', (pad) => {
    const encoder = new RecordEncoder('run-1', pad);
    const out = encoder.begin(42, 7);
    out.bytes(new TextEncoder().encode(',"userId":"u1"'));
    out.byte(0x2c);
    out.string('n');
    out.byte(0x3a);
    out.integer(3);
    expect(text(encoder.end())).toBe(text(encoder.encode(42, 7, { userId: 'u1', n: 3 })));
  });

  it.each([
    ['', undefined, 'Expected `runId` to be a non-empty string, got ""'],
    ['r', 1.5, 'Expected `padToBytes` to be an integer ≥ 0, got 1.5'],
  ])('rejects run id %j and pad size %s when made', (runId, pad, message) => {
    expect(() => new RecordEncoder(runId, pad)).toThrow(message);
  });
});

describe('decodeEnvelope', () => {
  it('keeps each run id apart while one process encodes its own run and decodes another', () => {
    const foreign = encodeRecord({ runId: 'run-B', seq: 1, intendedAtUs: 1 }, {});
    expect(decodeEnvelope(foreign)?.runId).toBe('run-B');
    const own = encodeRecord({ runId: 'run-A', seq: 2, intendedAtUs: 2 }, {});
    expect(decodeEnvelope(foreign)?.runId).toBe('run-B');
    expect(decodeEnvelope(own)?.runId).toBe('run-A');
    expect(decodeEnvelope(foreign)?.runId).toBe('run-B');
  });

  it('round-trips any envelope and body (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 0, max: 2 ** 52 }),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.option(fc.nat({ max: 4000 }), { nil: undefined }),
        (runId, seq, intendedAtUs, body, pad) => {
          const env = { runId, seq, intendedAtUs };
          expect(decodeEnvelope(encodeRecord(env, body, pad))).toEqual(env);
        },
      ),
    );
  });

  it('reads an envelope that a pipeline re-serialised with other key order and whitespace', () => {
    const rewritten = `{ "other": 1, "_loadgen": { "seq": 7, "intendedAtUs": 5, "runId": "r" } }`;
    expect(decodeEnvelope(new TextEncoder().encode(rewritten))).toEqual({ runId: 'r', seq: 7, intendedAtUs: 5 });
  });

  it.each([
    ['empty', ''],
    ['plain text', 'hello'],
    ['other JSON', '{"a":1}'],
    ['JSON array', '[1,2]'],
    ['truncated', '{"_loadgen":{"runId":"r","seq":1,"inten'],
    ['wrong types', '{"_loadgen":{"runId":"r","seq":"1","intendedAtUs":2}}'],
    ['negative-free but fractional seq', '{"_loadgen":{"runId":"r","seq":1.5,"intendedAtUs":2}}'],
  ])('returns undefined for %s', (_name, raw) => {
    expect(decodeEnvelope(new TextEncoder().encode(raw))).toBeUndefined();
  });

  it("reads another run's record as that run's after encoding this run's records", () => {
    const other = encodeRecord({ runId: 'run-a', seq: 1, intendedAtUs: 2 }, {});
    expect(decodeEnvelope(other)?.runId).toBe('run-a');
    encodeRecord({ runId: 'run-b', seq: 1, intendedAtUs: 2 }, {});
    expect(decodeEnvelope(other)?.runId).toBe('run-a');
  });

  it('does not parse the body on the fast path (a broken body still yields the envelope)', () => {
    const raw = '{"_loadgen":{"runId":"r","seq":1,"intendedAtUs":2},"body":<<not json';
    expect(decodeEnvelope(new TextEncoder().encode(raw))).toEqual({ runId: 'r', seq: 1, intendedAtUs: 2 });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEntityIds, entityId, uuidFromWords, writeUuid } from '../../src/generators/sampling.js';
import { JsonBytesWriter } from '../../src/json-bytes.js';

describe('writeUuid', () => {
  it('writes the JSON string of uuidFromWords for any four words (property)', () => {
    const writer = new JsonBytesWriter();
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), fc.integer(), fc.integer(), fc.integer(), (a, b, c, d) => {
        writer.begin();
        writeUuid(writer, a, b, c, d);
        expect(Buffer.from(writer.end()).toString('latin1')).toBe(JSON.stringify(uuidFromWords(a, b, c, d)));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('createEntityIds', () => {
  it.each([0, 1, 41, 4_095, 4_096, 999_999, 12_345_678])('gives entityId for index %i, kept or not', (index) => {
    const ids = createEntityIds('user');
    expect(ids(index)).toBe(entityId('user', index));
    expect(ids(index)).toBe(entityId('user', index));
  });

  it('gives the same ids below and above a small number kept', () => {
    const ids = createEntityIds('device', 2);
    expect([ids(0), ids(1), ids(2), ids(1)]).toEqual(['device-000000', 'device-000001', 'device-000002', 'device-000001']);
  });
});

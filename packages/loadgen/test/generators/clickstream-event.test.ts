import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/generators/clickstream-sessions.js';
import { createClickstreamGenerator } from '../../src/generators/clickstream.js';
import { JsonBytesWriter } from '../../src/json-bytes.js';
import { createKeyChooser } from '../../src/keys/key-chooser.js';
import { forkRandom } from '../../src/random.js';
import type { KeyDistribution } from '../../src/scenario/key-distribution-schema.js';
import { START_US } from './helpers.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/**
 * Runs two clickstream generators with the same seed side by side, one on the object path (`next`,
 * its body written by `JsonBytesWriter.members`) and one on the byte path (`writeNext`), and
 * returns the records whose bytes or key differ, with the event types seen.
 */
function compare(count: number, distribution: KeyDistribution, options: Record<string, unknown> = {}, gapUs = (seq: number) => 10 + (seq % 7)) {
  const keys = distribution.kind === 'none' ? 0 : distribution.keys;
  const objects = createClickstreamGenerator({ random: forkRandom(11, 'records'), options, keys });
  const bytes = createClickstreamGenerator({ random: forkRandom(11, 'records'), options, keys });
  const chooseKey = createKeyChooser(distribution, forkRandom(11, 'keys'));
  const objectWriter = new JsonBytesWriter();
  const byteWriter = new JsonBytesWriter();
  const differing: { seq: number; object: string; bytes: string }[] = [];
  const types = new Set<unknown>();
  let intendedAtUs = START_US;
  for (let seq = 0; seq < count; seq++) {
    intendedAtUs += gapUs(seq);
    const keyIndex = chooseKey();
    const body = objects.next({ seq, keyIndex, intendedAtUs });
    types.add(body.eventType);
    objectWriter.begin();
    if (!objectWriter.members(body)) expect.fail(`record ${seq} is not plain data`);
    const fromObject = objectWriter.end();
    byteWriter.begin();
    const key = bytes.writeNext(seq, keyIndex, intendedAtUs, byteWriter);
    const written = byteWriter.end();
    if (key !== body.userId || Buffer.compare(fromObject, written) !== 0) differing.push({ seq, object: text(fromObject), bytes: `${key} ${text(written)}` });
  }
  return { differing: differing.slice(0, 3), types };
}

describe('clickstream byte path', () => {
  it.each([
    ['zipf keys over 100,000 users', 100_000, { kind: 'zipf', keys: 100_000, exponent: 0.99 } as KeyDistribution, {}],
    ['few users, sessions timing out', 100_000, { kind: 'uniform', keys: 50 } as KeyDistribution, { sessionTimeoutMs: 1 }],
    ['keyless', 50_000, { kind: 'none' } as KeyDistribution, { users: 500 }],
    ['users beyond the dense index (found by map)', 50_000, { kind: 'zipf', keys: 3_000_000, exponent: 0.99 } as KeyDistribution, {}],
  ])('writes the same bytes and key as the object path, record for record: %s', (_name, count, distribution, options) => {
    const { differing, types } = compare(count, distribution, options);
    expect(differing).toEqual([]);
    // Every event type (and so every branch of both renderings) was compared.
    expect([...types].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('writes the same bytes for gaps and times far from a 10 µs schedule (rounding, long gaps, other years)', () => {
    const gaps = [0, 1, 499, 500, 501, 1_499, 1_500, 2_500, 999_999, 86_400_000_000, 3e12];
    const { differing } = compare(20_000, { kind: 'uniform', keys: 20 }, {}, (seq) => gaps[seq % gaps.length] as number);
    expect(differing).toEqual([]);
  });
});

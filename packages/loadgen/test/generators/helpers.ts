import { createKeyChooser } from '../../src/keys/key-chooser.js';
import { loadGenerator } from '../../src/generators/load-generator.js';
import { forkRandom } from '../../src/random.js';
import type { KeyDistribution } from '../../src/scenario/key-distribution-schema.js';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
export const START_US = Date.UTC(2026, 0, 1) * 1000;

/** Generates `count` records 10 ms apart from a template, as a run would. */
export async function generate(
  template: string | Record<string, unknown>,
  count: number,
  { seed = 1, distribution = { kind: 'uniform', keys: 50 } as KeyDistribution, options = {} as Record<string, unknown> } = {},
): Promise<Record<string, unknown>[]> {
  const keys = distribution.kind === 'none' ? 0 : distribution.keys;
  const { generator } = await loadGenerator({ template, options, keys, random: forkRandom(seed, 'records'), baseDir: FIXTURES });
  const chooseKey = createKeyChooser(distribution, forkRandom(seed, 'keys'));
  return Array.from({ length: count }, (_, seq) => generator.next({ seq, keyIndex: chooseKey(), intendedAtUs: START_US + seq * 10_000 }));
}

/** Groups records by a field, keeping order. */
export function groupBy(records: Record<string, unknown>[], field: string): Map<unknown, Record<string, unknown>[]> {
  const groups = new Map<unknown, Record<string, unknown>[]>();
  for (const record of records) {
    const key = record[field];
    const group = groups.get(key) ?? [];
    group.push(record);
    groups.set(key, group);
  }
  return groups;
}

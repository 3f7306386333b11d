/**
 * Change-data-capture events in Debezium's shape: `op` c (create), u (update), d (delete) with the
 * row `before` and `after` the change, keyed by the row's primary key.
 *
 * Invariants: per row, the log is consistent — a create comes first, an update's `before` equals
 * the previous event's `after`, nothing follows a delete except a new create; `lsn` increases
 * strictly across the log. Mix once a row exists: 90% updates, 10% deletes.
 */
import type { BuiltInGenerator, GeneratorInit, RecordContext, RecordGenerator } from './generator.js';
import { COUNTRIES, FIRST_NAMES, LAST_NAMES, intBetween, numberOption, pick } from './sampling.js';

interface Row {
  id: number;
  name: string;
  email: string;
  country: string;
  balanceCents: number;
  version: number;
}

export function createChangelogGenerator({ random, options, keys }: GeneratorInit): RecordGenerator {
  const rowCount = keys > 0 ? keys : numberOption(options, 'rows', 10_000, 1);
  const deleteProbability = numberOption(options, 'deleteProbability', 0.1, 0, 1);
  const table = typeof options['table'] === 'string' ? options['table'] : 'customers';
  const rows = new Map<number, Row>();
  let lsn = 0;

  function create(id: number): Row {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    return {
      id,
      name: `${first} ${last}`,
      email: `${first}.${last}.${id}@example.com`.toLowerCase(),
      country: pick(random, COUNTRIES),
      balanceCents: intBetween(random, 0, 100_000),
      version: 1,
    };
  }

  return {
    next({ keyIndex, intendedAtUs }: RecordContext) {
      const id = keyIndex ?? Math.floor(random() * rowCount);
      const before = rows.get(id);
      lsn += 1;
      let op: 'c' | 'u' | 'd';
      let after: Row | null;
      if (before === undefined) {
        op = 'c';
        after = create(id);
        rows.set(id, after);
      } else if (random() < deleteProbability) {
        op = 'd';
        after = null;
        rows.delete(id);
      } else {
        op = 'u';
        after = { ...before, version: before.version + 1, balanceCents: Math.max(0, before.balanceCents + intBetween(random, -5_000, 5_000)) };
        if (random() < 0.1) after.country = pick(random, COUNTRIES);
        rows.set(id, after);
      }
      return {
        op,
        key: { id },
        before: before ?? null,
        after,
        source: { db: 'shop', table, lsn },
        tsMs: Math.floor(intendedAtUs / 1000),
      };
    },
  };
}

export const changelog: BuiltInGenerator = { create: createChangelogGenerator, keyField: 'key.id', defaultKeys: 10_000 };

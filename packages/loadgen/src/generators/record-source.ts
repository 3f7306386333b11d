/**
 * The record source: for each scheduled record, draws its key, generates its body, derives its
 * partition key and encodes it behind the `_loadgen` envelope.
 *
 * Invariants: the same seed gives the same keys and bodies (keys and bodies draw from separate
 * seeded streams, so changing a generator never shifts the key sequence); the partition key is
 * the value of `records.partitionKey.field` in the body (the generator's entity field by default),
 * so records of one user share a shard exactly as in production; keyless runs (`none`) send no
 * partition key at all.
 * - A part of a split run (`part`, see part-schedule.ts) draws the key sequence of the whole run
 *   and keeps the keys of its own records: its record `seq` gets the key the unsplit run draws for
 *   record index + seq·count, so the parts' keys merged are exactly the unsplit run's. Bodies are
 *   the part's own (a generator's per-entity state sees only the part's records).
 * - A built-in generator with a byte path (`BytesRecordGenerator`, clickstream) writes its records
 *   straight into their bytes when the partition key is its own key field or the run is keyless;
 *   with any other field the key must be read from a body object, so the object path is taken.
 *   Both paths give the same bytes and keys for the same seed (tested).
 */
import { decodeBody, RecordEncoder } from '../envelope.js';
import { createKeyChooser, keyCount } from '../keys/key-chooser.js';
import { forkRandom } from '../random.js';
import { ScenarioError } from '../scenario/scenario-error.js';
import { unsplitIndex, WHOLE_RUN, type WorkerPart } from '../schedule/part-schedule.js';
import type { Scenario } from '../scenario/schema.js';
import { fieldReader, loadGenerator } from './load-generator.js';

/** One record ready for `producer.put`. */
export interface SourceRecord {
  data: Uint8Array;
  /** `undefined` for keyless runs. */
  partitionKey: string | undefined;
  /**
   * The body before encoding. A record written by a byte path had no body object: its body is
   * parsed from `data` when read (the same members and values, without `_loadgen` and `pad`).
   */
  readonly body: Record<string, unknown>;
}

export interface RecordSource {
  next(seq: number, intendedAtUs: number): SourceRecord;
}

export interface RecordSourceOptions {
  scenario: Scenario;
  runId: string;
  /** Directory of the scenario file (module generators resolve against it). */
  baseDir: string;
  /** The scenario file, for messages. */
  file?: string | undefined;
  /** The share of the unsplit run this source generates. @default the whole run */
  part?: WorkerPart | undefined;
}

export async function createRecordSource({ scenario, runId, baseDir, file, part = WHOLE_RUN }: RecordSourceOptions): Promise<RecordSource> {
  const { records, seed } = scenario;
  const distribution = records.partitionKey.distribution;
  const chooseKey = createKeyChooser(distribution, forkRandom(seed, 'keys'));
  const loaded = await loadGenerator({
    template: records.template,
    options: records.options,
    keys: keyCount(distribution),
    random: forkRandom(seed, 'records'),
    baseDir,
    file,
  });
  const { generator, keyField } = loaded;
  const field = records.partitionKey.field ?? keyField;
  const readKey = field === undefined ? undefined : fieldReader(field);
  const keyless = distribution.kind === 'none';
  const padToBytes = records.sizeBytes;
  const encoder = new RecordEncoder(runId, padToBytes);
  const bytes = keyless || field === keyField ? loaded.bytes : undefined;
  // Keys drawn so far, counted in unsplit records; the draws for other parts' records are skipped.
  let keysDrawn = 0;
  const keyOf = (seq: number): number | undefined => {
    const wanted = unsplitIndex(part, seq);
    while (keysDrawn < wanted) {
      chooseKey();
      keysDrawn += 1;
    }
    keysDrawn += 1;
    return chooseKey();
  };

  return {
    next(seq, intendedAtUs) {
      const keyIndex = part.count === 1 ? chooseKey() : keyOf(seq);
      if (bytes !== undefined) {
        const key = bytes.writeNext(seq, keyIndex, intendedAtUs, encoder.begin(seq, intendedAtUs));
        return new WrittenRecord(encoder.end(), keyless ? undefined : key);
      }
      const body = generator.next({ seq, keyIndex, intendedAtUs });
      let partitionKey: string | undefined;
      if (!keyless) {
        const value = readKey === undefined ? keyIndex : readKey(body);
        if (value === undefined || value === null || value === '') {
          throw new ScenarioError(`Expected every record to have a field \`${String(field)}\` for the partition key, but record ${seq} has none`, {
            file,
            fieldPath: 'records.partitionKey.field',
          });
        }
        partitionKey = typeof value === 'string' ? value : String(value);
      }
      return { data: encoder.encode(seq, intendedAtUs, body), partitionKey, body };
    },
  };
}

/** A record a byte path wrote: its body is parsed from its bytes only when asked for. */
class WrittenRecord implements SourceRecord {
  constructor(
    readonly data: Uint8Array,
    readonly partitionKey: string | undefined,
  ) {}

  get body(): Record<string, unknown> {
    return decodeBody(this.data);
  }
}

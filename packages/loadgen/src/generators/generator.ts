/**
 * The contract between the run and a record generator (built-in, template or user module).
 *
 * Invariants: a generator is deterministic given its `random` and the sequence of contexts it is
 * called with; it returns a plain JSON-serialisable object (the run adds the `_loadgen` envelope
 * in front); it keeps state per entity (session, device, row) bounded by the number of keys.
 */
import type { JsonBytesWriter } from '../json-bytes.js';
import type { Random } from '../random.js';

/** What a generator knows about the record it is asked for. */
export interface RecordContext {
  /** Sequence number of the record in the run (0-based). */
  seq: number;
  /**
   * The entity this record belongs to (user, device, customer, row), drawn from the partition
   * key distribution; `undefined` for keyless runs, where the generator picks one itself.
   */
  keyIndex: number | undefined;
  /** Intended send time, wall-clock µs since the epoch; use it for event timestamps. */
  intendedAtUs: number;
}

export interface RecordGenerator {
  /** The record body for this context. */
  next(context: RecordContext): Record<string, unknown>;
}

/**
 * A generator that can also write each record straight into the record's bytes: a built-in's fast
 * path, with no body object and no per-record strings but the key. The run uses one of the two
 * methods for all its records, never both.
 */
export interface BytesRecordGenerator extends RecordGenerator {
  /**
   * Writes the body `next({ seq, keyIndex, intendedAtUs })` would return, as the members
   * `,"key":value…` that `JsonBytesWriter.members` writes for it (the same bytes), advancing the
   * generator's state and randomness exactly as `next` does. Returns the value of the generator's
   * key field (`BuiltInGenerator.keyField`) in that body.
   */
  writeNext(seq: number, keyIndex: number | undefined, intendedAtUs: number, out: JsonBytesWriter): string;
}

/** Whether `generator` has the byte path. */
export function writesBytes(generator: RecordGenerator): generator is BytesRecordGenerator {
  return typeof (generator as Partial<BytesRecordGenerator>).writeNext === 'function';
}

/** What a generator factory receives. */
export interface GeneratorInit {
  /** Seeded random numbers; the only source of randomness a generator may use. */
  random: Random;
  /** `records.options` from the scenario. */
  options: Record<string, unknown>;
  /** Number of distinct entities (keys) the run draws; 0 for keyless runs. */
  keys: number;
}

/** A generator module exports this as `createGenerator` (or as its default export). */
export type GeneratorFactory = (init: GeneratorInit) => RecordGenerator;

/** A built-in generator: its factory and the field that holds its entity id. */
export interface BuiltInGenerator {
  /** Its generators may be `BytesRecordGenerator`s, whose byte path the run then takes. */
  create: GeneratorFactory;
  /** Default `partitionKey.field`, e.g. `userId` for clickstream. */
  keyField: string;
  /** Entities drawn when the run is keyless. */
  defaultKeys: number;
}

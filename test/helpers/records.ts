/** Record factories and read-back helpers shared by the end-to-end tests. */
import { randomBytes } from 'node:crypto';
import { deaggregate, type DeaggregatedRecord } from '@shardline/producer';
import type { ReadRecord } from '@shardline/local-kinesis';

/** A deterministic PRNG (mulberry32) so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Data that names its record: `#<id>#` followed by filler up to `sizeBytes`. */
export function taggedData(id: number, sizeBytes: number): Uint8Array {
  const tag = Buffer.from(`#${id}#`);
  const out = Buffer.alloc(Math.max(sizeBytes, tag.length));
  tag.copy(out, 0);
  if (out.length > tag.length) randomBytes(out.length - tag.length).copy(out, tag.length);
  return out;
}

export function tagOf(data: Uint8Array): number {
  const s = Buffer.from(data.subarray(0, 24)).toString('latin1');
  const m = /^#(\d+)#/.exec(s);
  if (m?.[1] === undefined) throw new Error(`record without a tag: ${s}`);
  return Number(m[1]);
}

export interface UserRecordRead extends DeaggregatedRecord {
  readonly shardId: string;
  /** The Kinesis record it came in. */
  readonly outer: ReadRecord;
}

/** Every user record in what was read back, deaggregated, with the shard it was read from. */
export function userRecordsOf(read: readonly ReadRecord[]): UserRecordRead[] {
  const out: UserRecordRead[] = [];
  for (const r of read) {
    const users = deaggregate({ Data: r.data, PartitionKey: r.partitionKey, SequenceNumber: r.sequenceNumber });
    for (const u of users) out.push({ ...u, shardId: r.shardId, outer: r });
  }
  return out;
}

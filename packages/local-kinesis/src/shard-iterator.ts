/**
 * Reads the stream and shard out of a kinesalite shard iterator, so a GetRecords call can be
 * charged to its shard before kinesalite serves it, and makes an iterator that starts at a given
 * record (kinesalite's own `createShardIterator`). kinesalite's iterators are
 * `0000000000000001` + AES-256-CBC("time/stream/shardId/sequence/…") under a key it exports.
 * Invariant: anything that does not decode is reported as undefined and left to kinesalite,
 * which answers it with AWS's InvalidArgumentException.
 */
import { createDecipheriv } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const kinesaliteDb = createRequire(require.resolve('kinesalite'))('./db') as {
  ITERATOR_PWD_KEY: Buffer;
  ITERATOR_PWD_IV: Buffer;
  createShardIterator(streamName: string, shardId: string, sequenceNumber: string): string;
};

/** An iterator whose first GetRecords starts at (and includes) `sequenceNumber`. */
export function iteratorAt(target: IteratorTarget, sequenceNumber: string): string {
  return kinesaliteDb.createShardIterator(target.streamName, target.shardId, sequenceNumber);
}

export interface IteratorTarget {
  streamName: string;
  shardId: string;
}

export function iteratorTarget(shardIterator: unknown): IteratorTarget | undefined {
  if (typeof shardIterator !== 'string') return undefined;
  const buffer = Buffer.from(shardIterator, 'base64');
  if (buffer.length < 152 || buffer.length > 280 || buffer.subarray(0, 8).toString('hex') !== '0000000000000001') {
    return undefined;
  }
  try {
    const decipher = createDecipheriv('aes-256-cbc', kinesaliteDb.ITERATOR_PWD_KEY, kinesaliteDb.ITERATOR_PWD_IV);
    const pieces = Buffer.concat([decipher.update(buffer.subarray(8)), decipher.final()]).toString('utf8').split('/');
    const [, streamName, shardId] = pieces;
    if (pieces.length !== 5 || streamName === undefined || shardId === undefined) return undefined;
    return { streamName, shardId };
  } catch {
    return undefined;
  }
}

import { describe, expect, it } from 'vitest';
import { hashKeyOf, MAX_HASH_KEY } from '../src/hash-key.js';
import { ShardMap, type ShardDescription } from '../src/shard-map.js';

function shard(id: number, start: bigint, end: bigint, closed = false): ShardDescription {
  return {
    ShardId: `shardId-${String(id).padStart(12, '0')}`,
    HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: end.toString() },
    SequenceNumberRange: closed ? { StartingSequenceNumber: '1', EndingSequenceNumber: '2' } : { StartingSequenceNumber: '1' },
  };
}

const HALF = 1n << 127n;
// Shard 0 was split into 2 and 3; shard 1 is open. Listing order is by id, not by range.
const map = new ShardMap([
  shard(0, 0n, HALF - 1n, true),
  shard(1, HALF, MAX_HASH_KEY),
  shard(2, 0n, 99n),
  shard(3, 100n, HALF - 1n),
]);

describe('ShardMap', () => {
  it.each([
    { key: 0n, shardId: 'shardId-000000000002' },
    { key: 99n, shardId: 'shardId-000000000002' },
    { key: 100n, shardId: 'shardId-000000000003' },
    { key: HALF - 1n, shardId: 'shardId-000000000003' },
    { key: HALF, shardId: 'shardId-000000000001' },
    { key: MAX_HASH_KEY, shardId: 'shardId-000000000001' },
  ])('routes $key to $shardId, never to the closed parent', ({ key, shardId }) => {
    expect(map.route(key)).toBe(shardId);
  });

  it('lists open shards by hash range', () => {
    expect(map.openShardIds).toEqual(['shardId-000000000002', 'shardId-000000000003', 'shardId-000000000001']);
  });

  it('routes nothing while a stream has no shards', () => {
    expect(new ShardMap([]).route(5n)).toBeUndefined();
  });
});

describe('hashKeyOf', () => {
  it('is MD5 of the UTF-8 key as a big-endian integer', () => {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661
    expect(hashKeyOf('a')).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
  });

  it.each([
    { explicit: '0', expected: 0n },
    { explicit: MAX_HASH_KEY.toString(), expected: MAX_HASH_KEY },
    { explicit: (MAX_HASH_KEY + 1n).toString(), expected: undefined },
    { explicit: 'abc', expected: undefined },
    { explicit: '007', expected: undefined },
  ])('explicit key $explicit → $expected', ({ explicit, expected }) => {
    expect(hashKeyOf('ignored', explicit)).toBe(expected);
  });
});

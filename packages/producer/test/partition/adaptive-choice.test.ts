import { describe, expect, it } from 'vitest';
import {
  createWeightedChooser,
  shardWeights,
  spareCapacityBytes,
  type ShardLoad,
} from '../../src/partition/adaptive-choice.js';
import { countPerShard, idleShard, seededRandom } from './helpers.js';

const KiB = 1024;
const load = (overrides: Partial<ShardLoad>): ShardLoad => ({ ...idleShard, ...overrides });

describe('spare capacity of a shard', () => {
  it.each([
    ['idle, aggregated 50 KiB runs: bytes are the tighter limit', load({}), 50 * KiB, 1_048_576],
    ['the worked example', load({ spareBytes: 600 * KiB, spareRecords: 4, queuedBytes: 100 * KiB }), 50 * KiB, 100 * KiB],
    ['raw 100-byte records: 1,000 record tokens are 100,000 bytes', load({}), 100, 100_000],
    ['queue larger than the tokens', load({ spareBytes: 10, queuedBytes: 20 }), 100, 0],
    ['throttled recently', load({ throttledRecently: true }), 100, 0],
  ])('%s', (_, shardLoad, kinesisRecordBytes, expected) => {
    expect(spareCapacityBytes(shardLoad, kinesisRecordBytes)).toBe(expected);
  });
});

describe('shard weights', () => {
  it('uses spare capacity while any shard has some', () => {
    const weights = shardWeights([load({ spareBytes: 1000 }), load({ spareBytes: 0 }), load({ throttledRecently: true })], 1000, 1000);
    expect(weights).toEqual([1000, 0, 0]);
  });

  it('falls back to inverse queue length when every bucket is drained, still excluding throttled shards', () => {
    const drained = { spareBytes: 0, spareRecords: 0 };
    const weights = shardWeights(
      [load({ ...drained, queuedBytes: 0 }), load({ ...drained, queuedBytes: 4000 }), load({ ...drained, throttledRecently: true })],
      1000,
      1000,
    );
    expect(weights).toEqual([1, 0.2, 0]);
  });

  it('lets every shard take part when all are throttled', () => {
    expect(shardWeights([load({ throttledRecently: true }), load({ throttledRecently: true, queuedBytes: 1000 })], 1, 1000)).toEqual([
      1, 0.5,
    ]);
  });
});

describe('smooth weighted round-robin', () => {
  it.each([
    [[1, 1, 1, 1], 400],
    [[3, 1], 400],
    [[5, 0, 2, 1], 800],
    [[0.001, 0.002], 300],
  ])('weights %j: each share within one choice of its weight share after %i choices', (weights, choices) => {
    const chooser = createWeightedChooser(seededRandom(3));
    const counts = countPerShard(Array.from({ length: choices }, () => chooser.choose(weights)), weights.length);
    const total = weights.reduce((a, b) => a + b);
    weights.forEach((weight, i) => expect(Math.abs((counts[i] ?? 0) - (choices * weight) / total)).toBeLessThanOrEqual(1));
  });

  it('equal weights give a different random order in each round', () => {
    const chooser = createWeightedChooser(seededRandom(9));
    const rounds = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => chooser.choose([1, 1, 1, 1])).join(''));
    for (const round of rounds) expect([...round].sort().join('')).toBe('0123');
    expect(new Set(rounds).size).toBeGreaterThan(1);
  });

  it.each([[[0, 0]], [[]], [[Infinity, 1]], [[Number.NaN]]])('refuses weights %j', (weights) => {
    expect(() => createWeightedChooser(Math.random).choose(weights)).toThrow(/Expected at least one finite weight > 0/);
  });
});

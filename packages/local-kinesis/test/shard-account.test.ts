import { describe, expect, it } from 'vitest';
import { fakeClock as clock } from './helpers.js';
import { AWS_LIMITS } from '../src/options.js';
import { ShardAccount } from '../src/shard-account.js';

describe('ShardAccount', () => {
  it('needs room in both write buckets: 100 KiB records stop at the 1 MiB burst, ten at once', () => {
    const time = clock();
    const account = new ShardAccount('shardId-000000000000', AWS_LIMITS, time.now);
    const results = Array.from({ length: 11 }, () => account.tryWrite(102_400));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(account.snapshot()).toMatchObject({ throttledRecords: 1, throttledBytes: 102_400 });
  });

  it('reports the writes granted between the first and last throttle as the saturation window', () => {
    const time = clock();
    const account = new ShardAccount('shardId-000000000000', { ...AWS_LIMITS, writeRecordsPerSec: 10 }, time.now);
    for (let record = 0; record < 10; record++) account.tryWrite(1); // the 10-record burst
    expect(account.tryWrite(1)).toBe(false); // empty at 0 ms
    expect(account.snapshot().saturation).toBeUndefined();
    time.advance(500); // 5 records refill
    const granted = Array.from({ length: 6 }, () => account.tryWrite(1)).filter(Boolean).length;
    expect(granted).toBe(5);
    expect(account.snapshot().saturation).toEqual({ fromMs: 0, toMs: 500, acceptedRecords: 5, acceptedBytes: 5 });
  });

  it('counts nothing as throttled with limits off', () => {
    const account = new ShardAccount('shardId-000000000000', undefined, clock().now);
    expect(Array.from({ length: 5000 }, () => account.tryWrite(1_000_000)).every(Boolean)).toBe(true);
    expect(account.snapshot()).toMatchObject({ throttledRecords: 0, saturation: undefined });
  });
});

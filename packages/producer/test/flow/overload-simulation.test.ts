/**
 * The key evidence for the flow policy: one shard driven from a backlog far above its capacity
 * for 60 simulated seconds, against a simulated Kinesis shard with its own buckets and burst
 * allowance, with jittered latency, late timers and several requests in flight (see
 * flow-simulation.ts). The adaptive flow must reach ≥ 95% of what the server allows with ≤ 5%
 * of the Kinesis records sent throttled; the KPL policy (150% buckets, no backoff) on the same
 * server shows what the simulation catches when a policy over-drives.
 */
import { describe, expect, it } from 'vitest';
import { createShardFlow } from '../../src/flow/shard-flow.js';
import { createFixedRateFlow } from '../../src/flow/fixed-rate-flow.js';
import { type SimScenario, simulate } from './flow-simulation.js';

const MiB = 1024 * 1024;
const SMALL = 136; // a 100-byte record with a 36-character partition key
const AGGREGATE = 51_200; // a full KPL-sized aggregate

const base = {
  durationMs: 60_000,
  warmupMs: 5_000,
  maxInFlight: 4,
  lingerMs: 100,
  latencyMs: { min: 2, max: 40, spikeProbability: 0.02, spikeMs: 150 },
} as const;

const adaptive: SimScenario['makeFlow'] = (now, random) =>
  createShardFlow({ recordsPerSec: 1000, bytesPerSec: MiB, burstMs: 500, backoff: { baseMs: 100, capMs: 60_000 }, now, random });

const kpl: SimScenario['makeFlow'] = (now) => createFixedRateFlow({ recordsPerSec: 1000, bytesPerSec: MiB, burstMs: 500, now });

type Server = SimScenario['server'];
const aws = (burstMs: number, share = 1): Server => ({ recordsPerSec: 1000 * share, bytesPerSec: MiB * share, burstMs });

describe('a ShardFlow driving one shard at 3× capacity for 60 simulated seconds', () => {
  it.each<[string, number, Server, SimScenario['latencyMs'] | undefined]>([
    ['100-byte records, server burst 1 s', SMALL, aws(1000), undefined],
    ['100-byte records, server burst 250 ms (< client burst)', SMALL, aws(250), undefined],
    ['50 KB aggregates (byte-bound), server burst 1 s', AGGREGATE, aws(1000), undefined],
    ['50 KB aggregates, server burst 250 ms', AGGREGATE, aws(250), undefined],
    ['100-byte records, slow and jittery network (5–150 ms, 5% +300 ms)', SMALL, aws(1000), { min: 5, max: 150, spikeProbability: 0.05, spikeMs: 300 }],
    ['100-byte records, another producer takes 3% of the shard', SMALL, aws(1000, 0.97), undefined],
    ['50 KB aggregates, another producer takes 3% of the shard', AGGREGATE, aws(1000, 0.97), undefined],
    ['100-byte records, another producer takes 40% of the shard', SMALL, aws(1000, 0.6), undefined],
  ])('%s: goodput ≥ 95%%, throttled ≤ 5%%', (_label, recordBytes, server, latencyMs) => {
    for (const seed of [1, 2, 3]) {
      const r = simulate({ ...base, ...(latencyMs ? { latencyMs } : {}), recordBytes, server, seed, makeFlow: adaptive });
      expect(r.goodputRatio, `goodput, seed ${seed}`).toBeGreaterThanOrEqual(0.95);
      expect(r.goodputRatio, `goodput, seed ${seed}`).toBeLessThanOrEqual(1.02); // a bucket cannot be beaten
      expect(r.throttledRatio, `throttled, seed ${seed}`).toBeLessThanOrEqual(0.05);
      expect(r.flow.snapshot().allowedRecordsPerSec).toBeLessThanOrEqual(1000);
    }
  });

  it('catches over-driving: the KPL policy on the same server has a third of its records throttled', () => {
    const r = simulate({ ...base, recordBytes: SMALL, server: aws(1000), seed: 1, makeFlow: kpl });
    const a = simulate({ ...base, recordBytes: SMALL, server: aws(1000), seed: 1, makeFlow: adaptive });
    expect(r.throttledRatio).toBeGreaterThan(0.25);
    expect(a.throttledRatio).toBeLessThan(r.throttledRatio / 10);
    // Same goodput (the server is saturated either way), far fewer records sent to get it.
    expect(a.sentRecords).toBeLessThan(r.sentRecords * 0.8);
  });

  it('settles below a shared shard’s real capacity instead of at the documented limit', () => {
    const r = simulate({ ...base, recordBytes: SMALL, server: aws(1000, 0.6), seed: 4, makeFlow: adaptive });
    // 60% of the shard is left to us: the allowed rate ends within a saw-tooth around 600/s.
    const rate = r.flow.snapshot().allowedRecordsPerSec;
    expect(rate).toBeGreaterThan(450);
    expect(rate).toBeLessThan(750);
  });
});

import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../src/fault-injector.js';
import { resolveFaults } from '../src/options.js';

function draws(seed: number, count: number): boolean[] {
  const injector = new FaultInjector(resolveFaults({ seed, internalFailureRate: 0.1 }));
  return Array.from({ length: count }, () => injector.entryFails('PutRecords'));
}

describe('FaultInjector', () => {
  it('repeats the same faults for the same seed', () => {
    expect(draws(7, 1000)).toEqual(draws(7, 1000));
    expect(draws(7, 1000)).not.toEqual(draws(8, 1000));
  });

  it('fails entries at the configured rate (10% of 20,000 within 3σ = 127)', () => {
    const failures = draws(3, 20_000).filter(Boolean).length;
    expect(failures).toBeGreaterThan(2000 - 127);
    expect(failures).toBeLessThan(2000 + 127);
  });

  it('applies only to the configured operations', () => {
    const injector = new FaultInjector(
      resolveFaults({ requestFailureRate: 1, dropConnectionRate: 0, operations: ['PutRecords'] }),
    );
    expect(injector.requestFault('GetRecords')).toBeUndefined();
    expect(injector.requestFault('PutRecords')).toMatchObject({ kind: 'fail' });
    expect(injector.counts.failedRequests).toBe(1);
  });

  it('restarts from the new seed on set', () => {
    const injector = new FaultInjector(resolveFaults({ seed: 5, internalFailureRate: 0.1 }));
    const first = Array.from({ length: 100 }, () => injector.entryFails('PutRecords'));
    injector.set({ seed: 5, internalFailureRate: 0.1 });
    expect(Array.from({ length: 100 }, () => injector.entryFails('PutRecords'))).toEqual(first);
  });
});

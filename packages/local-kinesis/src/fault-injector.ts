/**
 * Decides, from one seeded PRNG, which requests are delayed, dropped or failed and which
 * PutRecords entries fail with InternalFailure, and counts what it injected.
 *
 * Invariant: a draw is taken only for a fault whose rate is above zero, in a fixed order per
 * request (latency jitter, drop, request failure, then one per entry), so the same seed and the
 * same request order always give the same faults. `set` restarts the sequence from its seed.
 */
import { createPrng } from './prng.js';
import { resolveFaults, type FaultsConfig, type ResolvedFaults } from './options.js';

export interface FaultCounts {
  delayedRequests: number;
  droppedConnections: number;
  failedRequests: number;
  internalFailures: number;
}

export type RequestFault = { kind: 'drop' } | { kind: 'fail'; statusCode: 500 | 503 } | undefined;

export class FaultInjector {
  private faults: ResolvedFaults;
  private random: () => number;
  readonly counts: FaultCounts = { delayedRequests: 0, droppedConnections: 0, failedRequests: 0, internalFailures: 0 };

  constructor(faults: ResolvedFaults) {
    this.faults = faults;
    this.random = createPrng(faults.seed);
  }

  set(config: FaultsConfig): void {
    this.faults = resolveFaults(config);
    this.random = createPrng(this.faults.seed);
  }

  appliesTo(operation: string): boolean {
    return this.faults.operations === undefined || this.faults.operations.has(operation);
  }

  /** Milliseconds to hold the request before handling it (0 = none). */
  latencyMs(operation: string): number {
    if (!this.appliesTo(operation)) return 0;
    const { latencyMs, latencyJitterMs } = this.faults;
    const delayMs = latencyMs + (latencyJitterMs > 0 ? this.random() * latencyJitterMs : 0);
    if (delayMs > 0) this.counts.delayedRequests++;
    return delayMs;
  }

  /** Whether the whole request is dropped or failed; drawn after `latencyMs`. */
  requestFault(operation: string): RequestFault {
    if (!this.appliesTo(operation)) return undefined;
    const { dropConnectionRate, requestFailureRate, requestFailureStatuses } = this.faults;
    if (dropConnectionRate > 0 && this.random() < dropConnectionRate) {
      this.counts.droppedConnections++;
      return { kind: 'drop' };
    }
    if (requestFailureRate > 0 && this.random() < requestFailureRate) {
      this.counts.failedRequests++;
      const index = Math.floor(this.random() * requestFailureStatuses.length);
      return { kind: 'fail', statusCode: requestFailureStatuses[index] ?? 500 };
    }
    return undefined;
  }

  /** Whether `entryFails` could fail anything for this operation (no draw is taken). */
  mayFailEntries(operation: string): boolean {
    return this.appliesTo(operation) && this.faults.internalFailureRate > 0;
  }

  /** Whether one PutRecords entry fails with InternalFailure. */
  entryFails(operation: string): boolean {
    if (!this.appliesTo(operation) || this.faults.internalFailureRate === 0) return false;
    const fails = this.random() < this.faults.internalFailureRate;
    if (fails) this.counts.internalFailures++;
    return fails;
  }
}

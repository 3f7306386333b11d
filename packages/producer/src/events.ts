/**
 * The producer's event API: `producer.on(name, listener)`.
 *
 * A listener that throws (or returns a rejected promise) cannot break the producer: the error is
 * swallowed here and counted in `metrics().listenerErrors`.
 */
export interface ProducerEvents {
  /** Kinesis answered ProvisionedThroughputExceeded for some of a shard's entries. */
  throttle: { shardId: string; throttledRecords: number; allowedRecordsPerSec: number; allowedBytesPerSec: number };
  /** Entries of a request are being retried. */
  retry: { shardId: string; records: number; errorCode: string; delayMs: number };
  /** User records expired (recordTtlMs) and were rejected with RecordExpiredError. */
  expired: { records: number };
  /** The shard map changed (resharding seen). */
  reshard: { version: number; shardIds: string[] };
  /** One key alone needs more than a shard can take; no hashing can spread it. */
  'hot-key': { partitionKey: string; recordsPerSec: number; bytesPerSec: number; message: string };
}
export type ProducerEventName = keyof ProducerEvents;
export type Listener<K extends ProducerEventName> = (event: ProducerEvents[K]) => unknown;

export class EventHub {
  readonly #listeners = new Map<ProducerEventName, Set<(e: never) => unknown>>();
  listenerErrors = 0;

  on<K extends ProducerEventName>(name: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as (e: never) => unknown);
    return () => this.off(name, listener);
  }

  off<K extends ProducerEventName>(name: K, listener: Listener<K>): void {
    this.#listeners.get(name)?.delete(listener as (e: never) => unknown);
  }

  has(name: ProducerEventName): boolean {
    return (this.#listeners.get(name)?.size ?? 0) > 0;
  }

  emit<K extends ProducerEventName>(name: K, event: ProducerEvents[K]): void {
    const set = this.#listeners.get(name);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        const out = (listener as Listener<K>)(event);
        if (out instanceof Promise) out.catch(() => this.listenerErrors++);
      } catch {
        this.listenerErrors++;
      }
    }
  }
}

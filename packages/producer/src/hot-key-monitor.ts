/**
 * Watches partition keys for hot spots: the heaviest keys (space-saving sketch, fixed memory) for
 * `metrics().hotKeys`, and a once-per-second check whether one key alone needs more than a shard
 * can take — which no key hashing can fix (see partition/load-skew.ts for the salting advice).
 *
 * Rate of a key = growth of its sketch count over the last check window. Example: key "u1" counted
 * 41,000 at t = 10 s and 42,800 at t = 11 s → 1,800 records/s; with 200-byte records that is
 * 360,000 bytes/s, so raw records (1,800 > 1,000 records/s) overflow a shard, while aggregated ones
 * (≈ 7 aggregates/s of 51,200 bytes) do not.
 */
import { createHotKeySketch, findOversizedKey, type HotKey, type HotKeySketch, type OversizedKey } from './partition/index.js';

export interface HotKeyMonitorOptions {
  readonly now: () => number;
  readonly shardRecordsPerSec: number;
  readonly shardBytesPerSec: number;
  /** Aggregate size when aggregating (Kinesis records per byte of a hot key), else undefined. */
  readonly aggregateBytes: number | undefined;
  readonly onOversized: (key: OversizedKey & { recordsPerSec: number; bytesPerSec: number }) => void;
  /** @default 1000 */
  readonly capacity?: number;
  /** @default 1000 */
  readonly windowMs?: number;
}

/**
 * One record in SAMPLE_EVERY is counted, with weight SAMPLE_EVERY: the sketch costs ~0.5 µs per
 * add with 10,000 keys over 1,000 counters, too much at 1 M records/s; a key hot enough to matter
 * (hundreds of records/s) is sampled hundreds of times per window all the same.
 */
const SAMPLE_EVERY = 16;

export class HotKeyMonitor {
  readonly #o: HotKeyMonitorOptions;
  readonly #sketch: HotKeySketch;
  readonly #windowMs: number;
  #windowStartMs: number;
  #windowBytes = 0;
  #windowRecords = 0;
  #previous = new Map<string, number>();
  #skip = 0;

  constructor(options: HotKeyMonitorOptions) {
    this.#o = options;
    this.#sketch = createHotKeySketch(options.capacity ?? 1000);
    this.#windowMs = options.windowMs ?? 1000;
    this.#windowStartMs = options.now();
  }

  add(partitionKey: string, bytes: number, nowMs: number): void {
    this.#windowBytes += bytes;
    this.#windowRecords++;
    if (++this.#skip < SAMPLE_EVERY) return;
    this.#skip = 0;
    this.#sketch.add(partitionKey, SAMPLE_EVERY);
    if (nowMs - this.#windowStartMs >= this.#windowMs) this.#check(nowMs);
  }

  top(n: number): HotKey[] {
    return this.#sketch.top(n);
  }

  #check(nowMs: number): void {
    const seconds = (nowMs - this.#windowStartMs) / 1000;
    const avgBytes = this.#windowRecords === 0 ? 0 : this.#windowBytes / this.#windowRecords;
    const top = this.#sketch.top(5);
    const next = new Map<string, number>();
    for (const k of top) {
      next.set(k.key, k.count);
      const before = this.#previous.get(k.key);
      if (before === undefined) continue;
      const recordsPerSec = (k.count - before) / seconds;
      const bytesPerSec = recordsPerSec * avgBytes;
      const kinesisRecordsPerSec = this.#o.aggregateBytes === undefined ? recordsPerSec : bytesPerSec / this.#o.aggregateBytes;
      const oversized = findOversizedKey(
        { key: k.key, recordsPerSec: kinesisRecordsPerSec, bytesPerSec },
        { shardRecordsPerSec: this.#o.shardRecordsPerSec, shardBytesPerSec: this.#o.shardBytesPerSec },
      );
      if (oversized !== undefined) this.#o.onOversized({ ...oversized, recordsPerSec, bytesPerSec });
    }
    this.#previous = next;
    this.#windowStartMs = nowMs;
    this.#windowBytes = 0;
    this.#windowRecords = 0;
  }
}

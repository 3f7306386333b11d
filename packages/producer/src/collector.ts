/**
 * Collects sealed Kinesis records from the per-shard buffers into one PutRecords request.
 *
 * Rules: at most `maxRequestRecords` entries and `maxRequestBytes` bytes (a single larger entry
 * still goes alone); a shard's entries leave in queue order, and a shard stops at its first entry
 * that must wait (retry backoff, or its flow control has no tokens) — other shards keep going;
 * with `perShard` ordering a shard gives at most one entry and busy shards (a request in flight)
 * give none. The starting shard rotates per call so no shard is always served last.
 * It knows the flow gate's answers, not how they are computed; it sends nothing.
 */
import type { Accumulator, ShardBuffer } from './accumulator.js';
import type { KinesisEntry } from './pending.js';

export interface CollectLimits {
  readonly maxRequestRecords: number;
  readonly maxRequestBytes: number;
  readonly perShard: boolean;
}

export interface CollectGate {
  delayMs(shardId: string, records: number, bytes: number): number;
  take(shardId: string, records: number, bytes: number): void;
}

export interface Collected {
  readonly entries: KinesisEntry[];
  /** When nothing could be taken: how long until the soonest blocked shard may send (ms). */
  readonly waitMs: number;
}

export function collectRequest(
  acc: Accumulator,
  gate: CollectGate,
  limits: CollectLimits,
  busyShards: ReadonlySet<string>,
  rotation: number,
  now: number,
): Collected {
  const buffers: ShardBuffer[] = [...acc.buffers()];
  const entries: KinesisEntry[] = [];
  let bytes = 0;
  let waitMs = Infinity;
  const start = rotation % Math.max(1, buffers.length);
  for (let k = 0; k < buffers.length; k++) {
    const buffer = buffers[(start + k) % buffers.length] as ShardBuffer;
    if (limits.perShard && busyShards.has(buffer.shardId)) continue;
    for (let entry = acc.peek(buffer); entry !== undefined; entry = acc.peek(buffer)) {
      if (entry.notBeforeMs > now) {
        waitMs = Math.min(waitMs, entry.notBeforeMs - now);
        break;
      }
      if (entries.length >= limits.maxRequestRecords || (entries.length > 0 && bytes + entry.bytes > limits.maxRequestBytes)) {
        return { entries, waitMs: 0 };
      }
      const delayMs = gate.delayMs(buffer.shardId, 1, entry.bytes);
      if (delayMs > 0) {
        waitMs = Math.min(waitMs, delayMs);
        break;
      }
      acc.shift(buffer);
      gate.take(buffer.shardId, 1, entry.bytes);
      entries.push(entry);
      bytes += entry.bytes;
      if (limits.perShard) break;
    }
  }
  return { entries, waitMs };
}

/**
 * The poller of one shard: GetRecords in a loop within the shard's read budget, records cut into
 * batch items and dealt to lanes by partition key, until the shard ends or the mapping stops.
 *
 * Invariants:
 * - At most 5 GetRecords calls per second per shard (AWS limit): calls are ≥ 200 ms apart while
 *   records flow, 1 s apart when the shard is idle (Lambda polls idle shards about once a second).
 * - Bounded memory: the lanes of a shard hold at most `maxBufferedItems` (2 × batchSize ×
 *   parallelizationFactor, e.g. 200 for the defaults); the reader asks for no more than the free
 *   room and stops polling while there is none.
 * - The same partition key always goes to the same lane, so per-key order survives parallelism.
 * - Throttled reads wait 1 s; an expired iterator is renewed after the last sequence number read.
 */
import type { BatchItem } from './batch-item.js';
import type { ResolvedConfig } from './config.js';
import type { Lane } from './lane.js';
import { SourceReadError, type IteratorPosition, type ShardSource, type StreamRecord } from './shard-source.js';
import type { Signal } from './signal.js';

const CALL_SPACING_MS = 200;
const IDLE_POLL_MS = 1000;
const THROTTLED_WAIT_MS = 1000;
const ERROR_WAIT_MS = 1000;
const GET_RECORDS_MAX_LIMIT = 10_000;

export interface ShardReaderStats {
  getRecordsCalls: number;
  throttledCalls: number;
  failedCalls: number;
  recordsRead: number;
  userRecordsRead: number;
  /** now − arrival of the last record read (Lambda's IteratorAge), 0 when caught up. */
  iteratorAgeMs: number;
  /** The largest iteratorAgeMs seen since the shard was opened. */
  maxIteratorAgeMs: number;
  lastError?: string;
}

export interface ShardReaderDeps {
  source: ShardSource;
  config: ResolvedConfig;
  lanes: readonly Lane[];
  /** Notified by the lanes when they take items from their buffers. */
  taken: Signal;
  toItems(record: StreamRecord): BatchItem[];
  now(): number;
  sleep(ms: number): Promise<void>;
  isStopped(): boolean;
}

export class ShardReader {
  readonly stats: ShardReaderStats = {
    getRecordsCalls: 0,
    throttledCalls: 0,
    failedCalls: 0,
    recordsRead: 0,
    userRecordsRead: 0,
    iteratorAgeMs: 0,
    maxIteratorAgeMs: 0,
  };
  private readonly maxBufferedItems: number;

  constructor(
    readonly shardId: string,
    private readonly position: IteratorPosition,
    private readonly deps: ShardReaderDeps,
  ) {
    this.maxBufferedItems = 2 * deps.config.batchSize * deps.config.parallelizationFactor;
  }

  get bufferedItems(): number {
    return this.deps.lanes.reduce((n, lane) => n + lane.buffered, 0);
  }

  /** Reads until the shard ends (true) or the mapping stops (false). */
  async run(): Promise<boolean> {
    const { source, sleep, isStopped } = this.deps;
    let iterator: string | undefined;
    let lastSequenceNumber: string | undefined;
    while (!isStopped()) {
      const free = this.maxBufferedItems - this.bufferedItems;
      if (free <= 0) {
        await this.deps.taken.wait();
        continue;
      }
      let waitMs = CALL_SPACING_MS;
      try {
        iterator ??= await source.getShardIterator(
          this.shardId,
          lastSequenceNumber === undefined ? this.position : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequenceNumber },
        );
        this.stats.getRecordsCalls++;
        const page = await source.getRecords(iterator, Math.min(free, GET_RECORDS_MAX_LIMIT));
        for (const record of page.records) this.dispatch(record);
        const last = page.records.at(-1);
        if (last !== undefined) lastSequenceNumber = last.sequenceNumber;
        this.stats.iteratorAgeMs = last === undefined ? 0 : Math.max(0, Math.round(this.deps.now() / 1000 - last.arrivalMs));
        this.stats.maxIteratorAgeMs = Math.max(this.stats.maxIteratorAgeMs, this.stats.iteratorAgeMs);
        if (page.nextIterator === undefined) return true;
        iterator = page.nextIterator;
        if (page.records.length === 0) waitMs = IDLE_POLL_MS;
      } catch (error) {
        if (error instanceof SourceReadError && error.code === 'THROTTLED') {
          this.stats.throttledCalls++;
          waitMs = THROTTLED_WAIT_MS;
        } else if (error instanceof SourceReadError && error.code === 'ITERATOR_EXPIRED') {
          iterator = undefined;
        } else {
          this.stats.failedCalls++;
          this.stats.lastError = error instanceof Error ? error.message : String(error);
          iterator = undefined;
          waitMs = ERROR_WAIT_MS;
        }
      }
      await sleep(waitMs);
    }
    return false;
  }

  private dispatch(record: StreamRecord): void {
    this.stats.recordsRead++;
    for (const item of this.deps.toItems(record)) {
      this.stats.userRecordsRead += item.userRecords.length;
      const lanes = this.deps.lanes;
      (lanes[laneIndex(item.partitionKey, lanes.length)] as Lane).push(item);
    }
  }
}

/** FNV-1a of the key, modulo the lane count: stable, cheap, spreads 'user-1'…'user-9' evenly. */
export function laneIndex(partitionKey: string, lanes: number): number {
  if (lanes === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i++) {
    hash ^= partitionKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

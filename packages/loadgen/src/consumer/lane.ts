/**
 * One lane of one shard: a FIFO of batch items and the loop that cuts them into batches and runs
 * each batch to completion before the next (Lambda's one-batch-at-a-time per shard, or per lane with
 * a ParallelizationFactor).
 *
 * Invariants:
 * - A batch holds at most `batchSize` items and ~6 MB of payload; a single larger item goes alone.
 * - With `maxBatchingWindowMs` > 0, a partial batch waits until it is full or its first item has
 *   waited the window (window 500 ms, first item buffered at t = 0 → invoked by t ≈ 500 ms).
 * - `taken` notifies the shard reader, which stops polling while its lanes hold too much.
 */
import type { BatchItem } from './batch-item.js';
import { runBatch, type BatchRunnerDeps } from './batch-runner.js';
import { MAX_PAYLOAD_BYTES } from './config.js';
import { Signal } from './signal.js';

export class Lane {
  private readonly items: BatchItem[] = [];
  private readonly arrived = new Signal();
  private closed = false;
  private running = false;
  private firstBufferedUs = 0;

  constructor(
    private readonly deps: BatchRunnerDeps,
    /** Notified whenever items leave the buffer. */
    private readonly taken: Signal,
  ) {}

  get buffered(): number {
    return this.items.length;
  }

  /** True while a batch is being delivered (including its retries). */
  get busy(): boolean {
    return this.running;
  }

  push(item: BatchItem): void {
    if (this.items.length === 0) this.firstBufferedUs = this.deps.now();
    this.items.push(item);
    this.arrived.notify();
  }

  /** No more items will come (the shard ended or the mapping stops). */
  close(): void {
    this.closed = true;
    this.arrived.notify();
  }

  /** Delivers batches until closed and empty, or until the mapping stops. */
  async run(): Promise<void> {
    const { config } = this.deps;
    while (!this.deps.isStopped()) {
      if (this.items.length === 0) {
        if (this.closed) return;
        await this.arrived.wait();
        continue;
      }
      const waitedMs = (this.deps.now() - this.firstBufferedUs) / 1000;
      const windowLeftMs = config.maxBatchingWindowMs - waitedMs;
      if (windowLeftMs > 0 && !this.closed && !this.full()) {
        await Promise.race([this.arrived.wait(), this.deps.sleep(windowLeftMs)]);
        continue;
      }
      const batch = this.cut();
      this.taken.notify();
      this.running = true;
      try {
        await runBatch(batch, this.deps);
      } finally {
        this.running = false;
      }
    }
  }

  private full(): boolean {
    if (this.items.length >= this.deps.config.batchSize) return true;
    let bytes = 0;
    for (const item of this.items) bytes += item.payloadBytes;
    return bytes >= MAX_PAYLOAD_BYTES;
  }

  private cut(): BatchItem[] {
    let n = 0;
    let bytes = 0;
    for (const item of this.items) {
      if (n >= this.deps.config.batchSize) break;
      if (n > 0 && bytes + item.payloadBytes > MAX_PAYLOAD_BYTES) break;
      bytes += item.payloadBytes;
      n++;
    }
    const batch = this.items.splice(0, n);
    if (this.items.length > 0) this.firstBufferedUs = this.deps.now();
    return batch;
  }
}

/**
 * The account of every record of a run: scheduled → sent → acked | failed, and acked → consumed.
 *
 * Invariants:
 * - Membership is kept in bitsets by `seq` (see seq-bitset.ts), so memory is N/8 bytes per state,
 *   not an object per record. The one map is per partition key (last consumed seq, for ordering),
 *   bounded by the scenario's key space.
 * - Warmup records are accounted like any other: a record lost during warmup is still lost.
 * - Consumption is classified once per delivery: the first delivery of a seq is `first`; a delivery
 *   the consumer marks as a retry of a failed invocation is `redelivery` (Lambda's at-least-once
 *   retry); any other repeat is `duplicate` (a second copy in the stream, e.g. a producer retry
 *   after a timed-out PutRecords that had in fact succeeded).
 * - Out-of-order counts first deliveries whose seq is lower than an earlier-consumed seq of the
 *   same partition key: the stream order differs from the intended order.
 */
import { SeqBitset } from './seq-bitset.js';

/** How many lost seqs the report lists by name, to start an investigation. */
const LOST_SAMPLE_SIZE = 20;

export type Delivery = 'first' | 'duplicate' | 'redelivery';

/** The accounting section of result.json. */
export interface AccountingReport {
  scheduled: number;
  sent: number;
  acked: number;
  failed: number;
  /** Distinct records consumed. */
  consumed: number;
  /** Acked but never consumed. */
  lost: number;
  /** The lowest lost seqs, up to 20. */
  lostSeqsSample: number[];
  /** Failed records by error code, with the first message seen for each. */
  failedByReason: Record<string, { count: number; message: string }>;
  /** Extra copies in the stream, consumed as a first delivery more than once. */
  duplicated: number;
  /** Deliveries repeated by the consumer's retries of a failed invocation. */
  redelivered: number;
  /** First deliveries that arrived after a higher seq of the same partition key. */
  outOfOrder: number;
  /** Consumed but never acked (includes `failedButConsumed`). */
  consumedNotAcked: number;
  /** Reported failed by the producer, yet found in the stream (e.g. a timed-out request). */
  failedButConsumed: number;
  /** Scheduled but neither acked nor failed when the run ended (never sent, or still in flight). */
  unresolved: number;
  /** Records scheduled during warmup (included in every count above). */
  warmup: number;
  /** Records read from the stream that carry no envelope of this run. */
  foreign: number;
}

export class Accounting {
  private readonly scheduledSet = new SeqBitset();
  private readonly sentSet = new SeqBitset();
  private readonly ackedSet = new SeqBitset();
  private readonly failedSet = new SeqBitset();
  private readonly consumedSet = new SeqBitset();
  private readonly warmupSet = new SeqBitset();
  private readonly lastSeqByKey = new Map<string, number>();
  private readonly failures = new Map<string, { count: number; message: string }>();
  private duplicated = 0;
  private redelivered = 0;
  private outOfOrder = 0;
  private foreign = 0;

  scheduled(seq: number, measured: boolean): void {
    this.scheduledSet.add(seq);
    if (!measured) this.warmupSet.add(seq);
  }

  sent(seq: number, measured: boolean): void {
    this.scheduled(seq, measured);
    this.sentSet.add(seq);
  }

  acked(seq: number, measured: boolean): void {
    this.sent(seq, measured);
    this.ackedSet.add(seq);
  }

  failed(seq: number, measured: boolean, code: string, message: string): void {
    this.scheduled(seq, measured);
    if (!this.failedSet.add(seq)) return;
    const entry = this.failures.get(code);
    if (entry === undefined) this.failures.set(code, { count: 1, message });
    else entry.count++;
  }

  isWarmup(seq: number): boolean {
    return this.warmupSet.has(seq);
  }

  consumed(seq: number, partitionKey: string, redelivery: boolean): Delivery {
    if (!this.consumedSet.add(seq)) {
      if (redelivery) {
        this.redelivered++;
        return 'redelivery';
      }
      this.duplicated++;
      return 'duplicate';
    }
    const last = this.lastSeqByKey.get(partitionKey);
    if (last !== undefined && seq < last) this.outOfOrder++;
    else this.lastSeqByKey.set(partitionKey, seq);
    return 'first';
  }

  foreignRecord(): void {
    this.foreign++;
  }

  /** Records acked and not (yet) consumed. */
  get backlog(): number {
    return this.ackedSet.size - this.consumedSet.size;
  }

  /** Counts that change while the run goes on (cheap: no bitset scans). */
  get counters(): { sent: number; acked: number; failed: number; consumed: number } {
    return {
      sent: this.sentSet.size,
      acked: this.ackedSet.size,
      failed: this.failedSet.size,
      consumed: this.consumedSet.size,
    };
  }

  report(): AccountingReport {
    const lostSeqsSample: number[] = [];
    let lost = 0;
    this.ackedSet.forEachMissingFrom([this.consumedSet], (seq) => {
      if (lost++ < LOST_SAMPLE_SIZE) lostSeqsSample.push(seq);
    });
    const consumedNotAcked = this.consumedSet.countMissingFrom([this.ackedSet]);
    return {
      scheduled: this.scheduledSet.size,
      sent: this.sentSet.size,
      acked: this.ackedSet.size,
      failed: this.failedSet.size,
      consumed: this.consumedSet.size,
      lost,
      lostSeqsSample,
      failedByReason: Object.fromEntries(this.failures),
      duplicated: this.duplicated,
      redelivered: this.redelivered,
      outOfOrder: this.outOfOrder,
      consumedNotAcked,
      failedButConsumed: consumedNotAcked - this.consumedSet.countMissingFrom([this.ackedSet, this.failedSet]),
      unresolved: this.scheduledSet.countMissingFrom([this.ackedSet, this.failedSet]),
      warmup: this.warmupSet.size,
      foreign: this.foreign,
    };
  }
}

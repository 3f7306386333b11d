/**
 * One part of an interleaved split of a schedule: part `index` of `count` sends records
 * index, index + count, index + 2·count, … of the unsplit schedule, at the unsplit times.
 *
 * Invariants: the parts' intended times merged are exactly the unsplit schedule's times (same
 * phases, same seed, same Poisson draws: every part walks the whole schedule and keeps its share),
 * so at every instant each part runs at rate/count within one record, through ramps and Poisson
 * bursts alike; a part numbers its own records 0, 1, 2, … (its seq), and its record `seq` is the
 * unsplit record `index + seq·count`. Splits compose: part t of M of part i of N is part
 * i + N·t of N·M. Walking the skipped records costs one `take()` each (~50 ns), so 4 parts of a
 * 100,000 records/s run spend ~20 ms per second each on records they do not send.
 */
import type { Schedule } from './schedule.js';

/** Which share of the unsplit run a process or thread sends. */
export interface WorkerPart {
  /** 0 ≤ index < count. */
  index: number;
  /** Number of parts, ≥ 1. */
  count: number;
}

/** The whole run as one part. */
export const WHOLE_RUN: WorkerPart = { index: 0, count: 1 };

/** Part `inner` of part `outer`, as a part of the unsplit run. */
export function composeParts(outer: WorkerPart, inner: WorkerPart): WorkerPart {
  return { index: outer.index + outer.count * inner.index, count: outer.count * inner.count };
}

/** The unsplit record number of a part's record `seq`. */
export function unsplitIndex(part: WorkerPart, seq: number): number {
  return part.index + seq * part.count;
}

export function createPartSchedule(whole: Schedule, part: WorkerPart): Schedule {
  const { index, count } = part;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(`Expected a part with 0 ≤ index < count, got ${index} of ${count}`);
  }
  if (count === 1) return whole;
  const skip = (n: number): void => {
    for (let i = 0; i < n && whole.peekOffsetUs() !== Infinity; i++) whole.take();
  };
  skip(index);
  let taken = 0;
  return {
    peekOffsetUs: () => whole.peekOffsetUs(),
    take() {
      whole.take();
      const seq = taken;
      taken += 1;
      skip(count - 1);
      return seq;
    },
    get measured() {
      return whole.measured;
    },
    get phaseIndex() {
      return whole.phaseIndex;
    },
    get taken() {
      return taken;
    },
    totalDurationUs: whole.totalDurationUs,
    expectedCountAt: (offsetUs) => whole.expectedCountAt(offsetUs) / count,
    rateAt: (offsetUs) => whole.rateAt(offsetUs) / count,
  };
}

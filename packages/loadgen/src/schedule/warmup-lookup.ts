/**
 * Which records of a part are warm-up, answered from the schedule alone: the consumer side of a
 * threaded run learns a record's phase without waiting for the sending thread to report it.
 *
 * Invariants: the answer is exact (the lookup walks a copy of the part's schedule: same phases,
 * same seed, same Poisson draws); it walks lazily, only as far as the highest seq asked about, and
 * keeps one entry per change of warm-up state, so memory is bounded by the phase count. A seq
 * beyond the end of the schedule counts as measured.
 */
import { forkRandom } from '../random.js';
import { createPartSchedule, type WorkerPart } from './part-schedule.js';
import { createSchedule, type SchedulePhase } from './schedule.js';

export function createWarmupLookup(phases: readonly SchedulePhase[], seed: number, part: WorkerPart): (seq: number) => boolean {
  // No warm-up phase, nothing to walk.
  if (!phases.some((phase) => phase.warmup)) return () => false;
  const schedule = createPartSchedule(createSchedule(phases, forkRandom(seed, 'arrivals')), part);
  // [first seq, warm-up?] at each change, ascending.
  const changes: [number, boolean][] = [];
  let walked = 0;
  return (seq) => {
    while (walked <= seq && schedule.peekOffsetUs() !== Infinity) {
      const warmup = !schedule.measured;
      if (changes.at(-1)?.[1] !== warmup) changes.push([walked, warmup]);
      schedule.take();
      walked += 1;
    }
    if (seq >= walked) return false;
    for (let i = changes.length - 1; i >= 0; i--) {
      const change = changes[i] as [number, boolean];
      if (change[0] <= seq) return change[1];
    }
    return false;
  };
}

/**
 * The open-model schedule: the intended send time of every record, from the phases alone.
 *
 * Invariants: intended times never depend on how fast the system answers (that is what keeps
 * latency free of coordinated omission); they are non-decreasing; the same phases and seed give
 * the same times. Each phase's cumulative target count is N(t) = r0·t + (r1 − r0)·t²/(2·D), the
 * integral of a rate that moves linearly from r0 to r1 over D seconds. Record k of a phase is
 * due when N(t) reaches u_k: u_k = k for uniform arrivals, u_k = a sum of k+1 exponential gaps
 * of mean 1 for Poisson arrivals. Worked number: rate 500 → rampTo 5000 over 30 s targets
 * (500 + 5000)/2 · 30 = 82,500 records, and record 41,250 (half of them) is due where
 * 500·t + 75·t² = 41,250, at t ≈ 20.35 s rather than 15 s, because the end of the ramp is denser.
 *
 * The schedule allocates nothing per record: `peekOffsetUs()` and `take()` walk it in place.
 */
import { randomExponential, type Random } from '../random.js';

/** What the scheduler needs from a phase (a validated scenario phase fits). */
export interface SchedulePhase {
  name?: string | undefined;
  durationMs: number;
  /** Records per second at the phase start. */
  rate: number;
  /** Records per second at the phase end (linear ramp); default: `rate`. */
  rampTo?: number | undefined;
  arrival: 'uniform' | 'poisson';
  /** Warmup records are sent and accounted but kept out of latency histograms. */
  warmup: boolean;
}

export interface Schedule {
  /** Intended time of the next record, µs after the run start; `Infinity` when done. */
  peekOffsetUs(): number;
  /** Consumes the record `peekOffsetUs()` described and returns its sequence number. */
  take(): number;
  /** Whether the record `peekOffsetUs()` describes belongs to a measured (non-warmup) phase. */
  readonly measured: boolean;
  /** Index of the phase of the record `peekOffsetUs()` describes. */
  readonly phaseIndex: number;
  /** Records taken so far. */
  readonly taken: number;
  /** Total length of all phases, µs. */
  readonly totalDurationUs: number;
  /** Records the phases ask for up to `offsetUs` (the target curve; fractional). */
  expectedCountAt(offsetUs: number): number;
  /** The target rate (records/s) at `offsetUs`; 0 before the start and after the end. */
  rateAt(offsetUs: number): number;
}

/** The highest rate the phases ask for (records/s): the largest `rate` or `rampTo`; 0 for none. */
export function peakRate(phases: readonly Pick<SchedulePhase, 'rate' | 'rampTo'>[]): number {
  let peak = 0;
  for (const phase of phases) peak = Math.max(peak, phase.rate, phase.rampTo ?? 0);
  return peak;
}

/** Cumulative target count of a phase after `tSec` seconds. */
export function phaseCountAt(phase: SchedulePhase, tSec: number): number {
  const durationSec = phase.durationMs / 1000;
  const t = Math.min(Math.max(tSec, 0), durationSec);
  const r0 = phase.rate;
  const r1 = phase.rampTo ?? phase.rate;
  if (durationSec === 0) return 0;
  return r0 * t + ((r1 - r0) * t * t) / (2 * durationSec);
}

/** Seconds into the phase at which its cumulative count reaches `count` (inverse of phaseCountAt). */
export function phaseTimeForCount(phase: SchedulePhase, count: number): number {
  const durationSec = phase.durationMs / 1000;
  const b = phase.rate;
  const a = ((phase.rampTo ?? phase.rate) - phase.rate) / (2 * durationSec);
  if (count <= 0) return 0;
  // Root of a·t² + b·t − count = 0 written as 2c / (b + √(b² + 4ac)): stable when a → 0 and for
  // ramps down (a < 0), where the textbook form cancels catastrophically.
  const discriminant = Math.max(b * b + 4 * a * count, 0);
  const denominator = b + Math.sqrt(discriminant);
  if (denominator <= 0) return durationSec;
  return Math.min((2 * count) / denominator, durationSec);
}

export function createSchedule(input: readonly SchedulePhase[], random: Random): Schedule {
  // One object shape for every phase. Parsed scenario phases differ in key order (a phase with
  // `warmup: true` in the file has it before `durationMs`), so each phase had its own hidden
  // class, and the first record of the next phase deoptimised take(), the measured getter and
  // everything the pacer inlined them into, in the middle of the run (~0.1 s of unoptimised code
  // at the warm-up → measured switch).
  const phases: readonly SchedulePhase[] = input.map((phase) => ({
    name: phase.name,
    durationMs: phase.durationMs,
    rate: phase.rate,
    rampTo: phase.rampTo,
    arrival: phase.arrival,
    warmup: phase.warmup,
  }));
  const startsUs: number[] = [];
  let totalDurationUs = 0;
  for (const phase of phases) {
    startsUs.push(totalDurationUs);
    totalDurationUs += phase.durationMs * 1000;
  }
  let phaseIndex = -1;
  let phase: SchedulePhase | undefined;
  let phaseTotal = 0; // N(D) of the current phase
  let u = 0; // cumulative-count coordinate of the next record in the current phase
  let nextOffsetUs = Infinity;
  let taken = 0;

  const drawGap = (): number => (phase?.arrival === 'poisson' ? randomExponential(random) : 1);

  function enterNextPhase(): void {
    for (;;) {
      phaseIndex += 1;
      phase = phases[phaseIndex];
      if (phase === undefined) {
        nextOffsetUs = Infinity;
        return;
      }
      phaseTotal = phaseCountAt(phase, phase.durationMs / 1000);
      // Uniform: the first record at t = 0. Poisson: after one exponential gap.
      u = phase.arrival === 'poisson' ? randomExponential(random) : 0;
      if (u < phaseTotal) {
        placeNext();
        return;
      }
    }
  }

  function placeNext(): void {
    const current = phase as SchedulePhase;
    nextOffsetUs = (startsUs[phaseIndex] as number) + phaseTimeForCount(current, u) * 1e6;
  }

  enterNextPhase();

  return {
    peekOffsetUs: () => nextOffsetUs,
    take() {
      if (nextOffsetUs === Infinity) throw new RangeError('Expected the schedule to have a next record, but it is finished');
      const seq = taken;
      taken += 1;
      u += drawGap();
      if (u < phaseTotal) placeNext();
      else enterNextPhase();
      return seq;
    },
    get measured() {
      return phase !== undefined && !phase.warmup;
    },
    get phaseIndex() {
      return phaseIndex;
    },
    get taken() {
      return taken;
    },
    totalDurationUs,
    expectedCountAt(offsetUs) {
      let count = 0;
      for (let i = 0; i < phases.length; i++) {
        const p = phases[i] as SchedulePhase;
        const start = startsUs[i] as number;
        if (offsetUs <= start) break;
        count += phaseCountAt(p, (offsetUs - start) / 1e6);
      }
      return count;
    },
    rateAt(offsetUs) {
      for (let i = 0; i < phases.length; i++) {
        const p = phases[i] as SchedulePhase;
        const start = startsUs[i] as number;
        const durationUs = p.durationMs * 1000;
        if (offsetUs < start || offsetUs >= start + durationUs) continue;
        const r1 = p.rampTo ?? p.rate;
        return p.rate + ((r1 - p.rate) * (offsetUs - start)) / durationUs;
      }
      return 0;
    },
  };
}

import { describe, expect, it } from 'vitest';
import { createRecordSource } from '../../src/generators/record-source.js';
import { createRandom, forkRandom } from '../../src/random.js';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import { composeParts, createPartSchedule, unsplitIndex, type WorkerPart } from '../../src/schedule/part-schedule.js';
import { createSchedule, type Schedule, type SchedulePhase } from '../../src/schedule/schedule.js';
import { createWarmupLookup } from '../../src/schedule/warmup-lookup.js';

const phase = (over: Partial<SchedulePhase>): SchedulePhase => ({ durationMs: 1_000, rate: 100, arrival: 'uniform', warmup: false, ...over });

/** Every record of a schedule: offset, measured flag, and the seq `take()` returned. */
function walk(schedule: Schedule): { offsetUs: number; measured: boolean; seq: number }[] {
  const out: { offsetUs: number; measured: boolean; seq: number }[] = [];
  while (schedule.peekOffsetUs() !== Infinity) {
    const offsetUs = schedule.peekOffsetUs();
    const measured = schedule.measured;
    out.push({ offsetUs, measured, seq: schedule.take() });
  }
  return out;
}

const PHASE_SETS: [string, SchedulePhase[]][] = [
  ['constant', [phase({ rate: 250 })]],
  ['warm-up, ramp up, Poisson', [phase({ warmup: true, rate: 50, durationMs: 400 }), phase({ rate: 100, rampTo: 900 }), phase({ rate: 600, arrival: 'poisson' })]],
  ['ramp down, pause, Poisson ramp', [phase({ rate: 800, rampTo: 10 }), phase({ rate: 0, durationMs: 300 }), phase({ rate: 20, rampTo: 700, arrival: 'poisson', durationMs: 1_500 })]],
];

describe('createPartSchedule', () => {
  it.each(PHASE_SETS.flatMap(([name, phases]) => [2, 3, 7].map((count) => [name, count, phases] as const)))(
    '%s split in %i: the parts interleave back into exactly the unsplit schedule',
    (_name, count, phases) => {
      const unsplit = walk(createSchedule(phases, createRandom(9)));
      const merged: typeof unsplit = new Array(unsplit.length);
      let total = 0;
      for (let index = 0; index < count; index++) {
        const part = walk(createPartSchedule(createSchedule(phases, createRandom(9)), { index, count }));
        part.forEach((record, i) => {
          expect(record.seq).toBe(i);
          merged[unsplitIndex({ index, count }, record.seq)] = { ...record, seq: unsplitIndex({ index, count }, record.seq) };
        });
        // An exact share: ⌈(n − index) / count⌉ records.
        expect(part).toHaveLength(Math.ceil((unsplit.length - index) / count));
        total += part.length;
      }
      expect(total).toBe(unsplit.length);
      expect(merged).toEqual(unsplit);
    },
  );

  it('reports rate and target count as the part’s share', () => {
    const phases = [phase({ rate: 100, rampTo: 500 })];
    const whole = createSchedule(phases, createRandom(1));
    const part = createPartSchedule(createSchedule(phases, createRandom(1)), { index: 1, count: 4 });
    expect(part.rateAt(500_000)).toBe(whole.rateAt(500_000) / 4);
    expect(part.expectedCountAt(1_000_000)).toBe(whole.expectedCountAt(1_000_000) / 4);
  });

  it('composes: thread t of M of part i of N is part i + N·t of N·M', () => {
    const phases = [phase({ rate: 300, arrival: 'poisson' })];
    const outer: WorkerPart = { index: 1, count: 3 };
    const nested = walk(createPartSchedule(createPartSchedule(createSchedule(phases, createRandom(4)), outer), { index: 1, count: 2 }));
    const flat = walk(createPartSchedule(createSchedule(phases, createRandom(4)), composeParts(outer, { index: 1, count: 2 })));
    expect(composeParts(outer, { index: 1, count: 2 })).toEqual({ index: 4, count: 6 });
    expect(nested).toEqual(flat);
  });

  it.each([
    [{ index: 2, count: 2 }],
    [{ index: -1, count: 2 }],
    [{ index: 0, count: 0 }],
    [{ index: 0.5, count: 2 }],
  ])('rejects %j', (part) => {
    expect(() => createPartSchedule(createSchedule([phase({})], createRandom(1)), part)).toThrow(RangeError);
  });
});

describe('createWarmupLookup', () => {
  it('answers each part seq’s warm-up state exactly as the schedule has it, asked in any order', () => {
    const phases = PHASE_SETS[1]?.[1] as SchedulePhase[];
    const part = { index: 2, count: 3 };
    const records = walk(createPartSchedule(createSchedule(phases, forkRandom(5, 'arrivals')), part));
    const isWarmup = createWarmupLookup(phases, 5, part);
    const order = records.map((r) => r.seq).reverse();
    expect(records.some((r) => !r.measured) && records.some((r) => r.measured)).toBe(true);
    for (const seq of order) expect(isWarmup(seq)).toBe(!(records[seq]?.measured ?? true));
    expect(isWarmup(records.length + 10)).toBe(false);
  });
});

describe('createRecordSource with a part', () => {
  it.each([
    ['{ zipf: 0.99, keys: 500 }'],
    ['{ hotspot: 0.2, keys: 100 }'],
    ['{ roundRobin: true, keys: 7 }'],
  ])('%s: each part’s keys are the unsplit run’s keys of its records', async (distribution) => {
    const scenario = parseScenarioText(
      `name: t\nseed: 11\nstream: { name: s }\nrecords: { template: iot, partitionKey: { distribution: ${distribution} } }\nphases: [{ duration: 1s, rate: 1 }]\n`,
    );
    const n = 300;
    const unsplit = await createRecordSource({ scenario, runId: 'whole', baseDir: '.' });
    const unsplitKeys = Array.from({ length: n }, (_, seq) => unsplit.next(seq, seq).partitionKey);
    const merged: (string | undefined)[] = new Array(n);
    const count = 3;
    for (let index = 0; index < count; index++) {
      const part = { index, count };
      const source = await createRecordSource({ scenario, runId: `w${index}`, baseDir: '.', part });
      for (let seq = 0; unsplitIndex(part, seq) < n; seq++) merged[unsplitIndex(part, seq)] = source.next(seq, seq).partitionKey;
    }
    expect(merged).toEqual(unsplitKeys);
  });
});

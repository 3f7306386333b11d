/**
 * Command-line overrides for quick runs: `--duration`, `--rate`, `--shards`, `--seed`, `--endpoint`,
 * `--backlog`.
 *
 * Invariant: overrides keep the scenario's shape. `--duration 20s` scales every phase so the
 * phases sum to 20 s (a 10 s warmup in a 100 s scenario becomes 2 s); `--rate 1000` scales every
 * rate so the peak becomes 1,000 records/s (a ramp 500 → 5,000 becomes 100 → 1,000). A bad flag
 * is a `ScenarioError` naming the flag.
 */
import { peakRate } from '../schedule/schedule.js';
import { parseDurationMs } from './duration.js';
import { ScenarioError } from './scenario-error.js';
import type { Scenario } from './schema.js';

/** Flag values as the CLI received them. */
export interface ScenarioOverrides {
  duration?: string | undefined;
  rate?: number | undefined;
  shards?: number | undefined;
  seed?: number | undefined;
  endpoint?: string | undefined;
  /** Backlog mode: start the consumer once this many acked records wait (`consumer.backlog.records`). */
  backlog?: number | undefined;
}

/** Just the override flags of a larger argument object (what a sending thread needs to rebuild the scenario). */
export function pickScenarioOverrides({ duration, rate, shards, seed, endpoint, backlog }: ScenarioOverrides): ScenarioOverrides {
  return { duration, rate, shards, seed, endpoint, backlog };
}

/** Returns a new scenario with the overrides applied; the input is not modified. */
export function applyOverrides(scenario: Scenario, overrides: ScenarioOverrides): Scenario {
  let phases = scenario.phases;
  if (overrides.duration !== undefined) {
    const targetMs = parseDurationMs(overrides.duration);
    if (targetMs === undefined || targetMs <= 0) {
      throw new ScenarioError(`Expected a duration > 0 like "20s" or "2m", got ${JSON.stringify(overrides.duration)}`, { fieldPath: '--duration' });
    }
    const totalMs = phases.reduce((sum, phase) => sum + phase.durationMs, 0);
    const factor = totalMs === 0 ? 0 : targetMs / totalMs;
    phases = phases.map((phase) => ({ ...phase, durationMs: Math.round(phase.durationMs * factor) }));
  }
  if (overrides.rate !== undefined) {
    const rate = overrides.rate;
    if (!Number.isFinite(rate) || rate < 0) {
      throw new ScenarioError(`Expected a number ≥ 0, got ${String(rate)}`, { fieldPath: '--rate' });
    }
    const peak = peakRate(phases);
    const factor = peak === 0 ? 0 : rate / peak;
    phases = phases.map((phase) => {
      const scaled = { ...phase, rate: peak === 0 ? rate : phase.rate * factor };
      if (phase.rampTo !== undefined) scaled.rampTo = phase.rampTo * factor;
      return scaled;
    });
  }
  const result: Scenario = { ...scenario, phases };
  if (overrides.shards !== undefined) {
    if (!Number.isInteger(overrides.shards) || overrides.shards < 1) {
      throw new ScenarioError(`Expected an integer ≥ 1, got ${String(overrides.shards)}`, { fieldPath: '--shards' });
    }
    result.stream = { ...scenario.stream, shards: overrides.shards };
  }
  if (overrides.seed !== undefined) {
    if (!Number.isInteger(overrides.seed) || overrides.seed < 0 || overrides.seed > 4_294_967_295) {
      throw new ScenarioError(`Expected an integer ≥ 0 and ≤ 4294967295, got ${String(overrides.seed)}`, { fieldPath: '--seed' });
    }
    result.seed = overrides.seed;
  }
  if (overrides.endpoint !== undefined) {
    if (!URL.canParse(overrides.endpoint)) {
      throw new ScenarioError(`Expected a URL like "http://127.0.0.1:4567", got ${JSON.stringify(overrides.endpoint)}`, { fieldPath: '--endpoint' });
    }
    const region = scenario.target.kind === 'local' ? 'us-east-1' : scenario.target.region;
    result.target = { kind: 'endpoint', endpoint: overrides.endpoint, region };
  }
  if (overrides.backlog !== undefined) {
    if (!Number.isInteger(overrides.backlog) || overrides.backlog < 1) {
      throw new ScenarioError(`Expected an integer ≥ 1, got ${String(overrides.backlog)}`, { fieldPath: '--backlog' });
    }
    if (!scenario.consumer.enabled || scenario.consumer.startingPosition !== 'TRIM_HORIZON') {
      throw new ScenarioError('Expected a consumer that is enabled and starts at TRIM_HORIZON to drain a backlog', { fieldPath: '--backlog' });
    }
    result.consumer = { ...scenario.consumer, backlog: { records: overrides.backlog } };
  }
  return result;
}

/**
 * Human summary of a scenario's plan: target, stream, phases, expected record count. Shared by
 * `validate` (the whole answer) and `run` (its opening lines).
 *
 * Invariant: the expected count is the schedule's own arithmetic (phaseCountAt), so what validate
 * promises is what run sends: 10 s at 500/s + a 30 s ramp 500 → 5,000/s = 5,000 + 82,500.
 */
import { formatDurationMs } from '../scenario/duration.js';
import type { KeyDistribution } from '../scenario/key-distribution-schema.js';
import type { Phase, Scenario, Target } from '../scenario/schema.js';
import { peakRate, phaseCountAt } from '../schedule/schedule.js';
import type { WorkerPlan } from './worker-flags.js';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function describeTarget(target: Target): string {
  if (target.kind === 'local') return `embedded local-kinesis (limits ${target.limits})`;
  if (target.kind === 'aws') return `AWS ${target.region}`;
  return `${target.endpoint} (${target.region})`;
}

function describePhase(phase: Phase, index: number): string {
  const rate = phase.rampTo === undefined ? `${number.format(phase.rate)}/s` : `${number.format(phase.rate)}→${number.format(phase.rampTo)}/s`;
  const tags = [phase.arrival === 'poisson' ? 'poisson' : '', phase.warmup ? 'warmup, not measured' : ''].filter(Boolean);
  return `${phase.name ?? `phase ${index + 1}`} ${formatDurationMs(phase.durationMs)} ${rate}${tags.length > 0 ? ` (${tags.join(', ')})` : ''}`;
}

export function describeKeys(distribution: KeyDistribution): string {
  switch (distribution.kind) {
    case 'none':
      return 'keyless';
    case 'zipf':
      return `zipf(${distribution.exponent}) over ${number.format(distribution.keys)} keys`;
    case 'hotspot':
      return `hotspot: ${distribution.hotFraction * 100}% of ${number.format(distribution.keys)} keys get ${distribution.hotTrafficFraction * 100}%`;
    default:
      return `${distribution.kind} over ${number.format(distribution.keys)} keys`;
  }
}

/** Records the phases ask for (the schedule sends ⌈N⌉ per uniform phase, ~N for Poisson). */
export function expectedRecords(scenario: Scenario): number {
  return scenario.phases.reduce((sum, phase) => sum + phaseCountAt(phase, phase.durationMs / 1000), 0);
}

export function describeScenario(scenario: Scenario): string[] {
  const totalMs = scenario.phases.reduce((sum, phase) => sum + phase.durationMs, 0);
  const peak = peakRate(scenario.phases);
  const { stream, records } = scenario;
  const template = typeof records.template === 'string' ? records.template : 'JSON template';
  return [
    `target     ${describeTarget(scenario.target)}`,
    `stream     ${stream.name}, ${stream.shards} shard${stream.shards === 1 ? '' : 's'}${stream.create ? ' (created if missing)' : ''}`,
    `phases     ${scenario.phases.map(describePhase).join(' · ')}`,
    `records    ~${number.format(expectedRecords(scenario))} over ${formatDurationMs(totalMs)}, peak ${number.format(peak)}/s; ${template}, ${describeKeys(records.partitionKey.distribution)}${records.sizeBytes === undefined ? '' : `, padded to ${records.sizeBytes} B`}`,
    `consumer   ${scenario.consumer.enabled ? `${scenario.consumer.handler ?? 'no handler (read and measure)'}, batch ${scenario.consumer.batchSize}` : 'off'}`,
    `thresholds ${scenario.thresholds.length === 0 ? 'none' : scenario.thresholds.join(' · ')}`,
  ];
}

/** `worker     part 1 of 4: records 1, 5, 9, … of the unsplit run · 2 sending threads` */
export function describeWorkerPlan({ part, split, threads }: WorkerPlan): string {
  const { index, count } = part;
  const share = split ? `part ${index} of ${count}: records ${index}, ${index + count}, ${index + 2 * count}, … of the unsplit run` : 'the whole run';
  return `worker     ${share}${threads > 1 ? ` · ${threads} sending threads` : ''}`;
}

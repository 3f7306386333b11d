/**
 * `loadgen validate FILE`: checks a scenario without sending anything and prints its plan and a
 * sample record.
 *
 * Invariant: validate and run share `prepareRun`, so a scenario validate accepts is one run
 * accepts (network problems aside).
 */
import type { ScenarioOverrides } from '../scenario/overrides.js';
import { describeScenario } from './describe-scenario.js';
import { prepareRun } from './prepare-run.js';

export interface ValidateArgs extends ScenarioOverrides {
  scenario: string;
  /** Sample records to print. @default 1 */
  samples?: number | undefined;
}

export interface CommandIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** Resolves to the exit code (0); throws `ScenarioError` for a bad scenario (exit 2). */
export async function validateCommand(args: ValidateArgs, io: CommandIo): Promise<number> {
  const prepared = await prepareRun(args.scenario, args, { sampleCount: Math.max(1, args.samples ?? 1) });
  io.stdout(`${args.scenario}: ok — ${prepared.scenario.name}`);
  for (const line of describeScenario(prepared.scenario)) io.stdout(`  ${line}`);
  for (const sample of prepared.samples) {
    const key = sample.partitionKey === undefined ? 'no key' : `key ${sample.partitionKey}`;
    io.stdout(`  sample     ${sample.data.length} B, ${key}: ${new TextDecoder().decode(sample.data)}`);
  }
  return 0;
}

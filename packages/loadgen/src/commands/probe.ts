/**
 * `loadgen probe SCENARIO`: finds the highest rate the pipeline sustains by running the scenario
 * in short steps — doubling the rate while publish latency and consumer lag stay bounded, then
 * bisecting — and reports every step with its evidence.
 *
 * Invariants:
 * - Each step is a full `loadgen run` of the scenario scaled to the step's peak rate and length
 *   (same shape, warmup included), on its own stream; steps run one after another.
 * - At most `maxSteps` runs; exit 0 when some rate passed, 99 when none did (like a failed
 *   threshold), 2 for a bad flag or scenario.
 */
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { writeWhole } from '../merge/result-file.js';
import type { RunResult } from '../metrics/run-result.js';
import { bracket, DEFAULT_PROBE_BOUNDS, judgeStep, nextRate, type ProbeBounds, type ProbeStep } from '../plan/probe-search.js';
import { PlanInputError } from '../plan/plan-input.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { peakRate } from '../schedule/schedule.js';
import { formatNumber as n } from '../report/text-table.js';
import { defaultRunDeps } from './default-run-deps.js';
import { ExitCode, runCommand } from './run.js';

export interface ProbeArgs {
  scenario: string;
  /** First rate; @default the scenario's peak rate */
  startRate?: number | undefined;
  /** @default 64 × the start rate */
  maxRate?: number | undefined;
  /** Length of each step run. @default '20s' */
  stepDuration?: string | undefined;
  /** @default 8 */
  maxSteps?: number | undefined;
  bounds?: Partial<ProbeBounds>;
  /** Directory for probe.json and each step's result. */
  out?: string | undefined;
}

export interface ProbeDeps {
  /** Runs the scenario once at `rate` records/s peak and resolves to its result. */
  runStep: (rate: number) => Promise<RunResult>;
  stdout: (line: string) => void;
}

export interface ProbeReport {
  scenario: string;
  bounds: ProbeBounds;
  steps: ProbeStep[];
  /** Highest passing rate, records/s. */
  maxSustainableRate: number | undefined;
  /** Lowest failing rate above it. */
  firstFailingRate: number | undefined;
}

export async function runProbe(args: ProbeArgs, startRate: number, deps: ProbeDeps): Promise<ProbeReport> {
  const bounds = { ...DEFAULT_PROBE_BOUNDS, ...args.bounds };
  const maxSteps = args.maxSteps ?? 8;
  const maxRate = args.maxRate ?? startRate * 64;
  const steps: ProbeStep[] = [];
  const results: RunResult[] = [];
  for (let rate: number | undefined = startRate; rate !== undefined && steps.length < maxSteps; rate = nextRate(steps, { maxRate })) {
    const result = await deps.runStep(rate);
    const step = judgeStep(rate, result, bounds);
    steps.push(step);
    results.push(result);
    deps.stdout(formatStep(steps.length, step));
  }
  const { okMax, failMin } = bracket(steps);
  deps.stdout(
    okMax === undefined
      ? `No rate passed; the lowest tried was ${n(Math.min(...steps.map((s) => s.rate)))} records/s`
      : `Max sustainable rate ≈ ${n(okMax)} records/s` + (failMin === undefined ? ' (the highest tried)' : ` (${n(failMin)} failed)`),
  );
  const report = { scenario: args.scenario, bounds, steps, maxSustainableRate: okMax, firstFailingRate: failMin };
  if (args.out !== undefined) await writeEvidence(args.out, report, results);
  return report;
}

function formatStep(index: number, s: ProbeStep): string {
  const e = s.evidence;
  const figures = `acked ${n(e.achievedRatio * 100)}%, publish p99 ${n(e.publishP99Ms)} ms, e2e p99 ${n(e.e2eP99Ms)} ms, lost ${n(e.lost)}, throttled ${n(e.throttledPercent)}%`;
  return `step ${index}: ${n(s.rate)} records/s — ${s.ok ? 'ok' : `FAIL (${s.reasons.join('; ')})`} — ${figures}`;
}

async function writeEvidence(dir: string, report: ProbeReport, results: readonly RunResult[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeWhole(join(dir, 'probe.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const [i, result] of results.entries()) {
    await writeWhole(join(dir, `step-${i + 1}-${report.steps[i]?.rate ?? 0}.json`), `${JSON.stringify(result, null, 2)}\n`);
  }
}

/** One real `loadgen run` per step, its output silenced and its result captured. */
export function realStep(args: Pick<ProbeArgs, 'scenario' | 'stepDuration'>): (rate: number) => Promise<RunResult> {
  return async (rate) => {
    let captured: RunResult | undefined;
    const deps = defaultRunDeps();
    const quietIo = { ...deps.io, stdout: () => {}, stderr: () => {}, progress: () => {}, isTTY: false };
    const report = async (result: RunResult): Promise<void> => void (captured = result);
    const code = await runCommand({ scenario: args.scenario, rate, duration: args.stepDuration ?? '20s', quiet: true }, { ...deps, io: quietIo, report });
    if (captured === undefined) throw new Error(`Expected a result from the step at ${rate} records/s, got exit code ${code}`);
    return captured;
  };
}

/** The scenario's peak rate (at least 1 record/s, the probe's starting point). */
async function scenarioPeakRate(file: string): Promise<number> {
  const { scenario } = await loadScenarioFile(file);
  return Math.max(1, peakRate(scenario.phases));
}

interface ProbeArgv {
  scenario: string;
  'start-rate'?: number | undefined;
  'max-rate'?: number | undefined;
  'step-duration': string;
  'max-steps': number;
  'publish-p99-ms': number;
  'e2e-p99-ms': number;
  out?: string | undefined;
  json: boolean;
}

export const probeCommand: CommandModule<object, ProbeArgv> = {
  command: 'probe <scenario>',
  describe: 'Find the highest rate the pipeline sustains: short runs, doubling then bisecting',
  builder: (yargs) =>
    yargs
      .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
      .option('start-rate', { type: 'number', describe: 'First rate, records/s (default: the scenario peak)' })
      .option('max-rate', { type: 'number', describe: 'Never try above this (default: 64 × start)' })
      .option('step-duration', { type: 'string', default: '20s', describe: 'Length of each step run' })
      .option('max-steps', { type: 'number', default: 8, describe: 'Runs at most' })
      .option('publish-p99-ms', { type: 'number', default: DEFAULT_PROBE_BOUNDS.publishP99Ms, describe: 'Bound on corrected publish p99' })
      .option('e2e-p99-ms', { type: 'number', default: DEFAULT_PROBE_BOUNDS.e2eP99Ms, describe: 'Bound on end-to-end p99 (consumer keeps up)' })
      .option('out', { type: 'string', describe: 'Directory for probe.json and each step result' })
      .option('json', { type: 'boolean', default: false, describe: 'Print probe.json to stdout' }),
  handler: async (argv) => {
    for (const key of ['start-rate', 'max-rate', 'max-steps', 'publish-p99-ms', 'e2e-p99-ms'] as const) {
      const v = argv[key];
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new PlanInputError(`Expected \`--${key}\` to be > 0, got ${v}`);
    }
    const args: ProbeArgs = {
      scenario: argv.scenario,
      startRate: argv['start-rate'],
      maxRate: argv['max-rate'],
      stepDuration: argv['step-duration'],
      maxSteps: argv['max-steps'],
      bounds: { publishP99Ms: argv['publish-p99-ms'], e2eP99Ms: argv['e2e-p99-ms'] },
      out: argv.out,
    };
    const start = args.startRate ?? (await scenarioPeakRate(args.scenario));
    const print = (line: string): void => (argv.json ? console.error(line) : console.log(line));
    const report = await runProbe(args, start, { runStep: realStep(args), stdout: print });
    if (argv.json) console.log(JSON.stringify(report, null, 2));
    process.exitCode = report.maxSustainableRate === undefined ? ExitCode.ThresholdsFailed : ExitCode.Ok;
  },
};

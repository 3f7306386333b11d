import { describe, expect, it } from 'vitest';
import { runCli, type CliHandlers } from '../src/cli-app.js';
import type { RunArgs } from '../src/commands/run.js';
import type { ValidateArgs } from '../src/commands/validate.js';
import { ScenarioError } from '../src/scenario/scenario-error.js';

function capture(outcome: () => Promise<number> = async () => 0) {
  const calls: { command: string; args: RunArgs | ValidateArgs }[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const handlers: CliHandlers = {
    run: async (args) => {
      calls.push({ command: 'run', args });
      return outcome();
    },
    validate: async (args) => {
      calls.push({ command: 'validate', args });
      return outcome();
    },
  };
  return { calls, out, err, options: { handlers, io: { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) } } };
}

describe('runCli', () => {
  it.each([
    [['run', 's.yaml'], 'run', { scenario: 's.yaml', json: false, quiet: false }],
    [
      ['run', 's.yaml', '--duration', '20s', '--rate', '1000', '--shards', '8', '--seed', '7', '--endpoint', 'http://127.0.0.1:4567'],
      'run',
      { scenario: 's.yaml', duration: '20s', rate: 1000, shards: 8, seed: 7, endpoint: 'http://127.0.0.1:4567' },
    ],
    [['run', 's.yaml', '--out', 'results', '--json', '--drain-timeout', '5s', '--quiet'], 'run', { out: 'results', json: true, drainTimeout: '5s', quiet: true }],
    [['run', 's.yaml', '--worker-index', '1', '--worker-count', '4', '--workers', '2'], 'run', { workerIndex: 1, workerCount: 4, workers: 2 }],
    [['validate', 's.yaml', '--rate', '10', '--samples', '3'], 'validate', { scenario: 's.yaml', rate: 10, samples: 3 }],
  ])('parses %j into a %s call', async (argv, command, expected) => {
    const { calls, options } = capture();
    expect(await runCli(argv, options)).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.command).toBe(command);
    expect(calls[0]?.args).toMatchObject(expected);
  });

  it.each([
    [['run'], 'Not enough non-option arguments'],
    [['run', 's.yaml', '--colour', 'red'], 'Unknown argument: colour'],
    [['launch', 's.yaml'], 'Unknown arguments: launch'],
    [[], 'Expected a command'],
  ])('exits 2 with one message for the bad command line %j', async (argv, message) => {
    const { calls, err, options } = capture();
    expect(await runCli(argv, options)).toBe(2);
    expect(calls).toHaveLength(0);
    expect(err[0]).toContain(message);
  });

  it.each([
    ['a scenario error', async () => Promise.reject(new ScenarioError('Expected a number ≥ 0, got "fast"', { file: 'x.yaml', line: 12, fieldPath: 'phases[1].rate' })), 2, 'loadgen: x.yaml:12: phases[1].rate: Expected a number ≥ 0, got "fast"'],
    ['a producer option error', async () => Promise.reject(Object.assign(new Error('Expected `lingerMs` to be ≥ 0, got -1'), { code: 'ERR_INVALID_OPTION' })), 2, 'loadgen: Expected `lingerMs`'],
    ['a crash', async () => Promise.reject(new TypeError('boom')), 1, 'TypeError: boom'],
    ['failed thresholds', async () => 99, 99, undefined],
    ['an interrupt', async () => 130, 130, undefined],
  ])('maps %s to its exit code', async (_name, outcome, code, message) => {
    const { err, options } = capture(outcome);
    expect(await runCli(['run', 's.yaml'], options)).toBe(code);
    if (message === undefined) expect(err).toEqual([]);
    else expect(err[0]).toContain(message);
  });

  it('prints help with exit 0 and documents the exit codes', async () => {
    const { calls, out, options } = capture();
    expect(await runCli(['run', '--help'], options)).toBe(0);
    expect(calls).toHaveLength(0);
    expect(out.join('\n')).toContain('--drain-timeout');
    expect(await runCli(['--help'], options)).toBe(0);
    expect(out.join('\n')).toContain('99 thresholds failed');
  });
});

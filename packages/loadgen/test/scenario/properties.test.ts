/**
 * Property tests of scenario loading: whatever a scenario file holds — random text, a valid file
 * cut short, a field of the wrong type, an unknown key — the loader either accepts it or throws a
 * `ScenarioError` naming the file, the line and (for schema problems) the field path, and
 * `loadgen validate` turns that into exit 2 and one line on stderr, never a stack trace (exit 1 is
 * for crashes only).
 *
 * Mutations are made line by line on a block-style base file, so the expected line of each
 * problem is known without asking the YAML parser: the line of the key whose value was replaced,
 * or the line that was inserted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli-app.js';
import { validateCommand } from '../../src/commands/validate.js';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';

const BASE_LINES = [
  'name: props', //                      1
  'seed: 7', //                          2
  'stream:', //                          3
  '  name: props-stream', //             4
  '  shards: 2', //                      5
  'records:', //                         6
  '  template: clickstream', //          7
  '  partitionKey:', //                  8
  '    field: userId', //                9
  '    distribution:', //                10
  '      uniform: true', //              11
  '      keys: 100', //                  12
  'phases:', //                          13
  '  - name: warmup', //                 14
  '    duration: 2s', //                 15
  '    rate: 100', //                    16
  '  - name: steady', //                 17
  '    duration: 5s', //                 18
  '    rate: 200', //                    19
  'consumer:', //                        20
  '  batchSize: 50', //                  21
  'run:', //                             22
  '  drainTimeout: 10s', //              23
];
const BASE = BASE_LINES.join('\n') + '\n';
const FILE = 'scenarios/props.yaml';

/** Leaf fields: their 1-based line in BASE, path, and the kind of value they take. */
const LEAVES = [
  { line: 1, path: 'name', kind: 'string' },
  { line: 2, path: 'seed', kind: 'number' },
  { line: 4, path: 'stream.name', kind: 'string' },
  { line: 5, path: 'stream.shards', kind: 'number' },
  { line: 12, path: 'records.partitionKey.distribution.keys', kind: 'number' },
  { line: 15, path: 'phases[0].duration', kind: 'duration' },
  { line: 16, path: 'phases[0].rate', kind: 'number' },
  { line: 19, path: 'phases[1].rate', kind: 'number' },
  { line: 21, path: 'consumer.batchSize', kind: 'number' },
  { line: 23, path: 'run.drainTimeout', kind: 'duration' },
] as const;

/** Mappings an unknown key can be added to: the line it goes after, its indent, the parent path. */
const MAPPINGS = [
  { after: 2, indent: '', parent: '' },
  { after: 4, indent: '  ', parent: 'stream' },
  { after: 9, indent: '    ', parent: 'records.partitionKey' },
  { after: 16, indent: '    ', parent: 'phases[0]' },
  { after: 21, indent: '  ', parent: 'consumer' },
  { after: 23, indent: '  ', parent: 'run' },
] as const;

const notANumberString = fc.string({ maxLength: 12 }).map((s) => `x${s}`);
const structured = fc.oneof(fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
const WRONG_VALUE = {
  string: fc.oneof(structured, fc.integer()),
  number: fc.oneof(structured, notANumberString),
  duration: fc.oneof(structured, notANumberString),
} as const;

/** BASE with line `line` (1-based) replaced by `key: <value as JSON>` (JSON is valid YAML flow). */
function withValue(line: number, value: unknown): string {
  const lines = [...BASE_LINES];
  const old = lines[line - 1] as string;
  lines[line - 1] = `${old.slice(0, old.indexOf(':') + 1)} ${JSON.stringify(value)}`;
  return lines.join('\n') + '\n';
}

function withLineAfter(after: number, text: string): string {
  const lines = [...BASE_LINES];
  lines.splice(after, 0, text);
  return lines.join('\n') + '\n';
}

/** The ScenarioError `text` produces, or undefined when it is a valid scenario; anything else fails. */
function loaderOutcome(text: string): ScenarioError | undefined {
  try {
    parseScenarioText(text, FILE);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return error as ScenarioError;
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scenario-props-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `loadgen validate` on `text` through the CLI app with captured output. */
async function validateViaCli(text: string): Promise<{ code: number; stderr: string[] }> {
  const file = join(dir, 'scenario.yaml');
  await writeFile(file, text);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io = { stdout: (l: string) => stdout.push(l), stderr: (l: string) => stderr.push(l) };
  const code = await runCli(['validate', file], {
    io,
    handlers: { run: () => Promise.reject(new Error('run is not used here')), validate: (args) => validateCommand(args, io) },
  });
  return { code, stderr };
}

function expectUserErrorOutput({ code, stderr }: { code: number; stderr: string[] }): void {
  expect(code).toBe(2);
  expect(stderr).toHaveLength(1);
  expect(stderr[0]).toMatch(/^loadgen: .*scenario\.yaml(:\d+)?: /);
  expect(stderr.join('\n')).not.toMatch(/\n\s+at |Error: /);
}

describe('scenario files: bad input is a user error with its line and field path', () => {
  it('the base file is valid (so every failure below comes from the mutation)', async () => {
    expect(loaderOutcome(BASE)).toBeUndefined();
    expect((await validateViaCli(BASE)).code).toBe(0);
  });

  it.each(LEAVES)('a wrong type at $path (line $line)', async ({ line, path, kind }) => {
    await fc.assert(
      fc.asyncProperty(WRONG_VALUE[kind], async (value) => {
        const text = withValue(line, value);
        const error = loaderOutcome(text);
        expect(error).toBeDefined();
        expect(error?.fieldPath === path || error?.fieldPath?.startsWith(`${path}.`) === true || error?.fieldPath?.startsWith(`${path}[`) === true).toBe(true);
        expect(error?.line).toBe(line);
        expect(error?.message.startsWith(`${FILE}:${line}: ${path}`)).toBe(true);
      }),
      { numRuns: 25 },
    );
    // And once through the CLI, end to end.
    expectUserErrorOutput(await validateViaCli(withValue(line, kind === 'string' ? [1] : 'xyz')));
  });

  it.each(MAPPINGS)('an unknown key under "$parent"', async ({ after, indent, parent }) => {
    const key = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,10}$/).map((s) => `zz${s}`);
    await fc.assert(
      fc.property(key, fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean()), (name, value) => {
        const error = loaderOutcome(withLineAfter(after, `${indent}${name}: ${JSON.stringify(value)}`));
        expect(error?.fieldPath).toBe(parent === '' ? name : `${parent}.${name}`);
        expect(error?.line).toBe(after + 1);
        expect(error?.detail).toContain(`Unknown field \`${name}\``);
      }),
      { numRuns: 25 },
    );
    expectUserErrorOutput(await validateViaCli(withLineAfter(after, `${indent}zzUnknown: 1`)));
  });

  it('random text and valid files cut short: accepted or a ScenarioError with a line, never another exception', async () => {
    const randomText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.array(fc.constantFrom(...BASE_LINES, '- ', ': ', '{', '[', '"', '  - x', 'a: b: c', '\t', '&a', '*a', '!!int x'), { maxLength: 30 }).map((lines) => lines.join('\n')),
      fc.integer({ min: 0, max: BASE.length }).map((n) => BASE.slice(0, n)),
    );
    await fc.assert(
      fc.property(randomText, (text) => {
        const error = loaderOutcome(text);
        if (error === undefined) return;
        expect(error.code).toBe('ERR_LOADGEN_SCENARIO');
        expect(error.message).not.toContain('\n');
        // A problem with a field that exists is located; a missing top-level section may only be
        // known by its path.
        expect(error.line !== undefined || error.fieldPath !== undefined).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['an alias to an undefined anchor', 'name: *nowhere\n'],
    ['an alias bomb', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nname: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n'],
  ])('%s is a user error (exit 2), not a crash', async (_name, text) => {
    expect(loaderOutcome(text)?.detail).toMatch(/^Invalid YAML: /);
    expectUserErrorOutput(await validateViaCli(text));
  });

  it('random text through `loadgen validate`: exit 0 or 2, never a crash or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 120 }), fc.integer({ min: 0, max: BASE.length }).map((n) => BASE.slice(0, n))), async (text) => {
        const outcome = await validateViaCli(text);
        if (outcome.code === 0) return;
        expectUserErrorOutput(outcome);
      }),
      { numRuns: 40 },
    );
  });
});

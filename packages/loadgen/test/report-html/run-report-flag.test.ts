import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli-app.js';
import { defaultRunDeps } from '../../src/commands/default-run-deps.js';
import { runCommand, type RunArgs } from '../../src/commands/run.js';

const scenario = fileURLToPath(new URL('../plan/fixtures/probe-small.yaml', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('loadgen run --report', () => {
  it('passes the flag to the run handler', async () => {
    const captured: RunArgs[] = [];
    const run = (args: RunArgs): Promise<number> => {
      captured.push(args);
      return Promise.resolve(0);
    };
    const handlers = { run, validate: () => Promise.resolve(0) };
    const code = await runCli(['run', scenario, '--report', 'out/report.html'], { handlers, io: { stdout: () => {}, stderr: () => {} } });
    expect(code).toBe(0);
    expect(captured[0]?.report).toBe('out/report.html');
  });

  it('writes the HTML report of a real run against local-kinesis after the summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loadgen-run-report-'));
    dirs.push(dir);
    const stderr: string[] = [];
    const deps = defaultRunDeps();
    const io = { ...deps.io, stdout: () => {}, stderr: (l: string) => void stderr.push(l), progress: () => {}, isTTY: false };
    const file = join(dir, 'html', 'report.html');
    const code = await runCommand({ scenario, quiet: true, report: file }, { ...deps, io });
    expect(code).toBe(0);
    expect(stderr.at(-1)).toBe(`HTML report written to ${file}`);
    const html = await readFile(file, 'utf8');
    expect(html).toContain('<title>loadgen report: probe-small</title>');
    expect(html).toMatch(/<tr><th>lost<\/th><td>0<\/td>/);
  }, 30_000);
});

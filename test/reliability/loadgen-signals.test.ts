/**
 * Shutdown of a real `loadgen run` process (the built CLI, packages/loadgen/dist/cli.js) by
 * signal. SIGINT (Ctrl-C) and SIGTERM (a container stop, `kill`) both stop the send, flush the
 * producer, let the consumer drain, write the report to `--out` and exit 130, as documented in
 * `loadgen --help`. A second SIGINT during that drain exits 130 at once, without the report.
 *
 * The scenario asks for 60 s at 300 records/s; the signal comes ~2 s in, so each run is seconds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '@shardline/loadgen';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'packages/loadgen/dist/cli.js');
const SLOW_HANDLER = join(ROOT, 'scenarios/handlers/slow-consumer.mjs');

let dir = '';
beforeAll(async () => {
  // The child runs the built CLI, so build it (and the packages it uses) from the current sources.
  await promisify(execFile)(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/loadgen'], { cwd: ROOT }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc -b packages/loadgen failed:\n${error.stdout ?? ''}`);
  });
  dir = await mkdtemp(join(tmpdir(), 'loadgen-signals-'));
}, 180_000);
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function scenario(name: string, handler?: string): string {
  return [
    `name: ${name}`,
    'seed: 3',
    'target: { local: { limits: aws } }',
    `stream: { name: ${name}, shards: 2 }`,
    'records: { template: clickstream, partitionKey: { field: userId, distribution: { uniform: true, keys: 1000 } } }',
    'phases:',
    '  - { name: steady, duration: 60s, rate: 300 }',
    handler === undefined ? 'consumer: { batchSize: 100 }' : `consumer: { batchSize: 100, handler: ${JSON.stringify(handler)} }`,
    'run: { drainTimeout: 30s }',
    '',
  ].join('\n');
}

interface Child {
  proc: ChildProcess;
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
}

function startRun(file: string, out: string, env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [CLI, 'run', file, '--out', out, '--quiet'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  proc.stdout?.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((done) =>
    proc.on('exit', (code, signal) => done({ code, signal, atMs: performance.now() })),
  );
  return { proc, stderr, exited };
}

/** Resolves once the run has been sending for `afterMs` (its banner is the first stderr line). */
async function running(child: Child, afterMs: number): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (!child.stderr.join('').includes('loadgen run')) {
    if (performance.now() > deadline) throw new Error(`the run did not start: ${child.stderr.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, afterMs));
}

describe('loadgen run stopped by a signal', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: drains, writes the report, exits 130', async (signal) => {
    const name = `sig-${signal.toLowerCase()}`;
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, scenario(name));
    const out = join(dir, `${name}-out`);
    const child = startRun(file, out);
    await running(child, 2_000);
    child.proc.kill(signal);
    const { code } = await child.exited;

    expect(code).toBe(130);
    expect(child.stderr.join('')).toContain('Interrupted: stopping the send, draining and writing the report');
    const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(result.meta).toMatchObject({ interrupted: true, drained: true });
    // Stopped early: far fewer than the 18,000 records of the full minute, and all accounted for.
    const { accounting } = result;
    expect(accounting.scheduled).toBeGreaterThan(100);
    expect(accounting.scheduled).toBeLessThan(18_000);
    expect(accounting.acked + accounting.failed).toBe(accounting.scheduled);
    expect(accounting).toMatchObject({ lost: 0, consumedNotAcked: 0 });
    expect(accounting.consumed).toBe(accounting.acked);
    console.info(`[reliability] ${signal}: ${JSON.stringify({ scheduled: accounting.scheduled, acked: accounting.acked, failed: accounting.failed, consumed: accounting.consumed, duplicated: accounting.duplicated, lost: accounting.lost })}`);
  }, 60_000);

  it('a second SIGINT during the drain exits 130 at once, without the report', async () => {
    const name = 'sig-twice';
    const file = join(dir, `${name}.yaml`);
    await writeFile(file, scenario(name, SLOW_HANDLER));
    const out = join(dir, `${name}-out`);
    // A consumer that takes 5 s per batch: the drain after the first Ctrl-C would take many seconds.
    const child = startRun(file, out, { SLOW_BATCH_MS: '5000' });
    await running(child, 2_000);
    child.proc.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    const secondAtMs = performance.now();
    child.proc.kill('SIGINT');
    const { code, atMs } = await child.exited;

    expect(code).toBe(130);
    expect(atMs - secondAtMs).toBeLessThan(2_000);
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  }, 60_000);
});

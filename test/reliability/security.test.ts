/**
 * Security hygiene.
 * - Credentials: a recognisable fake secret key and session token, given to the producer's client
 *   or to `loadgen run` through the environment, never appear in what a failing run shows: error
 *   messages, stacks, the errors as a logger would print them (util.inspect of the whole cause chain,
 *   JSON), metrics, stdout/stderr, result files and reports.
 * - local-kinesis listens on 127.0.0.1 only (the kernel's socket table says so).
 * - Handler and generator modules load from exactly the path the scenario names, resolved against
 *   the scenario file's directory (the loader's rule: `./`, `../` and absolute paths are the
 *   scenario author's choice); a bare name is never looked up as a package.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalKinesis } from '@shardline/local-kinesis';
import { createProducer } from '@shardline/producer';
import { defaultRunDeps, runCli, runCommand, ScenarioError } from '@shardline/loadgen';
import { prepareRun } from '../../packages/loadgen/src/commands/prepare-run.js';

const SECRET = 'FAKESECRETdoNotLeak0123456789abcdefghijkl';
const TOKEN = 'FAKESESSIONTOKENdoNotLeak9876543210zyxwvu';
const CREDENTIALS = { accessKeyId: 'AKIAFAKEFAKEFAKE0001', secretAccessKey: SECRET, sessionToken: TOKEN };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'security-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A port nothing listens on: bound, then closed. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function expectNoSecret(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(TOKEN);
}

describe('credentials never leak', () => {
  it.each([
    { name: 'an endpoint that refuses connections', refused: true },
    { name: 'a stream that does not exist', refused: false },
  ])('producer against $name: errors and metrics hold no secret', async ({ refused }) => {
    const local = await startLocalKinesis({ limits: 'off' });
    try {
      const endpoint = refused ? `http://127.0.0.1:${await refusedPort()}` : local.endpoint;
      const producer = createProducer({ streamName: 'missing', client: local.client({ endpoint, credentials: CREDENTIALS, maxAttempts: 1 }), backoffCapMs: 100, recordTtlMs: 1_000 });
      // A refused connection is retriable: `ready` keeps trying, and the record expires after its TTL.
      const readyState = producer.ready.then(() => undefined, (e: unknown) => e);
      const putError: unknown = await producer.put({ data: 'x', partitionKey: 'k' }).then(() => undefined, (e: unknown) => e);
      const readyError: unknown = await Promise.race([readyState, sleep(100).then(() => undefined)]);
      await Promise.race([producer.close().catch(() => undefined), sleep(2_000)]);
      expect(putError).toBeInstanceOf(Error);
      for (const error of [readyError, putError]) {
        if (error === undefined) continue;
        const e = error as Error;
        expectNoSecret(`${e.message}\n${e.stack ?? ''}\n${String(e.cause)}`);
        expectNoSecret(inspect(error, { depth: Infinity })); // the whole cause chain, SDK response included
        expectNoSecret(JSON.stringify(error));
      }
      expectNoSecret(JSON.stringify(producer.metrics()));
    } finally {
      await local.stop();
    }
  });

  it('loadgen run with credentials in the environment, against an endpoint that refuses: exits non-zero, no secret in any output or file', async () => {
    const file = join(dir, 'refused.yaml');
    const port = await refusedPort();
    await writeFile(
      file,
      [
        'name: refused',
        `target: { endpoint: "http://127.0.0.1:${port}" }`,
        'stream: { name: refused, shards: 1 }',
        'records: { template: clickstream, partitionKey: { field: userId, distribution: { uniform: true, keys: 10 } } }',
        'phases: [{ name: p, duration: 2s, rate: 50 }]',
        'consumer: { enabled: false }',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'refused-out');
    // The CLI app with the real run command, in this process (a worker of its own), with the
    // credentials where the AWS config chain finds them.
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: TOKEN, AWS_REGION: 'us-east-1' });
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io = { stdout: (l: string) => void stdout.push(l), stderr: (l: string) => void stderr.push(l) };
    const deps = { ...defaultRunDeps(), io: { ...io, progress: (t: string) => void stderr.push(t), isTTY: false }, onInterrupt: () => () => {} };
    let code: number;
    try {
      code = await runCli(['run', file, '--out', out, '--quiet', '--json'], { io, handlers: { run: (args) => runCommand(args, deps), validate: () => Promise.resolve(0) } });
    } finally {
      for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
    const outcome = { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toMatch(/ECONNREFUSED|connect|refused/i);
    expectNoSecret(outcome.stdout + outcome.stderr);
    const files = await readdir(out).catch(() => [] as string[]);
    for (const name of files) expectNoSecret(await readFile(join(out, name), 'utf8'));
  }, 120_000);
});

describe('local-kinesis listens on 127.0.0.1 only', () => {
  it('its listening socket is bound to 127.0.0.1, per /proc/net/tcp and tcp6', async () => {
    const local = await startLocalKinesis({ limits: 'off' });
    try {
      const portHex = local.port.toString(16).toUpperCase().padStart(4, '0');
      const listening: string[] = [];
      for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
        const text = await readFile(table, 'utf8').catch(() => '');
        for (const line of text.split('\n').slice(1)) {
          const [, localAddress, , state] = line.trim().split(/\s+/);
          // State 0A is LISTEN; addresses are hex, little-endian per 32-bit word.
          if (state === '0A' && localAddress?.endsWith(`:${portHex}`) === true) listening.push(localAddress);
        }
      }
      expect(listening).toEqual([`0100007F:${portHex}`]);
      expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
    } finally {
      await local.stop();
    }
  });
});

describe('handler and generator modules load only from the paths the scenario names', () => {
  const scenarioWith = (consumer: string, template = 'clickstream'): string =>
    [
      'name: paths',
      'stream: { name: paths, shards: 1 }',
      `records: { template: ${JSON.stringify(template)}, partitionKey: { field: userId, distribution: { uniform: true, keys: 10 } } }`,
      'phases: [{ name: p, duration: 1s, rate: 1 }]',
      consumer,
      '',
    ].join('\n');

  async function layout(): Promise<{ scenarioDir: string; otherDir: string }> {
    const scenarioDir = join(dir, 'paths', 'scenarios');
    const otherDir = join(dir, 'paths', 'elsewhere');
    await mkdir(scenarioDir, { recursive: true });
    await mkdir(otherDir, { recursive: true });
    await writeFile(join(scenarioDir, 'h.mjs'), "export const handler = () => 'scenario-dir handler';\n");
    await writeFile(join(otherDir, 'h.mjs'), "export const handler = () => 'elsewhere handler';\n");
    await writeFile(join(scenarioDir, 'gen.mjs'), "export const keyField = 'userId';\nexport function createGenerator() { return { next: () => ({ userId: 'u', from: 'scenario-dir generator' }) }; }\n");
    return { scenarioDir, otherDir };
  }

  it.each([
    { name: './h.mjs resolves against the scenario directory', handler: './h.mjs', expected: 'scenario-dir handler' },
    { name: '../elsewhere/h.mjs loads exactly the file named', handler: '../elsewhere/h.mjs', expected: 'elsewhere handler' },
    { name: 'an absolute path loads exactly that file', handler: 'ABS', expected: 'elsewhere handler' },
  ])('$name', async ({ handler, expected }) => {
    const { scenarioDir, otherDir } = await layout();
    const file = join(scenarioDir, `s-${expected.length}-${handler.length}.yaml`);
    await writeFile(file, scenarioWith(`consumer: { handler: ${JSON.stringify(handler === 'ABS' ? join(otherDir, 'h.mjs') : handler)} }`, './gen.mjs'));
    // The working directory is not the scenario's: resolution must not depend on it.
    expect(process.cwd()).not.toBe(scenarioDir);
    const prepared = await prepareRun(file, {});
    expect(await (prepared.handler as unknown as () => Promise<string>)()).toBe(expected);
    expect(new TextDecoder().decode(prepared.samples[0]?.data)).toContain('scenario-dir generator');
  });

  it.each([
    { name: 'a package name as handler is a path beside the scenario, not a package', consumer: 'consumer: { handler: "fast-check" }', template: 'clickstream', fieldPath: 'consumer.handler', message: /Cannot load handler module .*scenarios[\\/]fast-check/ },
    { name: 'a package name as generator is not loaded', consumer: 'consumer: { enabled: false }', template: 'fast-check', fieldPath: 'records.template', message: /Unknown generator "fast-check"/ },
    { name: 'a generator path that does not exist is not searched for', consumer: 'consumer: { enabled: false }', template: './nowhere/gen.mjs', fieldPath: 'records.template', message: /Cannot load generator module .*scenarios[\\/]nowhere[\\/]gen\.mjs/ },
  ])('$name (exit 2)', async ({ consumer, template, fieldPath, message }) => {
    const { scenarioDir } = await layout();
    const file = join(scenarioDir, `bad-${fieldPath}-${template.length}.yaml`);
    await writeFile(file, scenarioWith(consumer, template));
    const error: unknown = await prepareRun(file, {}).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).fieldPath).toBe(fieldPath);
    expect((error as ScenarioError).message).toMatch(message);
  });
});

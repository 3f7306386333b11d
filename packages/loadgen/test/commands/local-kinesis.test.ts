import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ListStreamsCommand, ListShardsCommand } from '@aws-sdk/client-kinesis';
import type { LocalKinesis } from '@shardline/local-kinesis';
import { runLocalKinesis, type LocalKinesisArgs } from '../../src/commands/local-kinesis.js';

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function capture(): { lines: string[]; errors: string[]; io: { stdout: (l: string) => void; stderr: (l: string) => void } } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, io: { stdout: (line) => lines.push(line), stderr: (line) => errors.push(line) } };
}

describe('loadgen local-kinesis', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('serves, creates the stream, and stops on %s with exit 0 and the port freed', async (signal) => {
    const signals = new EventEmitter();
    const { lines, io } = capture();
    let ready!: (local: LocalKinesis) => void;
    const started = new Promise<LocalKinesis>((resolve) => (ready = resolve));
    const args: LocalKinesisArgs = { port: 0, limits: 'aws', stream: 'orders', shards: 3 };
    const run = runLocalKinesis(args, io, signals, { onReady: ready });

    const local = await started;
    expect(lines).toContain('stream orders: 3 shards, ACTIVE');
    expect(lines.some((line) => line.startsWith(`local-kinesis listening on ${local.endpoint}`))).toBe(true);
    const client = local.client();
    expect((await client.send(new ListStreamsCommand({}))).StreamNames).toEqual(['orders']);
    expect((await client.send(new ListShardsCommand({ StreamName: 'orders' }))).Shards).toHaveLength(3);

    signals.emit(signal);
    expect(await run).toBe(0);
    expect(lines.at(-1)).toBe(`local-kinesis stopped (${signal}); port ${local.port} is free`);
    expect(await canBind(local.port)).toBe(true);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it.each([
    [{ port: 0, limits: 'aws', shards: 2 }, 'Expected `--stream` with `--shards 2`, got no stream name'],
    [{ port: 0, limits: 'aws', stream: 's', shards: 0 }, 'Expected `--shards` to be an integer ≥ 1, got 0'],
    [{ port: -3, limits: 'off' }, 'Expected `port` to be an integer in [0, 65535], got -3'],
  ] as const)('exits 2 with one line for %j', async (args, message) => {
    const { errors, io } = capture();
    expect(await runLocalKinesis(args, io, new EventEmitter())).toBe(2);
    expect(errors).toEqual([message]);
  });

  it('exits 2 when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { errors, io } = capture();
      expect(await runLocalKinesis({ port, limits: 'aws' }, io, new EventEmitter())).toBe(2);
      expect(errors[0]).toMatch(new RegExp(`^Could not listen on 127.0.0.1:${port}: .*EADDRINUSE`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

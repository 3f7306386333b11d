/**
 * Each shipped scenario, shortened to seconds with the CLI's own overrides, run for real:
 * embedded local-kinesis (AWS limits) → shardline producer → stream → local event source mapping
 * → the scenario's Lambda-shaped handler, then the report written to disk.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunDeps, runCommand, type RunArgs, type RunResult } from '@shardline/loadgen';
import { startLocalKinesis } from '@shardline/local-kinesis';

// The overload scenario's consumer is slow on purpose (250 ms per batch); here it only needs to
// be slower than the producer for a moment, and to drain within the test's seconds.
process.env['SLOW_BATCH_MS'] = '30';
process.env['SLOW_RECORD_MS'] = '0.2';

let outRoot: string;
beforeAll(async () => {
  outRoot = await mkdtemp(join(tmpdir(), 'loadgen-e2e-'));
});
afterAll(async () => {
  await rm(outRoot, { recursive: true, force: true });
});

async function run(args: Omit<RunArgs, 'out' | 'quiet'>): Promise<{ code: number; result: RunResult; files: string[]; log: string[] }> {
  const out = join(outRoot, args.scenario.replace(/\W+/g, '-'));
  const log: string[] = [];
  const deps = defaultRunDeps();
  const code = await runCommand(
    { ...args, out, quiet: true },
    {
      ...deps,
      io: { stdout: (l) => log.push(l), stderr: (l) => log.push(l), progress: () => {}, isTTY: false },
      onInterrupt: () => () => {},
      exit: (c) => {
        throw new Error(`unexpected exit ${c}`);
      },
    },
  );
  const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8')) as RunResult;
  return { code, result, files: await readdir(out), log };
}

/** Every duplicate must come from a producer retry (at-least-once); none appear otherwise. */
function expectDuplicatesExplained(result: RunResult): void {
  const retries = (result.producer as { retries?: number } | undefined)?.retries ?? 0;
  expect(result.accounting.duplicated).toBeLessThanOrEqual(retries);
}

describe('shipped scenarios end to end', () => {
  it('clickstream: every record acked and consumed once, through the sessionize handler', async () => {
    const { code, result, files } = await run({ scenario: 'scenarios/clickstream.yaml', duration: '3s', rate: 400, drainTimeout: '20s' });
    expect([0, 99]).toContain(code); // latency thresholds depend on the machine; accounting does not
    const expected = (result.meta as { schedule: { expectedRecords: number } }).schedule.expectedRecords;
    expect(result.accounting.scheduled).toBeGreaterThan(expected * 0.9);
    // ordering: per-shard keeps each user's events in order, as sessionization needs.
    expect(result.accounting).toMatchObject({ failed: 0, lost: 0, consumedNotAcked: 0, foreign: 0, outOfOrder: 0 });
    expect(result.accounting.consumed).toBe(result.accounting.acked);
    expect(result.accounting.acked).toBe(result.accounting.scheduled);
    expectDuplicatesExplained(result);
    expect(result.thresholds?.find((t) => t.expression === 'lost == 0')?.ok).toBe(true);
    expect(result.latency.endToEnd.count).toBeGreaterThan(0);
    expect(result.latency.publish.count).toBe(result.accounting.acked - result.accounting.warmup);
    expect(result.consumer).toMatchObject({ functionErrors: 0 });
    expect(files).toEqual(expect.arrayContaining(['result.json', 'endToEnd.hgrm', 'endToEnd.hlog']));
  }, 60_000);

  it('iot-telemetry: padded 512-byte readings, all accounted for', async () => {
    const { result } = await run({ scenario: 'scenarios/iot-telemetry.yaml', duration: '3s', rate: 500, drainTimeout: '20s' });
    expect(result.accounting).toMatchObject({ failed: 0, lost: 0, consumedNotAcked: 0, outOfOrder: 0 });
    expect(result.accounting.consumed).toBe(result.accounting.scheduled);
    expectDuplicatesExplained(result);
    const producer = result.producer as { bytesPut: number; userRecordsPut: number };
    // 512 B per reading plus the partition key, aggregated: bytes per user record stay near 512.
    expect(producer.bytesPut / producer.userRecordsPut).toBeGreaterThan(512);
    expect(producer.bytesPut / producer.userRecordsPut).toBeLessThan(600);
  }, 60_000);

  it('overload: a 1-shard stream driven past its limit shows throttling, and no record is lost', async () => {
    const { code, result } = await run({ scenario: 'scenarios/overload.yaml', duration: '3s', rate: 2500, shards: 1, drainTimeout: '30s' });
    expect(code).toBe(99);
    expect(result.throttling.throttledAttempts).toBeGreaterThan(0);
    expect(result.thresholds?.find((t) => t.expression.startsWith('throttled.rate'))?.ok).toBe(false);
    // Failed records (expired under throttling) are reported with a reason, never as lost.
    expect(result.accounting.lost).toBe(0);
    expect(result.accounting.acked + result.accounting.failed).toBe(result.accounting.scheduled);
    expect(result.accounting.consumed).toBe(result.accounting.acked);
    expectDuplicatesExplained(result);
  }, 90_000);

  it('--endpoint: creates the stream through the Kinesis API of a server started elsewhere', async () => {
    const server = await startLocalKinesis({ limits: 'aws' });
    try {
      const { result, log } = await run({ scenario: 'scenarios/iot-telemetry.yaml', duration: '2s', rate: 200, endpoint: server.endpoint, drainTimeout: '20s' });
      expect(result.accounting).toMatchObject({ failed: 0, lost: 0 });
      expect(result.accounting.consumed).toBe(result.accounting.scheduled);
      expect(Object.keys(server.stats().streams)).toEqual(['telemetry']);
      expect(log.join('\n')).toContain(`target     ${server.endpoint} (us-east-1)`);
    } finally {
      await server.stop();
    }
  }, 60_000);
});

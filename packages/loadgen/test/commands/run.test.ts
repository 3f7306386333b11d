import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';
import { FIXTURES, fakeRunDeps } from './helpers.js';

const small = `${FIXTURES}small.yaml`;

describe('runCommand', () => {
  it('sends the whole schedule, accounts for every record and passes its thresholds', async () => {
    const { deps, captured } = fakeRunDeps();
    const code = await runCommand({ scenario: small, quiet: true }, deps);
    expect(code).toBe(0);
    const [result] = captured.results;
    // 100 ms × 200/s + 400 ms × 500/s = 20 + 200 records.
    expect(captured.puts).toHaveLength(220);
    expect(result?.accounting).toMatchObject({ scheduled: 220, sent: 220, acked: 220, consumed: 220, lost: 0, duplicated: 0, warmup: 20 });
    expect(result?.meta).toMatchObject({ scenario: 'small', interrupted: false, drained: true, schedule: { expectedRecords: 220, sentRecords: 220, unsentRecords: 0 } });
    expect(result?.thresholds).toEqual([expect.objectContaining({ expression: 'lost == 0', ok: true })]);
    expect(captured.producerOptions[0]).toMatchObject({ lingerMs: 5, streamName: 'small' });
    expect(captured.consumerStreams).toEqual(['small']);
    expect(captured.stopped).toEqual(expect.arrayContaining(['producer', 'consumer', 'local-kinesis']));
  });

  it('--worker-index 1 --worker-count 2 sends every second record of the unsplit run under its own run id', async () => {
    const { deps, captured } = fakeRunDeps();
    expect(await runCommand({ scenario: small, quiet: true, workerIndex: 1, workerCount: 2 }, deps)).toBe(0);
    const [result] = captured.results;
    // Unsplit: 20 warm-up + 200 records; part 1 of 2 sends records 1, 3, 5, …
    expect(captured.puts).toHaveLength(110);
    expect(result?.runId).toMatch(/^small-\d{8}T\d{6}-[0-9a-f]{6}-w1of2$/);
    expect(result?.meta).toMatchObject({ worker: { index: 1, count: 2 }, schedule: { expectedRecords: 110, sentRecords: 110, unsentRecords: 0 } });
    expect(result?.accounting).toMatchObject({ scheduled: 110, acked: 110, consumed: 110, lost: 0, foreign: 0, warmup: 10 });
    expect(captured.stderr.join('\n')).toContain('worker     part 1 of 2: records 1, 3, 5, … of the unsplit run');
  });

  it('rejects a bad split before anything is sent', async () => {
    const { deps, captured } = fakeRunDeps();
    const thrown = await runCommand({ scenario: small, quiet: true, workerIndex: 3, workerCount: 2 }, deps).catch((e: unknown) => e);
    expect((thrown as ScenarioError).message).toBe('--worker-index: Expected an integer ≥ 0 and < --worker-count (2), got 3');
    expect(captured.puts).toHaveLength(0);
    expect(captured.producerOptions).toHaveLength(0);
  });

  it('reads a deployed pipeline\'s output stream when consumer.stream names one', async () => {
    const { deps, captured } = fakeRunDeps();
    const code = await runCommand({ scenario: `${FIXTURES}output-stream.yaml`, quiet: true }, deps);
    expect(code).toBe(0);
    expect(captured.producerOptions[0]).toMatchObject({ streamName: 'small' });
    expect(captured.consumerStreams).toEqual(['small-enriched']);
  });

  it('applies flag overrides and exits 99 when a threshold fails, after reporting', async () => {
    const { deps, captured } = fakeRunDeps({ dropSeqs: new Set([5, 6]) });
    const code = await runCommand({ scenario: small, quiet: true, rate: 100, duration: '300ms', drainTimeout: '200ms' }, deps);
    expect(code).toBe(99);
    const [result] = captured.results;
    // 60 ms × 40/s → 3 records, 240 ms × 100/s → 24.
    expect(captured.puts).toHaveLength(27);
    expect(result?.accounting.lost).toBe(2);
    expect(result?.meta).toMatchObject({ drained: false });
    expect(result?.thresholds?.[0]?.ok).toBe(false);
  });

  it('records failed puts with their code instead of counting them as sent successfully', async () => {
    const { deps, captured } = fakeRunDeps({ failEvery: 10 });
    await runCommand({ scenario: small, quiet: true }, deps);
    const [result] = captured.results;
    expect(result?.accounting).toMatchObject({ acked: 198, failed: 22, failedByReason: { ERR_RECORD_EXPIRED: { count: 22, message: "Rate exceeded" } } });
  });

  it('on Ctrl-C stops sending, still drains and reports, and exits 130; a second Ctrl-C exits at once', async () => {
    const { deps, captured } = fakeRunDeps();
    const running = runCommand({ scenario: small, quiet: true, duration: '10s' }, deps);
    await new Promise((resolve) => setTimeout(resolve, 400));
    captured.interrupt?.();
    expect(await running).toBe(130);
    const [result] = captured.results;
    expect(result?.meta).toMatchObject({ interrupted: true });
    expect(result?.accounting.lost).toBe(0);
    expect(captured.puts.length).toBeLessThan(2_000);
    expect((result?.meta as { schedule: { unsentRecords: number } }).schedule.unsentRecords).toBeGreaterThan(0);

    const second = fakeRunDeps();
    const again = runCommand({ scenario: small, quiet: true, duration: '1s' }, second.deps);
    // The run subscribes once the scenario is loaded (longer than 100 ms on a busy machine).
    while (second.captured.interrupt === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    second.captured.interrupt?.();
    second.captured.interrupt?.();
    expect(second.captured.exits).toEqual([130]);
    await again;
  });

  it('turns a producer option error into a scenario error naming the producer field', async () => {
    const error = Object.assign(new Error('Expected `lingerMs` to be ≥ 0, got -1'), { code: 'ERR_INVALID_OPTION', option: 'lingerMs' });
    const { deps, captured } = fakeRunDeps({ producerError: error });
    const thrown = await runCommand({ scenario: small, quiet: true }, deps).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(ScenarioError);
    expect((thrown as ScenarioError).message).toBe(`${small}:4: producer.lingerMs: Expected \`lingerMs\` to be ≥ 0, got -1`);
    expect(captured.puts).toHaveLength(0);
    expect(captured.stopped).toContain('local-kinesis');
  });
});

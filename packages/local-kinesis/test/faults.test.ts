import { describe, expect, it } from 'vitest';
import { PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { startLocalKinesis, type FaultsConfig } from '../src/index.js';
import { entries } from './helpers.js';

async function withServer<T>(faults: FaultsConfig, run: (local: Awaited<ReturnType<typeof startLocalKinesis>>) => Promise<T>): Promise<T> {
  const local = await startLocalKinesis({ limits: 'off', faults });
  try {
    await local.createStream({ name: 'faulty', shardCount: 2 });
    return await run(local);
  } finally {
    await local.stop();
  }
}

/** Indexes of entries that failed, over 10 sequential PutRecords of 500 entries. */
async function failedEntries(faults: FaultsConfig): Promise<{ failed: number[]; stored: number }> {
  return withServer(faults, async (local) => {
    const client = local.client({ maxAttempts: 1 });
    const failed: number[] = [];
    for (let request = 0; request < 10; request++) {
      const answer = await client.send(new PutRecordsCommand({ StreamName: 'faulty', Records: entries(500, 20) }));
      answer.Records?.forEach((entry, index) => {
        if (entry.ErrorCode !== undefined) {
          expect(entry).toMatchObject({ ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' });
          failed.push(request * 500 + index);
        }
      });
      expect(answer.FailedRecordCount).toBe(answer.Records?.filter((entry) => entry.ErrorCode).length);
    }
    expect(local.stats().faults.internalFailures).toBe(failed.length);
    return { failed, stored: local.stats().streams['faulty']?.totals.acceptedRecords ?? -1 };
  });
}

describe('faults', () => {
  it('fails PutRecords entries at the configured rate, identically for the same seed', async () => {
    const first = await failedEntries({ seed: 42, internalFailureRate: 0.2 });
    // 20% of 5,000 = 1,000; 3σ = 3 × √(5,000 × 0.2 × 0.8) ≈ 85.
    expect(first.failed.length).toBeGreaterThan(1000 - 85);
    expect(first.failed.length).toBeLessThan(1000 + 85);
    expect(first.stored).toBe(5000 - first.failed.length);
    const second = await failedEntries({ seed: 42, internalFailureRate: 0.2 });
    expect(second.failed).toEqual(first.failed);
  });

  it('fails whole requests with 500 InternalFailure or 503 ServiceUnavailable at the configured rate', async () => {
    const outcomes = await withServer({ seed: 7, requestFailureRate: 0.3, operations: ['PutRecord'] }, async (local) => {
      const client = local.client({ maxAttempts: 1 });
      const seen: string[] = [];
      for (let call = 0; call < 200; call++) {
        try {
          await client.send(new PutRecordCommand({ StreamName: 'faulty', PartitionKey: `k${call}`, Data: new Uint8Array(1) }));
          seen.push('ok');
        } catch (error) {
          const { $metadata } = error as { $metadata: { httpStatusCode: number } };
          seen.push(`${(error as Error).name}/${$metadata.httpStatusCode}`);
        }
      }
      expect(local.stats().faults.failedRequests).toBe(seen.filter((outcome) => outcome !== 'ok').length);
      return seen;
    });
    const failures = outcomes.filter((outcome) => outcome !== 'ok');
    // 30% of 200 = 60; 3σ ≈ 19.
    expect(failures.length).toBeGreaterThan(60 - 19);
    expect(failures.length).toBeLessThan(60 + 19);
    expect(new Set(failures)).toEqual(new Set(['InternalFailure/500', 'ServiceUnavailable/503']));
  });

  it('drops connections without an answer, adds latency, and changes faults while running', async () => {
    await withServer({ dropConnectionRate: 1 }, async (local) => {
      const client = local.client({ maxAttempts: 1 });
      const put = (): Promise<unknown> =>
        client.send(new PutRecordCommand({ StreamName: 'faulty', PartitionKey: 'k', Data: new Uint8Array(1) }));
      await expect(put()).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(local.stats().faults.droppedConnections).toBe(1);

      local.setFaults({ latencyMs: 150 });
      const startMs = performance.now();
      await put();
      expect(performance.now() - startMs).toBeGreaterThanOrEqual(145);
      expect(local.stats().faults.delayedRequests).toBe(1);

      local.setFaults({});
      await expect(put()).resolves.toMatchObject({ ShardId: expect.stringMatching(/^shardId-/) });
    });
  });
});

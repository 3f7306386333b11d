/**
 * The judge of every reliability case: reads the stream back and accounts for each record put.
 *
 * Invariants checked (the producer's promise): a resolved record is in the stream at exactly the
 * shard, sequence number and subSequenceNumber its result names; a rejected record carries a typed
 * reason (a `ShardlineError` with a stable `code`) and is not in the stream; nothing else is in the
 * stream. Duplicates are counted, not forbidden: a retry after a write whose answer was lost is
 * at-least-once by nature, so each case states whether it can produce them and why, and a
 * duplicate is only "explained" when its record needed more than one attempt.
 */
import { expect } from 'vitest';
import { readAllRecords } from '@shardline/local-kinesis';
import { ShardlineError } from '@shardline/producer';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { userRecordsOf } from '../helpers/records.js';
import { checkReadBack, type FeedResult } from '../flow-control/harness.js';

export interface Accounting {
  readonly sent: number;
  readonly resolved: number;
  /** Rejected records by error code. */
  readonly rejected: Record<string, number>;
  /** Resolved but not in the stream, or not where the result says. */
  readonly lost: number;
  /** Extra copies in the stream (copies − 1, summed). */
  readonly duplicates: number;
  /** Duplicated records none of whose attempts failed: a duplicate with no retry to blame. */
  readonly unexplainedDuplicates: number;
}

/** Reads `stream` back through `client`, checks the invariants above, and returns the figures. */
export async function accountFor(client: KinesisClient, stream: string, fed: FeedResult): Promise<Accounting> {
  const report = checkReadBack(userRecordsOf(await readAllRecords(client, stream)), fed);
  const rejected: Record<string, number> = {};
  for (const error of fed.errors.values()) {
    expect(error).toBeInstanceOf(ShardlineError);
    const code = (error as ShardlineError).code;
    rejected[code] = (rejected[code] ?? 0) + 1;
  }
  let duplicates = 0;
  let unexplainedDuplicates = 0;
  for (const [id, copies] of report.duplicates) {
    duplicates += copies - 1;
    const attempts = fed.results.get(id)?.attempts.length ?? 0;
    if (attempts < 2) unexplainedDuplicates++;
  }
  const accounting: Accounting = {
    sent: fed.count,
    resolved: fed.results.size,
    rejected,
    lost: report.missing.length + report.misplaced.length,
    duplicates,
    unexplainedDuplicates,
  };
  expect(fed.results.size + fed.errors.size).toBe(fed.count);
  expect(report.missing).toEqual([]);
  expect(report.misplaced).toEqual([]);
  expect(report.writtenButRejected).toEqual([]);
  expect(unexplainedDuplicates).toBe(0);
  return accounting;
}

/** One line of figures per case, the source of the README's reliability table. */
export function logFigures(name: string, accounting: Accounting, extra: Record<string, unknown> = {}): void {
  console.info(`[reliability] ${name}: ${JSON.stringify({ ...accounting, ...extra })}`);
}

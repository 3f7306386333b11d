/**
 * A deliberately slow consumer for the overload scenario, written as a Lambda function: each
 * invocation costs a fixed 250 ms (a cold downstream call) plus 2 ms per user record (a write per
 * record), so one shard's lane sustains at most 100 / (0.25 + 100 × 0.002) ≈ 222 records/s with
 * batches of 100 — far below the 1,000 records/s a shard accepts. The iterator age and the
 * end-to-end latency then grow for as long as the producer keeps up the pressure, which is what
 * the overload report is meant to show.
 *
 * Tunable like a function's environment: SLOW_BATCH_MS and SLOW_RECORD_MS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { deaggregate } from '@shardline/producer';

const BATCH_MS = Number(process.env.SLOW_BATCH_MS ?? 250);
const RECORD_MS = Number(process.env.SLOW_RECORD_MS ?? 2);
const totals = { invocations: 0, records: 0 };

export const handler = async (event) => {
  totals.invocations++;
  let records = 0;
  for (const record of event.Records) records += deaggregate(record).length;
  totals.records += records;
  await sleep(BATCH_MS + RECORD_MS * records);
  return { batchItemFailures: [] };
};

export const slowConsumerStats = () => ({ ...totals });

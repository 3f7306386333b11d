/** Record factories and a paced driver for tests against a real local-kinesis server. */
import { setTimeout as sleep } from 'node:timers/promises';
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

export function entries(count: number, dataBytes: number, prefix = 'key'): PutRecordsRequestEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    PartitionKey: `${prefix}-${index}`,
    Data: new Uint8Array(dataBytes).fill(index % 251),
  }));
}

export interface RequestSample {
  sentMs: number;
  answeredMs: number;
  accepted: number;
  acceptedBytes: number;
  throttled: number;
}

export interface DriveResult {
  samples: RequestSample[];
  accepted: number;
  acceptedBytes: number;
  throttled: number;
  errorCodes: Set<string>;
}

export interface DriveOptions {
  recordsPerSec: number;
  dataBytes: number;
  durationMs: number;
  /** At most one request per tick. @default 100 */
  tickMs?: number;
}

/**
 * Offers `recordsPerSec` to a stream for `durationMs` with one PutRecords in flight at a time
 * (a queue of unanswered requests would hide when the server granted tokens). Each request
 * carries what the schedule says is due since the previous one (≤ 500 entries), so the offered
 * rate holds even when the server answers slowly on a busy machine.
 */
export async function drive(client: KinesisClient, streamName: string, options: DriveOptions): Promise<DriveResult> {
  const { recordsPerSec, dataBytes, durationMs, tickMs = 100 } = options;
  const result: DriveResult = { samples: [], accepted: 0, acceptedBytes: 0, throttled: 0, errorCodes: new Set() };
  let offered = 0;
  const startMs = performance.now();
  for (let tick = 0; performance.now() - startMs < durationMs; tick++) {
    const waitMs = startMs + tick * tickMs - performance.now();
    if (waitMs > 0) await sleep(waitMs);
    const due = Math.min(500, Math.floor((recordsPerSec * (performance.now() - startMs + tickMs)) / 1000) - offered);
    if (due <= 0) continue;
    const records = entries(due, dataBytes, `t${tick}`);
    offered += due;
    const sample: RequestSample = { sentMs: performance.now(), answeredMs: 0, accepted: 0, acceptedBytes: 0, throttled: 0 };
    const answer = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: records }));
    sample.answeredMs = performance.now();
    answer.Records?.forEach((entry, index) => {
      if (entry.ErrorCode === undefined) {
        sample.accepted++;
        const record = records[index];
        sample.acceptedBytes += (record?.Data?.length ?? 0) + (record?.PartitionKey?.length ?? 0);
      } else {
        sample.throttled++;
        result.errorCodes.add(entry.ErrorCode);
      }
    });
    result.samples.push(sample);
    result.accepted += sample.accepted;
    result.acceptedBytes += sample.acceptedBytes;
    result.throttled += sample.throttled;
  }
  return result;
}

/**
 * Sends four `count`-record batches at once until one is throttled: the shard's burst is then used
 * up. (One batch at a time can fail to drain it on a busy machine: a 500-record request that takes
 * 500 ms is refilled as fast as it drains.)
 */
export async function drainBurst(client: KinesisClient, streamName: string, count: number, dataBytes: number): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries(count, dataBytes, 'drain') })),
      ),
    );
    if (answers.some((answer) => (answer.FailedRecordCount ?? 0) > 0)) return;
  }
  throw new Error(`Expected ${streamName} to throttle within 20 rounds of 4 × ${count} records`);
}

export interface SteadyRate {
  /** Accepted units per second between the first and the last throttled request. */
  perSec: number;
  spanSec: number;
  /** Longest time between two requests' arrivals inside the span. */
  maxGapMs: number;
}

/**
 * The shard's steady accept rate with its burst left out. A request that had entries throttled
 * left the bucket (nearly) empty, so everything accepted after the first such request and up to
 * the last one is exactly what refilled in between, provided no gap let the bucket refill to its
 * cap. A request's arrival is estimated as the midpoint of send and answer.
 */
export function steadyRate(samples: readonly RequestSample[], units: (sample: RequestSample) => number): SteadyRate {
  const first = samples.findIndex((sample) => sample.throttled > 0);
  const last = samples.findLastIndex((sample) => sample.throttled > 0);
  const arrival = (sample: RequestSample): number => (sample.sentMs + sample.answeredMs) / 2;
  let total = 0;
  let maxGapMs = 0;
  for (let index = first + 1; index <= last; index++) {
    const sample = samples[index] as RequestSample;
    total += units(sample);
    maxGapMs = Math.max(maxGapMs, arrival(sample) - arrival(samples[index - 1] as RequestSample));
  }
  const spanSec = (arrival(samples[last] as RequestSample) - arrival(samples[first] as RequestSample)) / 1000;
  return { perSec: total / spanSec, spanSec, maxGapMs };
}

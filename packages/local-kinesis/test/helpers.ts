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

/**
 * Sends one PutRecords every `tickMs` for `ticks` ticks, one request in flight at a time (a queue
 * of unanswered requests would hide when the server actually granted tokens). When the server
 * answers slower than `tickMs`, the next request goes at once.
 */
export async function drive(
  client: KinesisClient,
  streamName: string,
  batch: () => PutRecordsRequestEntry[],
  ticks: number,
  tickMs: number,
): Promise<DriveResult> {
  const result: DriveResult = { samples: [], accepted: 0, acceptedBytes: 0, throttled: 0, errorCodes: new Set() };
  const startMs = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    const waitMs = startMs + tick * tickMs - performance.now();
    if (waitMs > 0) await sleep(waitMs);
    const records = batch();
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

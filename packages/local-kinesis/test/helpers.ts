/** Record factories and a paced driver for tests against a real local-kinesis server. */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

/** A clock for the time-based algorithms: starts at 0 ms and moves only when told. */
export function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let nowMs = 0;
  return { now: () => nowMs, advance: (ms) => (nowMs += ms) };
}

export function entries(count: number, dataBytes: number, prefix = 'key'): PutRecordsRequestEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    PartitionKey: `${prefix}-${index}`,
    Data: new Uint8Array(dataBytes).fill(index % 251),
  }));
}

export interface DriveResult {
  offered: number;
  accepted: number;
  acceptedBytes: number;
  throttled: number;
  errorCodes: Set<string>;
}

export interface DriveOptions {
  recordsPerSec: number;
  dataBytes: number;
  durationMs: number;
  /** Concurrent senders, each offering `recordsPerSec / inFlight`. @default 4 */
  inFlight?: number;
  /** Each sender sends at most one request per tick. @default 100 */
  tickMs?: number;
}

/** One PutRecords as raw awsJson1.1 (no SDK in the loop): `count` records of `dataBytes`. */
async function putRecordsRaw(
  endpoint: string,
  streamName: string,
  count: number,
  data: string,
  prefix: string,
): Promise<(string | undefined)[]> {
  const records = Array.from({ length: count }, (_, index) => ({ PartitionKey: `${prefix}-${index}`, Data: data }));
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Kinesis_20131202.PutRecords',
      'x-amz-date': '20260101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify({ StreamName: streamName, Records: records }),
  });
  const answer = (await response.json()) as { Records?: { ErrorCode?: string }[] };
  if (answer.Records === undefined) throw new Error(`PutRecords failed: ${JSON.stringify(answer)}`);
  return answer.Records.map((entry) => entry.ErrorCode);
}

/**
 * Offers `recordsPerSec` to a stream for `durationMs` as raw HTTP requests, so the client costs
 * little next to the server on a busy machine. Each sender carries in every request what its
 * schedule says is due since its previous one (≤ 500 entries), so the offered rate holds even when
 * the server answers slowly.
 */
export async function drive(endpoint: string, streamName: string, options: DriveOptions): Promise<DriveResult> {
  const { recordsPerSec, dataBytes, durationMs, inFlight = 4, tickMs = 100 } = options;
  const result: DriveResult = { offered: 0, accepted: 0, acceptedBytes: 0, throttled: 0, errorCodes: new Set() };
  const data = Buffer.alloc(dataBytes, 7).toString('base64');
  const startMs = performance.now();
  const sender = async (senderIndex: number): Promise<void> => {
    let offered = 0;
    for (let tick = 0; performance.now() - startMs < durationMs; tick++) {
      const waitMs = startMs + tick * tickMs - performance.now();
      if (waitMs > 0) await sleep(waitMs);
      const dueNow = ((recordsPerSec / inFlight) * (performance.now() - startMs + tickMs)) / 1000;
      const due = Math.min(500, Math.floor(dueNow) - offered);
      if (due <= 0) continue;
      const prefix = `s${senderIndex}t${tick}`;
      offered += due;
      result.offered += due;
      const codes = await putRecordsRaw(endpoint, streamName, due, data, prefix);
      codes.forEach((code, index) => {
        if (code === undefined) {
          result.accepted++;
          result.acceptedBytes += dataBytes + `${prefix}-${index}`.length;
        } else {
          result.throttled++;
          result.errorCodes.add(code);
        }
      });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, index) => sender(index)));
  return result;
}

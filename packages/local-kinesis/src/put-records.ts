/**
 * PutRecords through the limits layer: each entry is routed to its open shard and either fails
 * with an injected InternalFailure, is throttled (per-entry ProvisionedThroughputExceededException),
 * or is forwarded to kinesalite; the answers are merged back in request order with
 * `FailedRecordCount`, as AWS answers 1:1.
 *
 * Order per entry: fault draw first (so the fault sequence does not depend on timing), then the
 * shard's buckets. kinesalite's validation (it base64-decodes every blob twice, the biggest cost
 * for 25 KB records) runs once per request: inside kinesalite when the whole request fits and is
 * forwarded as sent, or here, before anything is taken, when this layer answers some entries
 * itself, so an invalid request still gets AWS's validation error and never a throttle.
 * Forwarded entries go to kinesalite in pieces of ≤ 6 MiB of body, because kinesalite refuses
 * bodies over 7 MiB with a bare 413 while AWS accepts 10 MiB of data (13.3 MiB as base64 JSON).
 * Invariant: a reservation is kept only for entries kinesalite stored.
 */
import { hashKeyOf } from './hash-key.js';
import {
  THROUGHPUT_EXCEEDED,
  oversizeRecord,
  passThrough,
  recordBytes,
  writeThrottleMessage,
  type MeterContext,
  type MeteredRequest,
} from './meter-context.js';
import type { ShardAccount } from './shard-account.js';
import { blobBytes, dataResponse, decodeBody, encodeBody, errorResponse, type WireResponse } from './wire.js';

const MiB = 1024 * 1024;
const MAX_FORWARD_BODY_BYTES = 6 * MiB;

interface Entry {
  PartitionKey: string;
  ExplicitHashKey?: string | null;
  Data: unknown;
}

type ResultEntry = { ShardId: string; SequenceNumber: string } | { ErrorCode: string; ErrorMessage: string };

interface Forwarded {
  index: number;
  bytes: number;
  account: ShardAccount;
}

export async function putRecords(context: MeterContext, request: MeteredRequest): Promise<WireResponse> {
  const { data, encoding, operation } = request;
  const streamName = data['StreamName'];
  const entries = data['Records'];
  if (typeof streamName !== 'string' || !isEntryList(entries)) return passThrough(context, request);
  const isValid = (): boolean => context.backend.isValid(operation, data);

  const sizes = entries.map((entry) => recordBytes(entry.PartitionKey, blobBytes(entry.Data)));
  const totalBytes = sizes.reduce((sum, bytes) => sum + bytes, 0);
  const oversize = sizes.find((bytes) => bytes > context.maxRecordBytes);
  if (oversize !== undefined || totalBytes > context.maxRequestBytes) {
    if (!isValid()) return passThrough(context, request);
    if (oversize !== undefined) return oversizeRecord(encoding, oversize, context.maxRecordBytes);
    const limitMb = Math.round((context.maxRequestBytes / MiB) * 100) / 100;
    return errorResponse(encoding, 400, 'InvalidArgumentException', `Records size exceeds ${limitMb} MB limit`);
  }

  const map = await context.registry.shardMap(streamName);
  if (map === undefined) return passThrough(context, request);
  const shardIds: string[] = [];
  for (const entry of entries) {
    const hashKey = hashKeyOf(entry.PartitionKey, entry.ExplicitHashKey);
    const shardId = hashKey === undefined ? undefined : map.route(hashKey);
    if (shardId === undefined) return passThrough(context, request);
    shardIds.push(shardId);
  }
  // Forwarded in pieces, kinesalite would name entries by their index within a piece.
  const forwardsAsSent = request.body.length <= MAX_FORWARD_BODY_BYTES;
  if (!((forwardsAsSent && fitsWhole(context, streamName, shardIds, sizes, operation)) || isValid())) {
    return passThrough(context, request);
  }

  const results: (ResultEntry | undefined)[] = new Array<ResultEntry | undefined>(entries.length);
  const forwarded: Forwarded[] = [];
  entries.forEach((_entry, index) => {
    const shardId = shardIds[index] as string;
    const bytes = sizes[index] as number;
    const account = context.registry.account(streamName, shardId);
    if (context.faults.entryFails(operation)) {
      account.stats.internalFailures++;
      results[index] = { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' };
    } else if (account.tryWrite(bytes)) {
      forwarded.push({ index, bytes, account });
    } else {
      results[index] = { ErrorCode: THROUGHPUT_EXCEEDED, ErrorMessage: writeThrottleMessage(shardId, streamName) };
    }
  });

  // Fast path: everything fits in one forward, so kinesalite's own answer is the answer.
  if (forwarded.length === entries.length && forwardsAsSent) {
    const response = await passThrough(context, request);
    settle(forwarded, response.statusCode === 200);
    return response;
  }

  for (const chunk of chunks(forwarded, entries)) {
    const body = encodeBody(encoding, { StreamName: streamName, Records: chunk.map((item) => entries[item.index]) });
    const response = await context.backend.invoke(request.headers, body);
    const stored = response.statusCode === 200;
    settle(chunk, stored);
    if (!stored) {
      settle(forwarded.slice(forwarded.indexOf(chunk.at(-1) as Forwarded) + 1), false);
      return response;
    }
    const answered = (decodeBody(encoding, response.body)?.['Records'] ?? []) as ResultEntry[];
    chunk.forEach((item, position) => {
      results[item.index] = answered[position];
    });
  }

  const records = results.map((result) => result ?? { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' });
  const failed = records.filter((result) => 'ErrorCode' in result).length;
  return dataResponse(encoding, { FailedRecordCount: failed, Records: records });
}

/** Whether every entry would be forwarded: no entry faults possible and every shard has room. */
function fitsWhole(
  context: MeterContext,
  streamName: string,
  shardIds: readonly string[],
  sizes: readonly number[],
  operation: string,
): boolean {
  if (context.faults.mayFailEntries(operation)) return false;
  const demand = new Map<string, { records: number; bytes: number }>();
  shardIds.forEach((shardId, index) => {
    const shard = demand.get(shardId) ?? { records: 0, bytes: 0 };
    shard.records++;
    shard.bytes += sizes[index] as number;
    demand.set(shardId, shard);
  });
  for (const [shardId, { records, bytes }] of demand) {
    if (!context.registry.account(streamName, shardId).canWrite(records, bytes)) return false;
  }
  return true;
}

/** Enough structure to route safely; anything else is left to kinesalite's validation. */
function isEntryList(value: unknown): value is Entry[] {
  return (
    Array.isArray(value) &&
    value.length >= 1 &&
    value.length <= 500 &&
    value.every(
      (entry: Partial<Entry> | null) =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof entry.PartitionKey === 'string' &&
        (typeof entry.Data === 'string' || Buffer.isBuffer(entry.Data)) &&
        (entry.ExplicitHashKey === undefined || entry.ExplicitHashKey === null || typeof entry.ExplicitHashKey === 'string'),
    )
  );
}

/** Keeps (counts) or refunds the reservations of forwarded entries. */
function settle(items: readonly Forwarded[], stored: boolean): void {
  for (const item of items) {
    if (stored) item.account.recordWrite(item.bytes);
    else item.account.refundWrite(item.bytes);
  }
}

/** Splits forwarded entries so each forward's body stays under kinesalite's 7 MiB cap. */
function chunks(forwarded: readonly Forwarded[], entries: readonly Entry[]): Forwarded[][] {
  const result: Forwarded[][] = [];
  let current: Forwarded[] = [];
  let currentBytes = 0;
  for (const item of forwarded) {
    const entry = entries[item.index] as Entry;
    // base64 inflates data by 4/3; keys and JSON punctuation add a few hundred bytes at most.
    const wireBytes = Math.ceil((blobBytes(entry.Data) * 4) / 3) + entry.PartitionKey.length + 128;
    if (current.length > 0 && currentBytes + wireBytes > MAX_FORWARD_BODY_BYTES) {
      result.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += wireBytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * What the metered operations (PutRecords, PutRecord, GetRecords) share, and the AWS answers
 * they build. Each handler gets the decoded request and returns the response to send.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { accountId, type KinesaliteBackend } from './kinesalite-backend.js';
import type { FaultInjector } from './fault-injector.js';
import type { StreamRegistry } from './stream-registry.js';
import { errorResponse, type WireEncoding, type WireResponse } from './wire.js';

export interface MeterContext {
  backend: KinesaliteBackend;
  registry: StreamRegistry;
  faults: FaultInjector;
  maxRecordBytes: number;
  maxRequestBytes: number;
}

export interface MeteredRequest {
  operation: string;
  encoding: WireEncoding;
  data: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export const THROUGHPUT_EXCEEDED = 'ProvisionedThroughputExceededException';

/** AWS's per-entry and PutRecord throttle message. */
export function writeThrottleMessage(shardId: string, streamName: string): string {
  return `Rate exceeded for shard ${shardId} in stream ${streamName} under account ${accountId}.`;
}

/** AWS's GetRecords throttle message. */
export function readThrottleMessage(shardId: string, streamName: string): string {
  return `Rate exceeded for Shard - ${shardId} in stream ${streamName} under account ${accountId}.`;
}

export function throttled(encoding: WireEncoding, message: string): WireResponse {
  return errorResponse(encoding, 400, THROUGHPUT_EXCEEDED, message);
}

/** Lets kinesalite answer the request exactly as sent (errors, unknown streams, bad iterators). */
export function passThrough(context: MeterContext, request: MeteredRequest): Promise<WireResponse> {
  return context.backend.invoke(request.headers, request.body);
}

/** Data + partition key bytes, the size AWS meters and limits (a 100 B record with key "k-17" is 104 B). */
export function recordBytes(partitionKey: unknown, dataBytes: number): number {
  return dataBytes + (typeof partitionKey === 'string' ? Buffer.byteLength(partitionKey, 'utf8') : 0);
}

/** AWS rejects a record whose data + key exceed the record size limit; kinesalite checks data only. */
export function oversizeRecord(encoding: WireEncoding, bytes: number, maxRecordBytes: number): WireResponse {
  return errorResponse(
    encoding,
    400,
    'InvalidArgumentException',
    `Record size ${bytes} exceeds the ${maxRecordBytes} byte limit (data + partition key).`,
  );
}

/**
 * PutRecord through the limits layer: route the record to its open shard, answer
 * ProvisionedThroughputExceededException (HTTP 400) when the shard has no room, otherwise let
 * kinesalite store it. An injected entry failure answers HTTP 500 InternalFailure.
 * Invariant: a reservation is kept only when kinesalite stored the record.
 */
import { hashKeyOf } from './hash-key.js';
import {
  oversizeRecord,
  passThrough,
  recordBytes,
  throttled,
  writeThrottleMessage,
  type MeterContext,
  type MeteredRequest,
} from './meter-context.js';
import { blobBytes, errorResponse, type WireResponse } from './wire.js';

export async function putRecord(context: MeterContext, request: MeteredRequest): Promise<WireResponse> {
  const { data, encoding } = request;
  if (!context.backend.isValid('PutRecord', data)) return passThrough(context, request);
  const streamName = data['StreamName'] as string;
  const bytes = recordBytes(data['PartitionKey'], blobBytes(data['Data']));
  if (bytes > context.maxRecordBytes) return oversizeRecord(encoding, bytes, context.maxRecordBytes);

  const map = await context.registry.shardMap(streamName);
  const hashKey = hashKeyOf(data['PartitionKey'] as string, data['ExplicitHashKey']);
  const shardId = map === undefined || hashKey === undefined ? undefined : map.route(hashKey);
  if (shardId === undefined) return passThrough(context, request);

  const account = context.registry.account(streamName, shardId);
  if (context.faults.entryFails(request.operation)) {
    account.stats.internalFailures++;
    return errorResponse(encoding, 500, 'InternalFailure', 'Internal service failure.');
  }
  if (!account.tryWrite(bytes)) return throttled(encoding, writeThrottleMessage(shardId, streamName));

  const response = await passThrough(context, request);
  if (response.statusCode === 200) account.recordWrite(bytes);
  else account.refundWrite(bytes);
  return response;
}

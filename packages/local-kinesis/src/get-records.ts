/**
 * GetRecords through the limits layer: charge the call to the iterator's shard (calls/s), refuse
 * it with ProvisionedThroughputExceededException while the shard is out of calls or in read-bytes
 * debt, otherwise let kinesalite answer and charge the bytes it returned.
 */
import {
  passThrough,
  readThrottleMessage,
  throttled,
  type MeterContext,
  type MeteredRequest,
} from './meter-context.js';
import { iteratorTarget } from './shard-iterator.js';
import { blobBytes, decodeBody, type WireResponse } from './wire.js';

export async function getRecords(context: MeterContext, request: MeteredRequest): Promise<WireResponse> {
  const target = iteratorTarget(request.data['ShardIterator']);
  if (target === undefined || !context.backend.isValid('GetRecords', request.data)) {
    return passThrough(context, request);
  }
  if ((await context.registry.shardMap(target.streamName)) === undefined) return passThrough(context, request);

  const account = context.registry.account(target.streamName, target.shardId);
  if (!account.tryRead()) {
    return throttled(request.encoding, readThrottleMessage(target.shardId, target.streamName));
  }
  const response = await passThrough(context, request);
  if (response.statusCode === 200) {
    const records = (decodeBody(request.encoding, response.body)?.['Records'] ?? []) as { Data?: unknown }[];
    let bytes = 0;
    for (const record of records) bytes += blobBytes(record.Data);
    account.recordRead(records.length, bytes);
  }
  return response;
}

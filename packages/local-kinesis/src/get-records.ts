/**
 * GetRecords through the limits layer: charge the call to the iterator's shard (calls/s), refuse
 * it with ProvisionedThroughputExceededException while the shard is out of calls or in read-bytes
 * debt, otherwise let kinesalite answer and charge the bytes it returned.
 *
 * AWS returns at most 10 MiB per call; kinesalite returns up to 10,000 records whatever their size
 * (250 MB of 25 KB records, which would leave the shard ~2 minutes in read debt). A longer page is
 * cut after the last record that fits, and NextShardIterator starts at the first one left out.
 */
import {
  passThrough,
  readThrottleMessage,
  throttled,
  type MeterContext,
  type MeteredRequest,
} from './meter-context.js';
import { iteratorAt, iteratorTarget } from './shard-iterator.js';
import { blobBytes, dataResponse, decodeBody, type WireResponse } from './wire.js';

const MAX_PAGE_BYTES = 10 * 1024 * 1024;

interface PageRecord {
  Data?: unknown;
  SequenceNumber?: string;
}

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
  if (response.statusCode !== 200) return response;
  const answer = decodeBody(request.encoding, response.body) ?? {};
  const records = (answer['Records'] ?? []) as PageRecord[];
  let bytes = 0;
  let kept = 0;
  for (const record of records) {
    const recordBytes = blobBytes(record.Data);
    if (kept > 0 && bytes + recordBytes > MAX_PAGE_BYTES) break;
    bytes += recordBytes;
    kept++;
  }
  account.recordRead(kept, bytes);
  const firstLeftOut = records[kept];
  if (firstLeftOut?.SequenceNumber === undefined) return response;
  return dataResponse(request.encoding, {
    ...answer,
    Records: records.slice(0, kept),
    NextShardIterator: iteratorAt(target, firstLeftOut.SequenceNumber),
  });
}

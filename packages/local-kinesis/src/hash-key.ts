/**
 * The 128-bit hash key Kinesis routes a record by: MD5 of the partition key's UTF-8 bytes read as a
 * big-endian unsigned integer, or the ExplicitHashKey when one is given.
 * (AWS: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html)
 */
import { createHash } from 'node:crypto';

export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** Returns undefined when an explicit key is not a decimal in [0, 2^128 − 1]. */
export function hashKeyOf(partitionKey: string, explicitHashKey?: unknown): bigint | undefined {
  if (explicitHashKey !== undefined && explicitHashKey !== null) {
    if (typeof explicitHashKey !== 'string' || !/^(0|[1-9]\d{0,38})$/.test(explicitHashKey)) return undefined;
    const key = BigInt(explicitHashKey);
    return key <= MAX_HASH_KEY ? key : undefined;
  }
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

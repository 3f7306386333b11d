/**
 * Counting send attempts and throttles from the `attempts` a producer resolves each record with.
 *
 * Invariant: an attempt counts as throttled when its `errorCode` is one of Kinesis' throttling
 * codes; anything that is not an object with an optional string `errorCode` still counts as one
 * attempt, so a producer with a different attempt shape under-reports throttles, never attempts.
 */

/** Error codes Kinesis answers when a shard or the account is over its limits. */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'LimitExceededException',
  'KMSThrottlingException',
]);

export function isThrottlingCode(code: string | undefined): boolean {
  return code !== undefined && THROTTLING_CODES.has(code);
}

/** Throttled attempts among one record's attempts (every entry of the list is one attempt). */
export function countThrottled(attempts: readonly unknown[]): number {
  let throttled = 0;
  for (const attempt of attempts) {
    if (typeof attempt !== 'object' || attempt === null) continue;
    const code = (attempt as { errorCode?: unknown }).errorCode;
    if (typeof code === 'string' && isThrottlingCode(code)) throttled++;
  }
  return throttled;
}

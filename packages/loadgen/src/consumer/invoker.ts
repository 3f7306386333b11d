/**
 * Invoking the handler the way Lambda does: build the event and a fresh context, await the
 * handler, and turn a throw, a rejection or a timeout into a failed outcome (never an exception).
 *
 * Invariant: with no handler, every invocation succeeds at once (the mapping reads and measures).
 */
import type { BatchItem } from './batch-item.js';
import type { InvokeOutcome } from './batch-runner.js';
import { buildContext, buildEvent, type EventIdentity, type KinesisHandler } from './lambda-event.js';

export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';
  readonly code = 'ERR_LOADGEN_FUNCTION_TIMEOUT';
  readonly retriable = true;
}

export interface InvokerOptions {
  handler: KinesisHandler | undefined;
  identity: EventIdentity;
  timeoutMs: number;
  now: () => number;
}

export function createInvoker({ handler, identity, timeoutMs, now }: InvokerOptions) {
  return async (items: readonly BatchItem[]): Promise<InvokeOutcome> => {
    if (handler === undefined) return { ok: true, response: undefined };
    const event = buildEvent(items, identity);
    const context = buildContext(identity.region, timeoutMs, now);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FunctionTimeoutError(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`)),
        timeoutMs,
      );
      timer.unref();
    });
    try {
      const response = await Promise.race([Promise.resolve().then(() => handler(event, context)), timeout]);
      return { ok: true, response };
    } catch (error) {
      return { ok: false, error };
    } finally {
      clearTimeout(timer);
    }
  };
}

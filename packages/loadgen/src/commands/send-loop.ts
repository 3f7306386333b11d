/**
 * The producing half of a run: the pacer's due records are generated, handed to the producer, and
 * their send, ack and failure times go to the recorder.
 *
 * Invariants: every record the pacer releases is recorded as scheduled and sent before it is handed
 * over, then exactly once as acked or failed; the send time is taken after the record is
 * generated, so generation cost shows up as send delay instead of hiding; `inFlight` never exceeds
 * `maxInFlightRecords` (the pacer waits, records turn late, none is dropped).
 *
 * A record in flight costs no object: its seq, times, key and warm-up flag sit in a slot of
 * preallocated arrays (one slot per record in flight, taken from a free list), and the slot number
 * is the token of the producer's `putWithCallback` (built from `put` for a producer without it).
 */
import type { RecordSource, SourceRecord } from '../generators/record-source.js';
import type { AckResult, RunRecorder } from '../metrics/run-recorder.js';
import { startPacer, type Pacer } from '../schedule/pacer.js';
import type { Schedule } from '../schedule/schedule.js';

/** The part of `@shardline/producer`'s Producer a run uses. */
export interface ProducerLike {
  put(record: { data: Uint8Array; partitionKey?: string | undefined }): Promise<AckResult>;
  /** `@shardline/producer`'s callback form: calls back once, never before it returns. */
  putWithCallback?(
    record: { data: Uint8Array; partitionKey?: string | undefined },
    callback: (error: Error | undefined, result: AckResult | undefined, token: number) => void,
    token: number,
  ): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  metrics(): unknown;
}

export interface SendLoopOptions {
  schedule: Schedule;
  source: RecordSource;
  producer: ProducerLike;
  recorder: RunRecorder;
  /** Wall-clock µs. */
  now: () => number;
  startUs: number;
  maxInFlightRecords: number;
  lateThresholdUs: number;
  setTimer?: (callback: () => void, delayMs: number) => unknown;
}

export interface SendLoop {
  pacer: Pacer;
  /** Records sent and neither acked nor failed yet. */
  inFlight(): number;
  /** Resolves once every sent record is acked or failed. */
  settled(): Promise<void>;
}

export function startSendLoop(options: SendLoopOptions): SendLoop {
  const { source, producer, recorder, now } = options;
  let inFlight = 0;
  let onSettled: (() => void) | undefined;
  const settleOne = (): void => {
    inFlight -= 1;
    if (inFlight === 0 && onSettled !== undefined) onSettled();
  };

  const failureOf = (error: unknown): Parameters<RunRecorder['onFailed']>[2] => {
    const { code, message, attempts } = error as { code?: unknown; message?: unknown; name?: unknown; attempts?: unknown };
    const failure = { code: typeof code === 'string' ? code : String((error as Error).name ?? 'Error'), message: String(message) };
    // Attempts (RecordExpiredError, RecordFailedError) let throttles of records that finally failed count too.
    return Array.isArray(attempts) ? { ...failure, attempts } : failure;
  };

  /** Generates record `seq` and records it as scheduled and sent; undefined when generation failed. */
  const generate = (seq: number, intendedUs: number, measured: boolean): SourceRecord | undefined => {
    recorder.onScheduled(seq, intendedUs, measured);
    try {
      return source.next(seq, intendedUs);
    } catch (error) {
      recorder.onFailed(seq, intendedUs, { code: 'ERR_LOADGEN_GENERATOR', message: (error as Error).message }, measured);
      return undefined;
    }
  };

  // One send path: a producer without the callback form gets it from its promise (two closures per
  // record, which the callback form spares).
  const putWithCallback: NonNullable<ProducerLike['putWithCallback']> =
    producer.putWithCallback?.bind(producer) ??
    ((record, callback, token) => {
      producer.put(record).then(
        (result) => callback(undefined, result, token),
        (error: unknown) => callback(error as Error, undefined, token),
      );
    });

  // One slot per record in flight; `free` is a stack of the unused slot numbers.
  const capacity = options.maxInFlightRecords;
  const slotSeq = new Float64Array(capacity);
  const slotIntendedUs = new Float64Array(capacity);
  const slotSentUs = new Float64Array(capacity);
  const slotMeasured = new Uint8Array(capacity);
  const slotKey: (string | undefined)[] = new Array<string | undefined>(capacity).fill(undefined);
  const free = new Int32Array(capacity);
  for (let i = 0; i < capacity; i++) free[i] = capacity - 1 - i;
  let freeCount = capacity;
  const onRecordSettled = (error: Error | undefined, result: AckResult | undefined, slot: number): void => {
    const seq = slotSeq[slot] as number;
    const intendedUs = slotIntendedUs[slot] as number;
    const measured = slotMeasured[slot] === 1;
    if (error === undefined) recorder.onAcked(seq, intendedUs, slotSentUs[slot] as number, now(), result as AckResult, slotKey[slot] ?? '', measured);
    else recorder.onFailed(seq, intendedUs, failureOf(error), measured);
    slotKey[slot] = undefined;
    free[freeCount++] = slot;
    settleOne();
  };
  // Its own function: a closure written inside `send` would have V8 allocate a context per record.
  const settleLater = (error: unknown, slot: number): void => {
    queueMicrotask(() => onRecordSettled(error as Error, undefined, slot));
  };
  const send = (seq: number, intendedUs: number, measured: boolean): void => {
    const record = generate(seq, intendedUs, measured);
    if (record === undefined) return;
    const sentUs = now();
    recorder.onSent(seq, intendedUs, sentUs, measured);
    // The pacer asks canSend() first, so a slot is free: inFlight < maxInFlightRecords.
    const slot = free[--freeCount] as number;
    slotSeq[slot] = seq;
    slotIntendedUs[slot] = intendedUs;
    slotSentUs[slot] = sentUs;
    slotMeasured[slot] = measured ? 1 : 0;
    slotKey[slot] = record.partitionKey;
    inFlight += 1;
    try {
      putWithCallback({ data: record.data, partitionKey: record.partitionKey }, onRecordSettled, slot);
    } catch (error) {
      settleLater(error, slot);
    }
  };

  const pacer = startPacer({
    schedule: options.schedule,
    startUs: options.startUs,
    now,
    send,
    canSend: () => inFlight < options.maxInFlightRecords,
    lateThresholdUs: options.lateThresholdUs,
    ...(options.setTimer === undefined ? {} : { setTimer: options.setTimer }),
  });

  return {
    pacer,
    inFlight: () => inFlight,
    settled: () =>
      inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onSettled = resolve;
          }),
  };
}

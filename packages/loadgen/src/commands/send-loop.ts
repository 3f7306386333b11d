/**
 * The producing half of a run: the pacer's due records are generated, handed to `producer.put`,
 * and their send, ack and failure times go to the recorder.
 *
 * Invariants: every record the pacer releases is recorded as scheduled and sent before `put` is
 * called, then exactly once as acked or failed; the send time is taken after the record is
 * generated, so generation cost shows up as send delay instead of hiding; `inFlight` never exceeds
 * `maxInFlightRecords` (the pacer waits, records turn late, none is dropped).
 */
import type { RecordSource } from '../generators/record-source.js';
import type { AckResult, RunRecorder } from '../metrics/run-recorder.js';
import { startPacer, type Pacer } from '../schedule/pacer.js';
import type { Schedule } from '../schedule/schedule.js';

/** The part of `@shardline/producer`'s Producer a run uses. */
export interface ProducerLike {
  put(record: { data: Uint8Array; partitionKey?: string | undefined }): Promise<AckResult>;
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

  const send = (seq: number, intendedUs: number, measured: boolean): void => {
    recorder.onScheduled(seq, intendedUs, measured);
    let record;
    try {
      record = source.next(seq, intendedUs);
    } catch (error) {
      recorder.onFailed(seq, intendedUs, { code: 'ERR_LOADGEN_GENERATOR', message: (error as Error).message }, measured);
      return;
    }
    const sentUs = now();
    recorder.onSent(seq, intendedUs, sentUs, measured);
    inFlight += 1;
    const partitionKey = record.partitionKey;
    let pending: Promise<AckResult>;
    try {
      pending = producer.put({ data: record.data, partitionKey });
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (result) => {
        recorder.onAcked(seq, intendedUs, sentUs, now(), result, partitionKey ?? '', measured);
        settleOne();
      },
      (error: unknown) => {
        const { code, message, attempts } = error as { code?: unknown; message?: unknown; name?: unknown; attempts?: unknown };
        const failure = { code: typeof code === 'string' ? code : String((error as Error).name ?? 'Error'), message: String(message) };
        // Attempts (RecordExpiredError, RecordFailedError) let throttles of records that finally failed count too.
        recorder.onFailed(seq, intendedUs, Array.isArray(attempts) ? { ...failure, attempts } : failure, measured);
        settleOne();
      },
    );
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

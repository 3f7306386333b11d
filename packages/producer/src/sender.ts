/**
 * Sends one PutRecords request and reports, per entry, what happened to it.
 *
 * It knows nothing about partitioning, buffering or promises: entries in, outcomes out. The AWS
 * SDK retries a failed *call* on its own (we configure the client to leave that to us), never the
 * failed *entries* of a 200 response — those come back here as per-entry failures.
 */
import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { classifyError, classifyErrorCode, type FailureClass } from './flow/failure-kind.js';
import type { KinesisEntry } from './pending.js';
import type { StreamRef } from './shard-map.js';

export type EntryOutcome =
  | { readonly ok: true; readonly shardId: string; readonly sequenceNumber: string }
  | { readonly ok: false; readonly failure: FailureClass; readonly errorCode: string; readonly errorMessage: string };

export interface SendReport {
  readonly startedAt: number;
  readonly durationMs: number;
  /** One per entry, in request order; absent when the whole request failed. */
  readonly outcomes: readonly EntryOutcome[] | undefined;
  /** Set when the whole request failed. */
  readonly requestFailure: { readonly failure: FailureClass; readonly message: string; readonly error: unknown } | undefined;
}

export interface SenderOptions {
  readonly client: KinesisClient;
  readonly stream: StreamRef;
  readonly requestTimeoutMs: number;
  readonly now: () => number;
}

export async function sendPutRecords(options: SenderOptions, entries: readonly KinesisEntry[]): Promise<SendReport> {
  const records: PutRecordsRequestEntry[] = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as KinesisEntry;
    records[i] =
      e.explicitHashKey === undefined
        ? { Data: e.data, PartitionKey: e.partitionKey }
        : { Data: e.data, PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey };
  }
  const { stream } = options;
  const command = new PutRecordsCommand(
    stream.streamArn === undefined ? { StreamName: stream.streamName, Records: records } : { StreamARN: stream.streamArn, Records: records },
  );
  const startedAt = options.now();
  try {
    const response = await options.client.send(command, { abortSignal: AbortSignal.timeout(options.requestTimeoutMs) });
    const durationMs = options.now() - startedAt;
    const results = response.Records ?? [];
    if (results.length !== entries.length) {
      const message = `PutRecords answered ${results.length} results for ${entries.length} entries`;
      return { startedAt, durationMs, outcomes: undefined, requestFailure: { failure: { kind: 'transient', code: 'MalformedResponse', retriable: true }, message, error: new Error(message) } };
    }
    const outcomes: EntryOutcome[] = new Array(results.length);
    for (let i = 0; i < results.length; i++) {
      const r = results[i]!;
      if (r.SequenceNumber !== undefined && r.ShardId !== undefined && r.ErrorCode === undefined) {
        outcomes[i] = { ok: true, shardId: r.ShardId, sequenceNumber: r.SequenceNumber };
      } else {
        const errorCode = r.ErrorCode ?? 'UnknownEntryError';
        outcomes[i] = { ok: false, failure: classifyErrorCode(errorCode), errorCode, errorMessage: r.ErrorMessage ?? '' };
      }
    }
    return { startedAt, durationMs, outcomes, requestFailure: undefined };
  } catch (error) {
    const durationMs = options.now() - startedAt;
    const failure = classifyError(error);
    const message = error instanceof Error ? error.message : String(error);
    return { startedAt, durationMs, outcomes: undefined, requestFailure: { failure, message, error } };
  }
}

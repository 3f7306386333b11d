/**
 * Lambda's Kinesis event and context, built from a batch: the exact shape a deployed function
 * receives, so a handler tested here runs unchanged on AWS.
 *
 * Invariants: `approximateArrivalTimestamp` is epoch seconds with ms as the fraction
 * (1545084650.987); `eventID` is `shardId:sequenceNumber`; `data` is base64.
 */
import { randomUUID } from 'node:crypto';
import type { BatchItem } from './batch-item.js';

export interface KinesisEventRecord {
  kinesis: {
    kinesisSchemaVersion: '1.0';
    partitionKey: string;
    sequenceNumber: string;
    data: string;
    approximateArrivalTimestamp: number;
  };
  eventSource: 'aws:kinesis';
  eventVersion: '1.0';
  eventID: string;
  eventName: 'aws:kinesis:record';
  invokeIdentityArn: string;
  awsRegion: string;
  eventSourceARN: string;
}

export interface KinesisEvent {
  Records: KinesisEventRecord[];
}

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

/** `{ batchItemFailures: [{ itemIdentifier }] }` (ReportBatchItemFailures), or nothing. */
export type HandlerResponse = { batchItemFailures?: { itemIdentifier?: unknown }[] | null } | undefined | null | void;

export type KinesisHandler = (event: KinesisEvent, context: LambdaContext) => Promise<HandlerResponse> | HandlerResponse;

export const FUNCTION_NAME = 'loadgen-consumer';
const ACCOUNT = '000000000000';

export interface EventIdentity {
  region: string;
  eventSourceArn: string;
}

export function streamArnFor(region: string, streamName: string): string {
  return `arn:aws:kinesis:${region}:${ACCOUNT}:stream/${streamName}`;
}

export function buildEvent(items: readonly BatchItem[], identity: EventIdentity): KinesisEvent {
  const invokeIdentityArn = `arn:aws:iam::${ACCOUNT}:role/${FUNCTION_NAME}-role`;
  return {
    Records: items.map((item) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: item.partitionKey,
        sequenceNumber: item.sequenceNumber,
        data: Buffer.from(item.data.buffer, item.data.byteOffset, item.data.byteLength).toString('base64'),
        approximateArrivalTimestamp: item.arrivalMs / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${item.shardId}:${item.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn,
      awsRegion: identity.region,
      eventSourceARN: identity.eventSourceArn,
    })),
  };
}

/** A context whose remaining time counts down from the function timeout, by the injected clock (µs). */
export function buildContext(region: string, timeoutMs: number, nowUs: () => number): LambdaContext {
  const deadlineUs = nowUs() + timeoutMs * 1000;
  const day = new Date(nowUs() / 1000).toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    functionName: FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${FUNCTION_NAME}`,
    memoryLimitInMB: '128',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${FUNCTION_NAME}`,
    logStreamName: `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, Math.round((deadlineUs - nowUs()) / 1000)),
  };
}

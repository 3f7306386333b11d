/**
 * The HTTP front door on 127.0.0.1: reads each request, applies injected faults, sends the three
 * metered operations through the limits layer and everything else straight to kinesalite, and
 * refreshes the limits layer's view of a stream after a call that changes its shards.
 *
 * Invariant: every request gets exactly one answer, except a dropped connection or one that
 * arrives while the server is stopping, which get none.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultInjector } from './fault-injector.js';
import { getRecords } from './get-records.js';
import type { MeterContext, MeteredRequest } from './meter-context.js';
import { putRecord } from './put-record.js';
import { putRecords } from './put-records.js';
import { AMZ_JSON, decodeBody, encodingOf, errorResponse, type WireResponse } from './wire.js';

/** Bodies above this are refused before parsing, as kinesalite does above its own 7 MiB cap. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

const METERED: Record<string, (context: MeterContext, request: MeteredRequest) => Promise<WireResponse>> = {
  PutRecords: putRecords,
  PutRecord: putRecord,
  GetRecords: getRecords,
};

/** Calls after which the stream's shard map must be read again. */
const RESHARDING = new Set(['CreateStream', 'SplitShard', 'MergeShards', 'UpdateShardCount']);

export interface ServerCounters {
  requests: number;
  /** Requests being handled right now; `stop` waits for zero before closing kinesalite's store. */
  inFlight: number;
  /** Set by `stop`: requests arriving on still-open keep-alive connections are cut off. */
  closing: boolean;
}

export function createLocalServer(context: MeterContext, faults: FaultInjector, counters: ServerCounters): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    counters.requests++;
    if (body === undefined) {
      res.writeHead(413, { 'transfer-encoding': 'chunked' }).end();
      return;
    }
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const encoding = encodingOf(req.headers['content-type']);
    const delayMs = faults.latencyMs(operation);
    if (delayMs > 0) await sleep(delayMs);
    const fault = faults.requestFault(operation);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const response =
      fault?.kind === 'fail'
        ? fault.statusCode === 500
          ? errorResponse(encoding ?? AMZ_JSON, 500, 'InternalFailure', 'Internal service failure.')
          : errorResponse(encoding ?? AMZ_JSON, 503, 'ServiceUnavailable', 'Service Unavailable.')
        : await dispatch(context, operation, req, body);
    res.writeHead(response.statusCode, response.headers).end(response.body);
  };

  return createServer((req, res) => {
    if (counters.closing) {
      req.socket.destroy();
      return;
    }
    counters.inFlight++;
    handle(req, res)
      .catch((error: unknown) => {
        if (res.headersSent || res.destroyed) return;
        const message = error instanceof Error ? error.message : String(error);
        const response = errorResponse(AMZ_JSON, 500, 'InternalFailure', message);
        res.writeHead(response.statusCode, response.headers).end(response.body);
      })
      .finally(() => counters.inFlight--);
  });
}

async function dispatch(
  context: MeterContext,
  operation: string,
  req: IncomingMessage,
  body: Buffer,
): Promise<WireResponse> {
  const encoding = encodingOf(req.headers['content-type']);
  const handler = METERED[operation];
  const data = encoding === undefined ? undefined : decodeBody(encoding, body);
  if (handler !== undefined && encoding !== undefined && data !== undefined) {
    return handler(context, { operation, encoding, data, headers: req.headers, body });
  }
  const response = await context.backend.invoke(req.headers, body, req.url);
  const streamName = data?.['StreamName'];
  if (response.statusCode === 200 && typeof streamName === 'string') {
    if (RESHARDING.has(operation)) context.registry.invalidate(streamName);
    if (operation === 'DeleteStream') context.registry.forget(streamName);
  }
  return response;
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks, length)));
    req.on('error', reject);
  });
}

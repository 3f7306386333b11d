/**
 * Runs kinesalite in-process and calls its HTTP request listener directly with a synthetic
 * request/response pair, so every Kinesis operation is answered by kinesalite's own code
 * (storage, validation, error messages) without a second socket hop.
 *
 * Invariants: the kinesalite server object never listens; each `invoke` delivers the whole body in
 * one chunk and resolves exactly once, with the status, headers and body kinesalite wrote.
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { IncomingHttpHeaders, RequestListener, Server } from 'node:http';

const require = createRequire(import.meta.url);

interface KinesaliteOptions {
  path?: string;
  createStreamMs: number;
  deleteStreamMs: number;
  updateStreamMs: number;
  shardLimit: number;
}

interface KinesaliteValidations {
  checkTypes(data: unknown, types: unknown): unknown;
  checkValidations(data: unknown, types: unknown, custom: unknown, operation: string): void;
}

const createKinesalite = require('kinesalite') as (options: KinesaliteOptions) => Server;
const kinesaliteRequire = createRequire(require.resolve('kinesalite'));
const validations = kinesaliteRequire('./validations') as KinesaliteValidations;

/** The `cbor` codec kinesalite itself uses, so both sides agree byte for byte. */
export const cbor = kinesaliteRequire('cbor') as {
  Decoder: { decodeFirstSync(input: Buffer): unknown };
  Encoder: { encodeOne(value: unknown): Buffer };
};

/** Account id kinesalite puts in its messages (it reads the same variable the same way). */
export const accountId = (process.env['AWS_ACCOUNT_ID'] ?? '0000-0000-0000').replace(/[^\d]/g, '');

export interface BackendResponse {
  statusCode: number;
  headers: Record<string, string | number>;
  body: Buffer;
}

export interface KinesaliteBackendOptions {
  dataDir?: string | undefined;
  transitionMs: number;
  shardLimit: number;
}

export interface KinesaliteBackend {
  /** Hands one HTTP request (headers + complete body) to kinesalite and collects its answer. */
  invoke(headers: IncomingHttpHeaders, body: Buffer, url?: string): Promise<BackendResponse>;
  /** Calls an operation with a JSON payload, as a signed SDK request would. */
  call(operation: string, params: object): Promise<{ statusCode: number; data: Record<string, unknown> }>;
  /**
   * Runs kinesalite's own request validation for `operation`; returns false when kinesalite would
   * answer 400, so the caller can let kinesalite produce the exact AWS error itself.
   */
  isValid(operation: string, data: unknown): boolean;
  close(): Promise<void>;
}

class SyntheticRequest extends EventEmitter {
  readonly method = 'POST';
  constructor(
    readonly headers: IncomingHttpHeaders,
    readonly url: string,
  ) {
    super();
  }
}

class SyntheticResponse {
  statusCode = 200;
  contentType: string | undefined;
  readonly headers: Record<string, string | number> = {};
  constructor(private readonly done: (response: BackendResponse) => void) {}
  setHeader(name: string, value: string | number): void {
    this.headers[name.toLowerCase()] = value;
  }
  end(body?: string | Buffer | null): void {
    const bytes = body == null ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    this.done({ statusCode: this.statusCode, headers: this.headers, body: bytes });
  }
}

const validationModules = new Map<string, { types: unknown; custom?: unknown }>();

function validationFor(operation: string): { types: unknown; custom?: unknown } {
  let module = validationModules.get(operation);
  if (module === undefined) {
    const file = operation.charAt(0).toLowerCase() + operation.slice(1);
    module = kinesaliteRequire(`./validations/${file}`) as { types: unknown; custom?: unknown };
    validationModules.set(operation, module);
  }
  return module;
}

/** Headers that pass kinesalite's signature-presence check; it never verifies signatures. */
function internalHeaders(operation: string): IncomingHttpHeaders {
  return {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `Kinesis_20131202.${operation}`,
    'x-amz-date': '20260101T000000Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=0',
  };
}

export function createKinesaliteBackend(options: KinesaliteBackendOptions): KinesaliteBackend {
  const server = createKinesalite({
    ...(options.dataDir === undefined ? {} : { path: options.dataDir }),
    createStreamMs: options.transitionMs,
    deleteStreamMs: options.transitionMs,
    updateStreamMs: options.transitionMs,
    shardLimit: options.shardLimit,
  });
  const listener = server.listeners('request')[0] as RequestListener;

  const invoke = (headers: IncomingHttpHeaders, body: Buffer, url = '/'): Promise<BackendResponse> =>
    new Promise((resolve) => {
      const request = new SyntheticRequest(headers, url);
      const response = new SyntheticResponse(resolve);
      listener(request as never, response as never);
      if (body.length > 0) request.emit('data', body);
      request.emit('end');
    });

  return {
    invoke,
    async call(operation, params) {
      const response = await invoke(internalHeaders(operation), Buffer.from(JSON.stringify(params)));
      const text = response.body.toString('utf8');
      return { statusCode: response.statusCode, data: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    isValid(operation, data) {
      const module = validationFor(operation);
      try {
        const typed = validations.checkTypes(data, module.types);
        validations.checkValidations(typed, module.types, module.custom, operation);
        return true;
      } catch (error) {
        if (typeof error === 'object' && error !== null && 'statusCode' in error) return false;
        throw error;
      }
    },
    close: () =>
      new Promise((resolve, reject) => {
        // kinesalite closes its LevelDB store, then the (never listening) http.Server, which
        // reports ERR_SERVER_NOT_RUNNING: that is the expected end state, not a failure.
        server.close((error?: Error & { code?: string }) => {
          if (error && error.code !== 'ERR_SERVER_NOT_RUNNING') reject(error);
          else resolve();
        });
      }),
  };
}

/**
 * The two Kinesis wire encodings (awsJson1_1 and CBOR 1.1) and the AWS error shape, so the limits
 * layer can read and rewrite the requests it meters in whichever encoding the client chose.
 *
 * `@aws-sdk/client-kinesis` 3.1143.0 sends `application/x-amz-json-1.1` (its AwsJson1_1Protocol);
 * the Java SDK and KPL send `application/x-amz-cbor-1.1`, where blobs are byte strings instead of
 * base64 text. Invariant: a body re-encoded here is decodable by kinesalite, byte-compatible for CBOR.
 */
import { cbor } from './kinesalite-backend.js';

export const AMZ_JSON = 'application/x-amz-json-1.1';
export const AMZ_CBOR = 'application/x-amz-cbor-1.1';

export type WireEncoding = typeof AMZ_JSON | typeof AMZ_CBOR;

/** The encoding named by a Content-Type header, or undefined for anything kinesalite should judge. */
export function encodingOf(contentType: string | undefined): WireEncoding | undefined {
  const base = (contentType ?? '').split(';')[0]?.trim();
  return base === AMZ_JSON || base === AMZ_CBOR ? base : undefined;
}

/** Parses a request or response body; undefined when it is not an object (kinesalite will answer). */
export function decodeBody(encoding: WireEncoding, body: Buffer): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = encoding === AMZ_CBOR ? cbor.Decoder.decodeFirstSync(body) : JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function encodeBody(encoding: WireEncoding, value: unknown): Buffer {
  return encoding === AMZ_CBOR ? cbor.Encoder.encodeOne(value) : Buffer.from(JSON.stringify(value), 'utf8');
}

/**
 * Decoded length of a blob without decoding it: a JSON blob is base64 text, where every 4 characters
 * carry 3 bytes minus the `=` padding (a 100-byte record travels as 136 characters, 1 of them `=`).
 */
export function blobBytes(blob: unknown): number {
  if (Buffer.isBuffer(blob) || blob instanceof Uint8Array) return blob.length;
  if (typeof blob !== 'string') return 0;
  const padding = blob.endsWith('==') ? 2 : blob.endsWith('=') ? 1 : 0;
  return Math.floor((blob.length * 3) / 4) - padding;
}

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string | number>;
  body: Buffer;
}

/** An AWS JSON/CBOR error answer: `{"__type": type, "message": message}` with the given status. */
export function errorResponse(encoding: WireEncoding, statusCode: number, type: string, message: string): WireResponse {
  return dataResponse(encoding, { __type: type, message }, statusCode);
}

export function dataResponse(encoding: WireEncoding, data: unknown, statusCode = 200): WireResponse {
  const body = encodeBody(encoding, data);
  return {
    statusCode,
    headers: {
      'content-type': encoding,
      'content-length': body.length,
      'x-amzn-requestid': crypto.randomUUID(),
    },
    body,
  };
}

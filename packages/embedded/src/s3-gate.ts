import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { isRefusal, parseS3Url, type S3Credentials, type S3Refusal, verifySigV4 } from './sigv4.js';

/** Query parameters that address a sub-resource (ACLs, uploads, listings…) rather than an object's bytes. */
const SUBRESOURCES = new Set([
  'acl',
  'cors',
  'delete',
  'lifecycle',
  'list-type',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'tagging',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
]);

export interface S3GateOptions {
  credentials: S3Credentials;
  /** Object key prefixes in `bucket` anyone may GET and HEAD (published galleries, renditions). */
  publicRead: { bucket: string; prefixes: string[] };
  /** Largest body with a hex payload hash that is held in memory to check it (the SDK's parts are 8 MiB). */
  maxVerifiedBody?: number;
}

export type GateDecision =
  | { allow: true; anonymous: true }
  | { allow: true; anonymous: false; payloadHash: string }
  | ({ allow: false } & S3Refusal);

/**
 * Who may do what on the embedded S3 (the request's headers only): anyone may read objects under
 * the public prefixes and send CORS preflights; everything else needs a valid SigV4 signature with
 * the embedded key pair. Paths with `.` or `..` segments are refused outright (s3rver would resolve
 * them on disk).
 */
export async function decideS3Request(
  request: { method: string; url: string; headers: IncomingMessage['headers'] },
  options: S3GateOptions,
  now = Date.now(),
): Promise<GateDecision> {
  const parsed = parseS3Url(request.url);
  if (!parsed)
    return { allow: false, status: 400, code: 'InvalidURI', message: 'Could not parse the request URI' };
  const [, bucket = '', ...keyParts] = parsed.segments;
  const key = keyParts.join('/');
  if (key.split('/').some((s) => s === '.' || s === '..'))
    return {
      allow: false,
      status: 400,
      code: 'InvalidURI',
      message: 'Object keys may not contain . or .. segments',
    };
  const queryKeys = Object.keys(parsed.query);
  const presigned = queryKeys.some((k) => k.toLowerCase().startsWith('x-amz-') || k === 'Signature');
  if (presigned)
    return {
      allow: false,
      status: 403,
      code: 'AccessDenied',
      message: 'Presigned URLs are not accepted by the embedded S3; sign the Authorization header',
    };
  if (request.headers.authorization !== undefined) {
    const verified = await verifySigV4(request, options.credentials, { now });
    return isRefusal(verified)
      ? { allow: false, ...verified }
      : { allow: true, anonymous: false, payloadHash: verified.payloadHash };
  }
  const publicObject =
    bucket === options.publicRead.bucket &&
    key !== '' &&
    options.publicRead.prefixes.some((p) => key.startsWith(p)) &&
    !queryKeys.some((k) => SUBRESOURCES.has(k));
  if (publicObject && (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS'))
    return { allow: true, anonymous: true };
  return {
    allow: false,
    status: 403,
    code: 'AccessDenied',
    message:
      request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS'
        ? 'Only published galleries and renditions can be read without a signature'
        : 'Anonymous writes are refused: sign requests (AWS Signature Version 4) with the embedded S3 credentials in credentials.json',
  };
}

function refuse(res: ServerResponse, refusal: S3Refusal): void {
  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  res
    .writeHead(refusal.status, { 'content-type': 'application/xml', connection: 'close' })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${xml(refusal.message)}</Message></Error>`,
    );
}

/** Reads a body of at most `max` bytes; undefined when it is longer. */
async function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The request again, with a body already read and checked: what the S3 handler reads from. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new Readable({ read() {} });
  copy.push(body);
  copy.push(null);
  return Object.assign(copy, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    socket: req.socket,
    connection: req.socket,
    complete: true,
  }) as unknown as IncomingMessage;
}

/**
 * Wraps an S3 request handler (s3rver's) with the gate: refused requests never reach it; a body
 * with a hex payload hash is read and checked before it does (so a mismatch writes nothing); the
 * handler sees path-style, unsigned requests on its own address.
 */
export function s3Gate(
  options: S3GateOptions,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  ownHost: () => string,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const maxVerifiedBody = options.maxVerifiedBody ?? 64 * 1024 * 1024;
  return async (req, res) => {
    try {
      const decision = await decideS3Request(
        { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers },
        options,
      );
      if (!decision.allow) return refuse(res, decision);
      let forwarded = req;
      if (!decision.anonymous && /^[0-9a-f]{64}$/.test(decision.payloadHash)) {
        const body = await readBody(req, maxVerifiedBody);
        if (!body)
          return refuse(res, {
            status: 400,
            code: 'EntityTooLarge',
            message: `Bodies with a signed payload hash are limited to ${maxVerifiedBody} bytes here; send UNSIGNED-PAYLOAD or use multipart`,
          });
        if (createHash('sha256').update(body).digest('hex') !== decision.payloadHash)
          return refuse(res, {
            status: 400,
            code: 'XAmzContentSHA256Mismatch',
            message: 'The provided x-amz-content-sha256 header does not match what was computed',
          });
        forwarded = replay(req, body);
      }
      // s3rver takes a bucket name from a Host header that is not an address: never let it.
      forwarded.headers.host = ownHost();
      delete forwarded.headers.authorization;
      handler(forwarded, res);
    } catch (err) {
      refuse(res, { status: 500, code: 'InternalError', message: (err as Error).message });
    }
  };
}

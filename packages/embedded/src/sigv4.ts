import { createHash, createHmac, type Hash, type Hmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 / HMAC-SHA256 in the shape `@smithy/signature-v4` expects, on node:crypto. */
export class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(
      typeof data === 'string'
        ? data
        : ArrayBuffer.isView(data)
          ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
          : Buffer.from(data),
    );
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** A refusal in S3's terms: HTTP status and S3 error code. */
export interface S3Refusal {
  status: number;
  code: string;
  message: string;
}

/** The parts of a request the signature covers, as they arrived (raw URL, lower-case header names). */
export interface IncomingS3Request {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** S3's own encoding of a path segment or query part (RFC 3986 unreserved characters left as is). */
export function s3Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Splits a raw request URL into decoded path segments and query; undefined when it does not decode. */
export function parseS3Url(
  url: string,
): { segments: string[]; query: Record<string, string | string[]> } | undefined {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  try {
    const segments = rawPath.split('/').map((s) => decodeURIComponent(s));
    const query: Record<string, string | string[]> = {};
    for (const part of rawQuery.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const key = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
      const value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1));
      const prior = query[key];
      query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
    }
    return { segments, query };
  } catch {
    return undefined;
  }
}

const header = (h: IncomingS3Request['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface VerifiedSignature {
  /** The `x-amz-content-sha256` value: a hex digest the body must match, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
}

/**
 * Verifies an AWS Signature Version 4 `Authorization` header against one key pair, as S3 does:
 * the signature must cover `host`, `x-amz-date`, `x-amz-content-sha256` and every other `x-amz-*`
 * header sent, the key id and scope must match, and the date must be within `maxSkewMs` of `now`.
 * The canonical request is recomputed by `@smithy/signature-v4` (the AWS SDK's own signer) from
 * the request as it arrived. The body is not read here: the caller checks it against `payloadHash`.
 */
export async function verifySigV4(
  request: IncomingS3Request,
  credentials: S3Credentials,
  { now = Date.now(), maxSkewMs = 15 * 60_000 } = {},
): Promise<VerifiedSignature | S3Refusal> {
  const authorization = header(request.headers, 'authorization') ?? '';
  const m = AUTH.exec(authorization.trim());
  if (!m)
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'Only AWS Signature Version 4 in the Authorization header is accepted',
    };
  const [, keyId, scopeDate, region, service, signedList, signature] = m as unknown as string[];
  if (keyId !== credentials.accessKeyId)
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS access key id you provided does not exist in our records',
    };
  const signedHeaders = (signedList as string).split(';');
  const amzDate = header(request.headers, 'x-amz-date') ?? '';
  const d = AMZ_DATE.exec(amzDate);
  const payloadHash = header(request.headers, 'x-amz-content-sha256');
  const unsigned = Object.keys(request.headers).filter(
    (h) => h.startsWith('x-amz-') && !signedHeaders.includes(h),
  );
  if (
    !d ||
    service !== 's3' ||
    scopeDate !== amzDate.slice(0, 8) ||
    !payloadHash ||
    unsigned.length > 0 ||
    !['host', 'x-amz-date', 'x-amz-content-sha256'].every((h) => signedHeaders.includes(h))
  )
    return {
      status: 403,
      code: 'AccessDenied',
      message:
        'The signature must cover host, x-amz-date, x-amz-content-sha256 and every x-amz-* header, with a matching scope',
    };
  const [year = 0, month = 1, day = 1, hours = 0, minutes = 0, seconds = 0] = d.slice(1).map(Number);
  const signingDate = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  if (Math.abs(now - signingDate.getTime()) > maxSkewMs)
    return {
      status: 403,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the server time is too large',
    };
  if (!/^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== 'UNSIGNED-PAYLOAD')
    return {
      status: 400,
      code: 'NotImplemented',
      message: `x-amz-content-sha256 "${payloadHash}" is not supported here: send a hex SHA-256 or UNSIGNED-PAYLOAD (no aws-chunked encoding)`,
    };
  const url = parseS3Url(request.url);
  if (!url) return { status: 400, code: 'InvalidURI', message: 'Could not parse the request URI' };
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(request.headers, name);
    if (value === undefined)
      return { status: 403, code: 'AccessDenied', message: `Signed header ${name} is missing` };
    headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials,
    region: region as string,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.segments.map(s3Encode).join('/'),
      query: url.query,
      headers,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const computed = /Signature=([0-9a-f]{64})$/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
  const same =
    computed.length === 64 &&
    timingSafeEqual(Buffer.from(computed, 'hex'), Buffer.from(signature as string, 'hex'));
  if (!same)
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided',
    };
  return { payloadHash };
}

export const isRefusal = (v: VerifiedSignature | S3Refusal): v is S3Refusal => 'status' in v;

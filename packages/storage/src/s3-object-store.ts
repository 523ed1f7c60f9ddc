import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  type ObjectInfo,
  ObjectNotFoundError,
  type ObjectStore,
  type ObjectStoreStats,
  type PutOptions,
} from './object-store.js';

export interface S3ObjectStoreOptions {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Base URL for `publicUrl`; defaults to the path-style bucket URL on the endpoint. */
  publicBaseUrl?: string;
  maxAttempts?: number;
}

/** Largest stream of known length sent as one PUT (S3 allows 5 GB; beyond this, multipart). */
const MAX_SINGLE_PUT_BYTES = 64 * 1024 * 1024;
/** Multipart part size: at most this much of an unknown-length stream is in memory per part in flight. */
const PART_BYTES = 8 * 1024 * 1024;

const isNotFound = (err: unknown) =>
  err instanceof S3ServiceException &&
  (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata?.httpStatusCode === 404);

/**
 * A response body as one Buffer. With its length known, the chunks are copied once into a buffer of
 * that size (an original is megabytes: no list of chunks joined, no zero-filled copy for the GC).
 */
async function readBody(
  body: { transformToByteArray(): Promise<Uint8Array> } | undefined,
  length: number | undefined,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  if (length !== undefined && body instanceof Readable) {
    const out = Buffer.allocUnsafe(length);
    let at = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (at + chunk.length > length) throw new Error(`object body longer than its Content-Length ${length}`);
      chunk.copy(out, at);
      at += chunk.length;
    }
    if (at !== length) throw new Error(`object body ended after ${at} of ${length} bytes`);
    return out;
  }
  const bytes = await body.transformToByteArray();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** S3 through `@aws-sdk/client-s3`: AWS, MinIO, R2 or s3rver, all path-style. */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly client: S3Client;
  readonly stats: ObjectStoreStats = { total: 0, byCommand: {}, errors: 0, errorsByCommand: {} };
  private readonly baseUrl: string;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      maxAttempts: options.maxAttempts ?? 3,
      // The default (WHEN_SUPPORTED) sends aws-chunked framing that s3rver stores verbatim.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials:
        options.accessKeyId && options.secretAccessKey
          ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
          : undefined,
    });
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        this.stats.total += 1;
        const name = context.commandName ?? 'unknown';
        this.stats.byCommand[name] = (this.stats.byCommand[name] ?? 0) + 1;
        try {
          return await next(args);
        } catch (err) {
          if (!isNotFound(err)) {
            this.stats.errors += 1;
            this.stats.errorsByCommand[name] = (this.stats.errorsByCommand[name] ?? 0) + 1;
          }
          throw err;
        }
      },
      { step: 'finalizeRequest', name: 'lightboxRequestCounter' },
    );
    const endpoint = (options.endpoint ?? `https://s3.${options.region}.amazonaws.com`).replace(/\/+$/, '');
    this.baseUrl = (options.publicBaseUrl ?? `${endpoint}/${options.bucket}`).replace(/\/+$/, '');
  }

  async put(key: string, body: Buffer | Uint8Array | string | Readable, options: PutOptions) {
    const common = {
      Bucket: this.bucket,
      Key: key,
      ContentType: options.contentType,
      CacheControl: options.cacheControl,
    };
    const abortSignal = options.signal;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const out = await this.client.send(new PutObjectCommand({ ...common, Body: body }), { abortSignal });
      return { etag: out.ETag };
    }
    if (options.contentLength !== undefined && options.contentLength <= MAX_SINGLE_PUT_BYTES) {
      // Known length: one streamed PUT, no multipart round trips. A body that fails half way must
      // abort the request (a pipe does not pass errors on; the server would wait for the rest).
      const controller = new AbortController();
      const abort = () => controller.abort();
      abortSignal?.addEventListener('abort', abort, { once: true });
      body.once('error', abort);
      try {
        const out = await this.client.send(
          new PutObjectCommand({ ...common, Body: body, ContentLength: options.contentLength }),
          { abortSignal: controller.signal },
        );
        return { etag: out.ETag };
      } finally {
        abortSignal?.removeEventListener('abort', abort);
        body.off('error', abort);
      }
    }
    // Unknown length: multipart in parts of PART_BYTES (a body that fits in one part is one PUT).
    const abortController = new AbortController();
    const abort = () => abortController.abort();
    abortSignal?.addEventListener('abort', abort, { once: true });
    const upload = new Upload({
      client: this.client,
      params: { ...common, Body: body },
      queueSize: 2,
      partSize: PART_BYTES,
      abortController,
    });
    try {
      const out = await upload.done();
      return { etag: out.ETag };
    } finally {
      abortSignal?.removeEventListener('abort', abort);
    }
  }

  async getWithInfo(key: string): Promise<{ body: Buffer; info: ObjectInfo }> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = await readBody(out.Body, out.ContentLength);
      return {
        body,
        info: {
          key,
          size: body.length,
          etag: out.ETag,
          contentType: out.ContentType,
          cacheControl: out.CacheControl,
        },
      };
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(key);
      throw err;
    }
  }

  async get(key: string): Promise<Buffer> {
    return (await this.getWithInfo(key)).body;
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        key,
        size: out.ContentLength ?? 0,
        etag: out.ETag,
        contentType: out.ContentType,
        cacheControl: out.CacheControl,
      };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async copy(sourceKey: string, targetKey: string): Promise<void> {
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: targetKey,
          CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
    } catch (err) {
      if (isNotFound(err)) throw new ObjectNotFoundError(sourceKey);
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (err) {
      if (!isNotFound(err) && !(err instanceof S3ServiceException && err.name === 'NoSuchBucket')) throw err;
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    } catch (err) {
      const name = err instanceof S3ServiceException ? err.name : '';
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
    }
  }

  async ping(timeoutMs = 2_000): Promise<boolean> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
      return true;
    } catch {
      return false;
    }
  }

  publicUrl(key: string): string {
    return `${this.baseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  destroy(): void {
    this.client.destroy();
  }
}

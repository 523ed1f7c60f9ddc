import type { Readable } from 'node:stream';

export interface PutOptions {
  contentType: string;
  cacheControl?: string;
  /** Byte length of a stream body, when known (lets small streams go up in a single PUT). */
  contentLength?: number;
  /**
   * Aborts the upload (a stream body that failed half way): nothing is stored under the key, and a
   * multipart upload is aborted with its parts.
   */
  signal?: AbortSignal;
}

export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  contentType?: string;
  cacheControl?: string;
}

export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
  constructor(readonly key: string) {
    super(`No object at ${key}`);
  }
}

/** Requests sent, by command, and failed ones (a missing key is not a failure); for metrics. */
export interface ObjectStoreStats {
  total: number;
  errors: number;
  byCommand: Record<string, number>;
  errorsByCommand: Record<string, number>;
}

/** What Lightbox needs from object storage. The one implementation speaks S3. */
export interface ObjectStore {
  readonly bucket: string;
  /** Requests this process has sent so far. */
  readonly stats: ObjectStoreStats;
  put(
    key: string,
    body: Buffer | Uint8Array | string | Readable,
    options: PutOptions,
  ): Promise<{ etag?: string }>;
  /** Whole object; throws `ObjectNotFoundError` when absent. */
  get(key: string): Promise<Buffer>;
  /** Object with its headers; throws `ObjectNotFoundError` when absent. */
  getWithInfo(key: string): Promise<{ body: Buffer; info: ObjectInfo }>;
  /** `undefined` when absent. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Server-side copy within the bucket. */
  copy(sourceKey: string, targetKey: string): Promise<void>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  /** Keys under a prefix, in key order. */
  list(prefix: string): Promise<string[]>;
  /** Creates the bucket when missing. */
  ensureBucket(): Promise<void>;
  /** True when the bucket answers. */
  ping(timeoutMs?: number): Promise<boolean>;
  /** Where downstream sites fetch an object. */
  publicUrl(key: string): string;
}

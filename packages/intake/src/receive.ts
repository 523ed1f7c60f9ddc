import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { objectKeys } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';
import {
  HEAD_BYTES,
  imageEnds,
  JpegEndWatch,
  SNIFF_BYTES,
  type SniffedFormat,
  scanJpegHeader,
  sniffImageFormat,
} from './sniff.js';

/**
 * An original as intake received it, in one pass over its bytes: hashed, its head kept for the
 * format, metadata and header probe, and (when it may become a photo) streamed to object storage
 * on the way. Nothing was written to local disk.
 */
export interface ReceivedOriginal {
  sha256: string;
  size: number;
  /**
   * The first bytes. A JPEG's go up to its image data (every metadata segment and the header a
   * probe needs), at most `HEAD_BYTES`; other formats keep `whole`.
   */
  head: Buffer;
  /** The format its first bytes show; undefined when it is not an image Lightbox takes. */
  format?: SniffedFormat;
  /** Where it was stored; undefined when it was not (not an image, empty, or not to be kept). */
  originalKey?: string;
  /**
   * Every byte, kept in memory when the head is not enough: formats other than JPEG (their
   * metadata and header may be anywhere) and JPEGs with JUMBF (C2PA checks hash the whole file).
   */
  whole?: Buffer;
  /** A file holding the same bytes (hot folder), when there is one. */
  path?: string;
  /** Stored by this receipt (an upload no record keeps is deleted); false for an original stored before. */
  fresh?: boolean;
  /**
   * Whether the image's end arrived (a JPEG's end-of-image marker after its image data, a PNG's
   * IEND): false for a file cut short; undefined when the bytes cannot tell (`imageEnds`).
   */
  complete?: boolean;
}

export interface ReceiveOptions {
  /** Refuse bodies over this many bytes (`UploadTooLargeError`), whatever they claim. */
  maxBytes: number;
  /**
   * The length the sender declared (HTTP Content-Length, the file's size): the original goes up in
   * one streamed PUT. Without it, a multipart upload (one PUT when it fits in one part).
   */
  contentLength?: number;
  /** Where to stream the original; without it the body is only hashed (the transmission is refused anyway). */
  store?: ObjectStore;
  /** The arrival time, for the storage key's day. */
  now?: Date;
}

export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError';
  constructor(readonly limit: number) {
    super(`Upload exceeds the ${limit}-byte limit`);
  }
}

/** The body ended before (or ran past) the length its sender declared: nothing of it is kept. */
export class UploadIncompleteError extends Error {
  override readonly name = 'UploadIncompleteError';
  constructor(
    readonly received: number,
    readonly declared: number,
  ) {
    super(`The body had ${received} bytes where ${declared} were declared`);
  }
}

const asBuffer = (chunk: Buffer | Uint8Array | string): Buffer =>
  Buffer.isBuffer(chunk)
    ? chunk
    : typeof chunk === 'string'
      ? Buffer.from(chunk)
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/**
 * Reads a body once: hashes it, keeps its head, and streams it to `options.store` under a fresh
 * `originals/<day>/<id>.<ext>` key as it arrives (the key cannot be the hash, which is known only at
 * the end). Throws, with nothing stored, when the body fails half way, runs over the limit or does
 * not match its declared length.
 */
export async function receiveOriginal(body: Readable, options: ReceiveOptions): Promise<ReceivedOriginal> {
  const hash = createHash('sha256');
  const { maxBytes, contentLength } = options;
  if (contentLength !== undefined && contentLength > maxBytes) throw new UploadTooLargeError(maxBytes);
  let size = 0;
  const headParts: Buffer[] = [];
  let headSize = 0;
  let headDone = false;
  let format: SniffedFormat | undefined;
  let whole: Buffer[] | undefined;
  const end = new JpegEndWatch();

  /** For a JPEG: stops keeping the head at its image data; keeps every byte when it has JUMBF. */
  const scanHead = () => {
    if (headDone || format?.format !== 'jpeg') return;
    const joined = Buffer.concat(headParts);
    headParts.splice(0, headParts.length, joined);
    const scan = scanJpegHeader(joined);
    if (scan.headerEnd !== undefined || scan.exceeds) headDone = true;
    if (scan.headerEnd !== undefined) end.startAt(scan.headerEnd, joined);
    // The head holds every byte so far (it is not done, or was just completed by this chunk).
    if (scan.jumbf && !whole) whole = [joined];
  };
  const account = (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) throw new UploadTooLargeError(maxBytes);
    if (contentLength !== undefined && size > contentLength)
      throw new UploadIncompleteError(size, contentLength);
    hash.update(chunk);
    whole?.push(chunk);
    if (headDone) return end.push(chunk);
    const part = chunk.subarray(0, HEAD_BYTES - headSize);
    headParts.push(part);
    headSize += part.length;
    if (headSize >= HEAD_BYTES) headDone = true;
    else scanHead();
  };
  const checkLength = () => {
    if (contentLength !== undefined && size !== contentLength)
      throw new UploadIncompleteError(size, contentLength);
  };

  // Enough bytes to know the format (and so the key's extension) before anything is stored.
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | Uint8Array | string>;
  const first: Buffer[] = [];
  let ended = false;
  while (headSize < SNIFF_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = asBuffer(next.value);
    first.push(chunk);
    account(chunk);
  }
  format = sniffImageFormat(Buffer.concat(headParts));
  if (format && format.format !== 'jpeg') whole = [...first];
  scanHead();
  const finish = (originalKey?: string): ReceivedOriginal => {
    const all = whole ? Buffer.concat(whole) : undefined;
    const complete = format?.format === 'jpeg' ? end.complete : all ? imageEnds(all) : undefined;
    return {
      sha256: hash.digest('hex'),
      size,
      head: Buffer.concat(headParts),
      ...(format ? { format } : {}),
      ...(originalKey ? { originalKey } : {}),
      ...(all ? { whole: all } : {}),
      ...(complete !== undefined ? { complete } : {}),
    };
  };

  if (!format || size === 0 || !options.store) {
    // Nothing to keep: only the hash (a resend of the same bytes is the same transmission).
    whole = undefined;
    if (!ended)
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) account(asBuffer(n.value));
    checkLength();
    return finish();
  }

  const now = options.now ?? new Date();
  const key = objectKeys.receivedOriginal(
    now.toISOString().slice(0, 10),
    randomBytes(10).toString('hex'),
    format.ext,
  );
  async function* bytes(): AsyncGenerator<Buffer> {
    yield* first;
    if (!ended)
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) {
        const chunk = asBuffer(n.value);
        account(chunk);
        yield chunk;
      }
    checkLength();
  }
  const upload = Readable.from(bytes(), { objectMode: false });
  let failure: unknown;
  upload.once('error', (err) => {
    failure ??= err;
  });
  try {
    await options.store.put(key, upload, { contentType: format.contentType, contentLength });
    if (failure) throw failure;
  } catch (err) {
    // S3 keeps nothing of a PUT cut short or a multipart upload aborted; some stores (s3rver) keep
    // what they got. The key is fresh, so deleting it removes nothing else.
    await options.store.delete(key).catch(() => undefined);
    throw failure ?? err;
  }
  return { ...finish(key), fresh: true };
}

/**
 * An original already in object storage, as `receiveOriginal` would have received it (for a
 * replay of an acceptance): hashed, its head and every byte kept; nothing is stored or deleted.
 */
export function receivedFromBytes(bytes: Buffer, originalKey: string): ReceivedOriginal {
  const format = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES));
  const headerEnd =
    format?.format === 'jpeg' ? scanJpegHeader(bytes.subarray(0, HEAD_BYTES)).headerEnd : undefined;
  const complete = imageEnds(bytes);
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    head: bytes.subarray(0, Math.min(bytes.length, headerEnd ?? HEAD_BYTES)),
    ...(format ? { format } : {}),
    originalKey,
    whole: bytes,
    fresh: false,
    ...(complete !== undefined ? { complete } : {}),
  };
}

/**
 * Every byte of a received original: kept in memory (`whole`), else read from its file, else
 * downloaded again — a second read, for a check that needs the whole file where `receiveOriginal`
 * did not expect one (a JPEG's head already shows whether it carries C2PA JUMBF).
 */
export async function originalBytes(
  received: ReceivedOriginal,
  store: Pick<ObjectStore, 'get'>,
): Promise<Buffer> {
  if (received.whole) return received.whole;
  if (received.path) return readFile(received.path);
  if (received.originalKey) return store.get(received.originalKey);
  return received.head;
}

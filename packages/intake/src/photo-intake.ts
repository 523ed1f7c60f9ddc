import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PhotoCatalog } from '@lightbox/catalog';
import { objectKeys, type Photo, type PhotoStatus } from '@lightbox/contracts';
import { jobIdFor, type PipelineQueues } from '@lightbox/queue';
import type { ObjectStore } from '@lightbox/storage';
import { photoIdFor, SNIFF_BYTES, sanitizeFilename, sniffImageFormat } from './sniff.js';

export interface IntakeDeps {
  store: ObjectStore;
  photos: PhotoCatalog;
  queues: PipelineQueues;
  /** Where uploads are spooled while they are hashed. */
  spoolDir: string;
  maxBytes: number;
}

export interface IntakeSource {
  feed: string;
  filename?: string;
}

export interface IntakeResult {
  photoId: string;
  status: PhotoStatus;
  duplicate: boolean;
  /** Why the input was rejected, when `status` is `rejected`. */
  reason?: string;
}

export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError';
  constructor(readonly limit: number) {
    super(`Upload exceeds the ${limit}-byte limit`);
  }
}

/**
 * Accepts an original into the pipeline: hashes it, recognises the format from its bytes, stores it
 * at `originals/<sha256>.<ext>`, records the photo (exact duplicates are detected atomically) and
 * queues the ingest job. Once this returns, the photo is durable in S3 and Redis.
 */
export class PhotoIntake {
  constructor(private readonly deps: IntakeDeps) {}

  /** Spools a stream to disk while hashing it, enforcing the size limit, then accepts it. */
  async acceptStream(body: Readable, source: IntakeSource): Promise<IntakeResult> {
    await mkdir(this.deps.spoolDir, { recursive: true });
    const path = join(this.deps.spoolDir, `upload-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const limit = this.deps.maxBytes;
    try {
      await pipeline(
        body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > limit) throw new UploadTooLargeError(limit);
            if (head.length < SNIFF_BYTES)
              head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES - head.length)]);
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(path),
      );
      return await this.acceptSpooled(path, hash.digest('hex'), size, head, source);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** Accepts a file already on disk (hot folder). The file itself is not touched. */
  async acceptFile(path: string, source: IntakeSource): Promise<IntakeResult> {
    const info = await stat(path);
    if (info.size > this.deps.maxBytes) throw new UploadTooLargeError(this.deps.maxBytes);
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    const handle = await open(path, 'r');
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, info.size));
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    return this.acceptSpooled(path, hash.digest('hex'), info.size, head, source);
  }

  private async acceptSpooled(
    path: string,
    sha256: string,
    size: number,
    head: Buffer,
    source: IntakeSource,
  ): Promise<IntakeResult> {
    const { photos, store, queues } = this.deps;
    const photoId = photoIdFor(sha256);
    const filename = sanitizeFilename(source.filename);

    const existing = await photos.findBySha(sha256);
    if (existing) {
      // A crash between recording and queueing leaves a `received` photo without a job; the retry heals it.
      if (existing.status === 'received')
        await queues.add('ingest', { photoId: existing.photoId }, { jobId: jobIdFor(existing.photoId) });
      return { photoId: existing.photoId, status: existing.status, duplicate: true, reason: existing.error };
    }

    const now = new Date().toISOString();
    const base: Photo = {
      photoId,
      status: 'received',
      feed: source.feed,
      sha256,
      originalKey: '',
      contentType: 'application/octet-stream',
      bytes: size,
      filename,
      receivedAt: now,
      updatedAt: now,
    };

    const rejection =
      size === 0
        ? 'empty_file: the upload is empty (0 bytes)'
        : sniffImageFormat(head) === undefined
          ? 'unsupported_format: the bytes are not a JPEG, PNG, TIFF, WebP, HEIF, AVIF or GIF image'
          : undefined;
    if (rejection) {
      const { photo, created } = await photos.register({ ...base, status: 'rejected', error: rejection });
      return { photoId: photo.photoId, status: photo.status, duplicate: !created, reason: photo.error };
    }

    const format = sniffImageFormat(head) as NonNullable<ReturnType<typeof sniffImageFormat>>;
    const originalKey = objectKeys.original(sha256, format.ext);
    await store.put(originalKey, createReadStream(path), {
      contentType: format.contentType,
      contentLength: size,
    });
    const { photo, created } = await photos.register({
      ...base,
      originalKey,
      contentType: format.contentType,
    });
    if (!created)
      return { photoId: photo.photoId, status: photo.status, duplicate: true, reason: photo.error };
    await queues.add('ingest', { photoId }, { jobId: jobIdFor(photoId) });
    return { photoId, status: 'received', duplicate: false };
  }
}

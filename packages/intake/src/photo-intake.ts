import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PhotoCatalog } from '@lightbox/catalog';
import {
  objectKeys,
  type Photo,
  type PhotoMetadata,
  type PhotoStatus,
  type VersionKind,
} from '@lightbox/contracts';
import { mergeMetadata, readPhotoMetadata } from '@lightbox/metadata';
import { NewsmlError, type NewsmlPicture, parseNewsml } from '@lightbox/newsml';
import { jobIdFor, type PipelineQueues } from '@lightbox/queue';
import type { ObjectStore } from '@lightbox/storage';
import { interpretTransmission } from '@lightbox/wire-rules';
import {
  filenameProblem,
  jpegMetadataBytes,
  MAX_JPEG_METADATA_BYTES,
  photoIdFor,
  sanitizeFilename,
  sniffImageFormat,
} from './sniff.js';

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
  /** A NewsML-G2 picture newsItem that supplies or overrides the photo's metadata. */
  sidecar?: string | Buffer;
}

export interface IntakeResult {
  photoId: string;
  status: PhotoStatus;
  duplicate: boolean;
  /** The photo's version this transmission became (1 for a new photo). */
  version?: number;
  kind?: VersionKind;
  /** Why the input was rejected (`code: message`), when `status` is `rejected`. */
  reason?: string;
}

/** A body written to the spool directory while it was hashed. */
export interface SpooledFile {
  path: string;
  sha256: string;
  size: number;
  /** The first bytes: enough to recognise the format and read JPEG metadata. */
  head: Buffer;
}

export class UploadTooLargeError extends Error {
  override readonly name = 'UploadTooLargeError';
  constructor(readonly limit: number) {
    super(`Upload exceeds the ${limit}-byte limit`);
  }
}

/** Bytes read from the start of a file for format and metadata (JPEG metadata precedes the image data). */
const HEAD_BYTES = MAX_JPEG_METADATA_BYTES + 64 * 1024;

/**
 * Accepts an original into the pipeline. It hashes the bytes, recognises the format, reads the
 * caption metadata (with any NewsML-G2 sidecar) and decides what the transmission is: a new photo,
 * a new version (update or correction) of a known one, or a kill. It stores the original at
 * `originals/<sha256>.<ext>`, records it, and queues the ingest job. Once this returns, the
 * transmission is durable in S3 and Redis.
 */
export class PhotoIntake {
  constructor(private readonly deps: IntakeDeps) {}

  /** Spools a stream to disk while hashing it, enforcing the size limit. Call `discard` when done. */
  async spool(body: Readable): Promise<SpooledFile> {
    await mkdir(this.deps.spoolDir, { recursive: true });
    const path = join(this.deps.spoolDir, `upload-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const heads: Buffer[] = [];
    let headSize = 0;
    const limit = this.deps.maxBytes;
    try {
      await pipeline(
        body,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > limit) throw new UploadTooLargeError(limit);
            if (headSize < HEAD_BYTES) {
              const part = chunk.subarray(0, HEAD_BYTES - headSize);
              heads.push(part);
              headSize += part.length;
            }
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(path),
      );
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    return { path, sha256: hash.digest('hex'), size, head: Buffer.concat(heads) };
  }

  async discard(file: SpooledFile): Promise<void> {
    await rm(file.path, { force: true });
  }

  /** Spools, accepts and discards the spool file. */
  async acceptStream(body: Readable, source: IntakeSource): Promise<IntakeResult> {
    const file = await this.spool(body);
    try {
      return await this.accept(file, source);
    } finally {
      await this.discard(file);
    }
  }

  /** Accepts a file already on disk (hot folder). The file itself is not touched. */
  async acceptFile(path: string, source: IntakeSource): Promise<IntakeResult> {
    const info = await stat(path);
    if (info.size > this.deps.maxBytes) throw new UploadTooLargeError(this.deps.maxBytes);
    const hash = createHash('sha256');
    await pipeline(createReadStream(path), hash);
    const handle = await open(path, 'r');
    const head = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    return this.accept({ path, sha256: hash.digest('hex'), size: info.size, head }, source);
  }

  async accept(file: SpooledFile, source: IntakeSource): Promise<IntakeResult> {
    const { photos, store } = this.deps;
    const existing = await photos.findBySha(file.sha256);
    if (existing) {
      // A crash between recording and queueing leaves a `received` photo without a job; the retry heals it.
      if (existing.status === 'received') await this.queueIngest(existing.photoId, existing.version);
      return {
        photoId: existing.photoId,
        status: existing.status,
        duplicate: true,
        version: existing.version,
        reason: existing.error,
      };
    }

    const now = new Date().toISOString();
    const filename = sanitizeFilename(source.filename);
    const format = sniffImageFormat(file.head);
    const base: Photo = {
      photoId: photoIdFor(file.sha256),
      status: 'received',
      feed: source.feed,
      sha256: file.sha256,
      originalKey: '',
      contentType: format?.contentType ?? 'application/octet-stream',
      bytes: file.size,
      filename,
      receivedAt: now,
      updatedAt: now,
      version: 1,
    };
    /** The history entry of a refused transmission (nothing was stored). */
    const refused = (reason: string) => ({
      kind: 'original' as const,
      sha256: file.sha256,
      originalKey: '',
      receivedAt: now,
      feed: source.feed,
      filename,
      reason,
    });
    /** Bytes that can never be a photo: recorded under their hash, so resends are known duplicates. */
    const reject = async (code: string, message: string): Promise<IntakeResult> => {
      const reason = `${code}: ${message}`;
      const { photo, created } = await photos.register(
        { ...base, status: 'rejected', error: reason },
        refused(reason),
      );
      return { photoId: photo.photoId, status: photo.status, duplicate: !created, reason: photo.error };
    };
    /** A fault in how the bytes were sent (name, sidecar): recorded, but a correct resend goes through. */
    const refuseTransmission = async (code: string, message: string): Promise<IntakeResult> => {
      const reason = `${code}: ${message}`;
      const photoId = `rj_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
      await photos.recordRejection({ ...base, photoId, status: 'rejected', error: reason }, refused(reason));
      return { photoId, status: 'rejected', duplicate: false, reason };
    };
    const nameProblem = filenameProblem(source.filename);
    if (nameProblem) return refuseTransmission('invalid_filename', nameProblem);
    if (file.size === 0) return reject('empty_file', 'the upload is empty (0 bytes)');
    if (!format)
      return reject(
        'unsupported_format',
        'the bytes are not a JPEG, PNG, TIFF, WebP, HEIF, AVIF or GIF image',
      );
    if (format.format === 'jpeg' && jpegMetadataBytes(file.head).exceeds) {
      return reject(
        'metadata_too_large',
        `the metadata segments exceed ${MAX_JPEG_METADATA_BYTES / 1024 / 1024} MB`,
      );
    }
    let sidecar: NewsmlPicture | undefined;
    if (source.sidecar !== undefined) {
      try {
        const item = parseNewsml(source.sidecar);
        if (item.kind !== 'picture')
          return refuseTransmission(
            'sidecar_not_picture',
            `the NewsML-G2 sidecar is a ${item.kind} item, not a picture`,
          );
        sidecar = item;
      } catch (err) {
        if (err instanceof NewsmlError) return refuseTransmission(`sidecar_${err.code}`, err.message);
        throw err;
      }
    }

    const metadataBytes = format.format === 'jpeg' ? file.head : await readFile(file.path);
    const { metadata: embedded } = await readPhotoMetadata(metadataBytes);
    const overrides = sidecar ? sidecarOverrides(sidecar) : undefined;
    const meaning = interpretTransmission(overrides ? mergeMetadata(embedded, overrides) : embedded);
    const originalKey = objectKeys.original(file.sha256, format.ext);
    const version = {
      sha256: file.sha256,
      originalKey,
      receivedAt: now,
      feed: source.feed,
      filename,
      caption: (overrides?.caption ?? embedded.caption)?.slice(0, 2000),
      reason: meaning.reason,
    };
    const targetId = await photos.findByIdentity(meaning.identityKeys);
    const target = targetId ? await photos.get(targetId) : undefined;

    if (meaning.marker === 'kill' && target) {
      await store.put(originalKey, createReadStream(file.path), {
        contentType: format.contentType,
        contentLength: file.size,
      });
      if (target.status === 'killed') {
        const added = await photos.addVersion(target.photoId, { ...version, kind: 'kill' }, {});
        return 'duplicateOf' in added
          ? this.duplicateOf(added.duplicateOf)
          : {
              photoId: target.photoId,
              status: 'killed',
              duplicate: false,
              version: added.version,
              kind: 'kill',
            };
      }
      const added = await photos.addVersion(
        target.photoId,
        { ...version, kind: 'kill' },
        { status: 'killed', killed: { at: now, reason: meaning.reason ?? 'kill' } },
      );
      if ('duplicateOf' in added) return this.duplicateOf(added.duplicateOf);
      await this.queueIngest(target.photoId, added.version);
      return {
        photoId: target.photoId,
        status: 'killed',
        duplicate: false,
        version: added.version,
        kind: 'kill',
      };
    }

    if (target && meaning.marker !== 'kill') {
      if (target.status === 'killed')
        return reject('photo_killed', `this is a new version of ${target.photoId}, which was killed`);
      await store.put(originalKey, createReadStream(file.path), {
        contentType: format.contentType,
        contentLength: file.size,
      });
      const kind: VersionKind = meaning.marker === 'correction' ? 'correction' : 'update';
      const added = await photos.addVersion(
        target.photoId,
        { ...version, kind },
        {
          originalKey,
          contentType: format.contentType,
          bytes: file.size,
          sha256: file.sha256,
          status: 'received',
          sidecar: overrides ?? {},
          filename: filename ?? target.filename,
        },
      );
      if ('duplicateOf' in added) return this.duplicateOf(added.duplicateOf);
      await this.queueIngest(target.photoId, added.version);
      return { photoId: target.photoId, status: 'received', duplicate: false, version: added.version, kind };
    }

    // A new picture: a kill notice for a picture never seen, or a picture killed before it arrived.
    const tombstone =
      meaning.marker === 'kill'
        ? { reason: meaning.reason ?? 'kill', at: now }
        : await photos.findKillTombstone(meaning.identityKeys);
    await store.put(originalKey, createReadStream(file.path), {
      contentType: format.contentType,
      contentLength: file.size,
    });
    const photo: Photo = {
      ...base,
      originalKey,
      sidecar: overrides,
      ...(tombstone ? { status: 'killed' as const, killed: tombstone } : {}),
    };
    const { photo: stored, created } = await photos.register(photo, {
      ...version,
      kind: meaning.marker === 'kill' ? 'kill' : 'original',
    });
    if (!created) return this.duplicateOf(stored.photoId);
    if (meaning.marker === 'kill') {
      await photos.addKillTombstones(meaning.identityKeys, meaning.reason ?? 'kill');
      return { photoId: stored.photoId, status: 'killed', duplicate: false, version: 1, kind: 'kill' };
    }
    await photos.claimIdentities(stored.photoId, meaning.identityKeys);
    if (tombstone)
      return { photoId: stored.photoId, status: 'killed', duplicate: false, version: 1, kind: 'original' };
    await this.queueIngest(stored.photoId, 1);
    return { photoId: stored.photoId, status: 'received', duplicate: false, version: 1, kind: 'original' };
  }

  private async duplicateOf(photoId: string): Promise<IntakeResult> {
    const photo = await this.deps.photos.require(photoId);
    // Registered but never queued (the first attempt died in between): the resend repairs it.
    // The job id is deterministic, so a job that does exist is not queued twice.
    if (photo.status === 'received') await this.queueIngest(photoId, photo.version);
    return { photoId, status: photo.status, duplicate: true, version: photo.version, reason: photo.error };
  }

  private async queueIngest(photoId: string, version: number): Promise<void> {
    await this.deps.queues.add('ingest', { photoId }, { jobId: jobIdFor(photoId, `v${version}`) });
  }
}

/** The sidecar's fields that supply or override the embedded metadata. */
export function sidecarOverrides(item: NewsmlPicture): Partial<PhotoMetadata> {
  return {
    ...item.metadata,
    guid: item.guid,
    itemVersion: item.version,
    pubStatus: item.pubStatus,
    releaseDate: item.embargoed,
    editStatus: item.signals.find((s) => /correct|update|kill|withdraw/i.test(s)),
  };
}

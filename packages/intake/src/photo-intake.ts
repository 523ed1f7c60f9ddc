import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AuditLog, PhotoCatalog, PhotoLifecycle, TransmissionRecord } from '@lightbox/catalog';
import {
  type IntakePriority,
  type IntakeRoute,
  objectKeys,
  type Photo,
  type PhotoMetadata,
  type PhotoStatus,
  type VersionKind,
  type VersionOutcome,
} from '@lightbox/contracts';
import { applyFeedRules, type FeedRulesFile, rulesForFeed, withFeedRestrictions } from '@lightbox/feed-rules';
import { mergeMetadata, readPhotoMetadata } from '@lightbox/metadata';
import { NewsmlError, type NewsmlPicture, parseNewsml } from '@lightbox/newsml';
import type { LifecycleWork } from '@lightbox/queue';
import type { ReplicaAcks } from '@lightbox/redis';
import type { ObjectStore } from '@lightbox/storage';
import { interpretTransmission } from '@lightbox/wire-rules';
import type { AcceptanceLog } from './acceptance-log.js';
import type { ProvenanceStep } from './provenance-step.js';
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
  /** Decides and records what each transmission means (the only writer of a photo's status). */
  lifecycle: PhotoLifecycle;
  /** Queues what a recorded transmission sets off. */
  work: LifecycleWork;
  /** Where refused transmissions are audited. */
  audit?: AuditLog;
  /** Object storage's record of each accepted transmission, written before it is recorded in Redis. */
  acceptances: AcceptanceLog;
  /** Waits for Redis replicas to hold an acceptance before it is answered (when replicas exist). */
  replicaAcks?: Pick<ReplicaAcks, 'wait'>;
  /** Content Credentials, AI media, graphic content and licence expiry (issue 15). */
  provenance: ProvenanceStep;
  /** Per-feed rules (`LIGHTBOX_FEED_RULES_FILE`): codes, credit lines, default restrictions. */
  feedRules?: FeedRulesFile;
  /** Where each feed's arrivals and rejections are counted (feed health). */
  arrivals?: FeedArrivals;
  /** Where uploads are spooled while they are hashed. */
  spoolDir: string;
  maxBytes: number;
}

export interface IntakeSource {
  feed: string;
  /** How it came in (kept in the photo's history). */
  route?: IntakeRoute;
  filename?: string;
  /** A NewsML-G2 picture newsItem that supplies or overrides the photo's metadata. */
  sidecar?: string | Buffer;
  /** `bulk` for imports: the photo's pipeline work waits behind live wire photos (default `live`). */
  priority?: IntakePriority;
}

/** Counts a feed's transmissions for feed health (`FeedHealth` in packages/feed-health). */
export interface FeedArrivals {
  arrival(feed: string, outcome: 'accepted' | 'rejected'): Promise<void>;
}

export interface AcceptOptions {
  /** The transmission's arrival time; given when the reconciler replays an acceptance. */
  receivedAt?: string;
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
  /** What became of the transmission: current version, superseded, recorded on a killed photo, or a kill. */
  outcome?: VersionOutcome;
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
 * a new version (update or correction) of a known one, a release, or a kill. It stores the original
 * at `originals/<sha256>.<ext>`, then has the lifecycle decide and record what the transmission
 * means in one atomic step, and queues the work that sets off. Once this returns, the transmission
 * is durable in S3 and Redis.
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

  async accept(file: SpooledFile, source: IntakeSource, options: AcceptOptions = {}): Promise<IntakeResult> {
    const result = await this.acceptTransmission(file, source, options);
    // Feed health: every transmission counts (bad input as rejected); counting never fails one. A
    // replayed acceptance (the reconciler, after a Redis loss) arrived before: it is not counted again.
    const rejected = result.status === 'rejected' && !result.duplicate;
    if (!options.receivedAt)
      await this.deps.arrivals
        ?.arrival(source.feed, rejected ? 'rejected' : 'accepted')
        .catch(() => undefined);
    return result;
  }

  private async acceptTransmission(
    file: SpooledFile,
    source: IntakeSource,
    options: AcceptOptions,
  ): Promise<IntakeResult> {
    const { photos, lifecycle, store } = this.deps;
    const sidecarBytes =
      source.sidecar === undefined
        ? undefined
        : Buffer.isBuffer(source.sidecar)
          ? source.sidecar
          : Buffer.from(source.sidecar);
    const fingerprint = transmissionFingerprint(file.sha256, sidecarBytes);
    const existing = await photos.findBySha(fingerprint);
    if (existing) return this.duplicateOf(existing);

    const now = options.receivedAt ?? new Date().toISOString();
    const filename = sanitizeFilename(source.filename);
    const format = sniffImageFormat(file.head);
    const base: Photo = {
      photoId: photoIdFor(fingerprint),
      status: 'rejected',
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
    const entry = {
      sha256: file.sha256,
      originalKey: '',
      receivedAt: now,
      feed: source.feed,
      filename,
      ...(source.route ? { route: source.route } : {}),
    };
    /** Bytes that can never be a photo: recorded under their fingerprint, so resends are known duplicates. */
    const reject = async (code: string, message: string): Promise<IntakeResult> => {
      const reason = `${code}: ${message}`;
      const { photo, created } = await lifecycle.recordUnusable(
        { ...base, error: reason },
        { ...entry, kind: 'original', reason },
        fingerprint,
      );
      return { photoId: photo.photoId, status: photo.status, duplicate: !created, reason: photo.error };
    };
    /** A fault in how the bytes were sent (name, sidecar): recorded, but a correct resend goes through. */
    const refuseTransmission = async (code: string, message: string): Promise<IntakeResult> => {
      const reason = `${code}: ${message}`;
      const photoId = `rj_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
      await lifecycle.recordRefusal(
        { ...base, photoId, error: reason },
        { ...entry, kind: 'original', reason },
      );
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
    if (sidecarBytes !== undefined) {
      try {
        const item = parseNewsml(sidecarBytes);
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
    const feedRule = rulesForFeed(this.deps.feedRules, source.feed);
    const metadata = applyFeedRules(overrides ? mergeMetadata(embedded, overrides) : embedded, feedRule);
    const meaning = interpretTransmission(metadata);
    const provenance = await this.deps.provenance.check({
      feed: source.feed,
      fingerprint,
      path: file.path,
      head: file.head,
      whole: metadataBytes === file.head ? undefined : metadataBytes,
      contentType: format.contentType,
      embedded,
      sidecar: overrides,
      metadata,
      at: now,
    });
    const originalKey = objectKeys.original(file.sha256, format.ext);
    // The original is in storage before anything points at it (content-addressed: a second put of
    // the same bytes is harmless).
    await store.put(originalKey, createReadStream(file.path), {
      contentType: format.contentType,
      contentLength: file.size,
    });
    // Durable beyond Redis before Redis records it: the reconciler replays it from object storage.
    const acceptance = await this.deps.acceptances.record(
      {
        fingerprint,
        sha256: file.sha256,
        feed: source.feed,
        ...(source.route ? { route: source.route } : {}),
        ...(source.priority === 'bulk' ? { priority: source.priority } : {}),
        ...(filename ? { filename } : {}),
        receivedAt: now,
        originalKey,
        contentType: format.contentType,
        bytes: file.size,
        identityKeys: meaning.identityKeys,
      },
      sidecarBytes,
    );
    const record = await lifecycle.recordTransmission({
      facts: {
        feed: source.feed,
        group: lifecycle.groupOf(source.feed),
        marker: meaning.marker,
        reason: meaning.reason,
        identityKeys: meaning.identityKeys,
        embargo: meaning.embargo,
        itemVersion: meaning.itemVersion,
        at: now,
        ...provenance.facts,
      },
      fingerprint,
      newPhotoId: base.photoId,
      fields: {
        sha256: file.sha256,
        originalKey,
        contentType: format.contentType,
        bytes: file.size,
        filename,
        sidecar: overrides,
        metadata,
        restrictions: feedRule.restrictions
          ? withFeedRestrictions(meaning.restrictions, feedRule.restrictions)
          : meaning.restrictions,
        ...provenance.fields,
        ...(source.priority === 'bulk' ? { priority: 'bulk' as const } : {}),
      },
      entry: {
        ...entry,
        ...provenance.entry,
        originalKey,
        caption: metadata.caption?.slice(0, 2000),
        reason: meaning.reason,
        ...(meaning.embargo.state === 'until' ? { embargoUntil: meaning.embargo.until } : {}),
      },
    });
    const { decision, photo } = record;
    // Refused as a whole: nothing was accepted, its record goes (a replay's is the original's own).
    // A duplicate's stays: it may share its key with the first, and replays take the first arrival.
    if (decision.outcome === 'refused' && !options.receivedAt)
      await this.deps.acceptances.withdraw(acceptance);
    if (decision.outcome === 'duplicate') return this.duplicateOf(photo);
    if (decision.outcome === 'refused') {
      await this.deps.audit?.record({
        actor: `feed:${source.feed}`,
        action: 'transmission.refused',
        photoId: photo.photoId,
        detail: photo.error,
      });
      return { photoId: photo.photoId, status: 'rejected', duplicate: false, reason: photo.error };
    }
    await this.provenanceSettled(record, provenance.entry.manifestStoreKey);
    await this.deps.work.run(photo, record.effects);
    await this.deps.replicaAcks?.wait();
    return {
      photoId: photo.photoId,
      status: photo.status,
      duplicate: false,
      version: record.entry,
      kind: decision.kind,
      outcome: decision.versionOutcome,
    };
  }

  /**
   * A transmission whose photo will never be shown (its licence ran out before it arrived, or it
   * was recorded on a killed or expired photo) keeps no manifest store: stores embed thumbnails.
   * An expiry on arrival is audited like the sweep's.
   */
  private async provenanceSettled(record: TransmissionRecord, manifestStoreKey: string | undefined) {
    const { decision, photo } = record;
    if (decision.outcome !== 'new' && decision.outcome !== 'version') return;
    if (decision.state?.status === 'expired')
      await this.deps.audit?.record({
        actor: 'system',
        action: 'photo.expired',
        photoId: photo.photoId,
        detail: `licence ran out before it arrived: ${photo.expired?.reason ?? ''}`,
      });
    if (manifestStoreKey && (photo.status === 'killed' || photo.status === 'expired'))
      await this.deps.store.delete(manifestStoreKey);
  }

  private async duplicateOf(photo: Photo): Promise<IntakeResult> {
    // Recorded but never queued (the first attempt died in between): the resend repairs it. The
    // job id is deterministic, so a job that does exist is not queued twice.
    if (photo.status === 'received') await this.deps.work.run(photo, [{ kind: 'ingest' }]);
    return {
      photoId: photo.photoId,
      status: photo.status,
      duplicate: true,
      version: photo.version,
      reason: photo.error,
    };
  }
}

/**
 * What makes two transmissions the same: the bytes, and the sidecar that came with them (a NewsML
 * kill or correction may come with the very same image).
 */
export function transmissionFingerprint(sha256: string, sidecar: Buffer | undefined): string {
  if (!sidecar) return sha256;
  return createHash('sha256').update(sha256).update('\0').update(sidecar).digest('hex');
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

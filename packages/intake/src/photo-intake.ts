import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { type ActivityPublisher, clip } from '@lightbox/activity';
import type { AuditLog, PhotoCatalog, PhotoLifecycle, TransmissionRecord } from '@lightbox/catalog';
import type { IntakePriority, IntakeRoute, Photo } from '@lightbox/contracts';
import type { FeedRulesFile } from '@lightbox/feed-rules';
import type { LifecycleWork } from '@lightbox/queue';
import type { ReplicaAcks } from '@lightbox/redis';
import type { ObjectStore } from '@lightbox/storage';
import type { Acceptance, AcceptanceLog } from './acceptance-log.js';
import { classifyTransmission, transmissionFingerprint } from './classify.js';
import type { IntakeResult } from './intake-result.js';
import type { ProvenanceStep } from './provenance-step.js';
import { readTransmission, type TransmissionReading } from './read-transmission.js';
import { type ReceivedOriginal, receiveOriginal, UploadTooLargeError } from './receive.js';
import { recordTransmission } from './record-transmission.js';
import { filenameProblem, sanitizeFilename } from './sniff.js';
import { type Transmission, transmissionBase } from './transmission.js';

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
  /** The live feed: a `received` event for each photo or version taken in. */
  activity?: Pick<ActivityPublisher, 'publish'>;
  /** Largest upload, in bytes (`LIGHTBOX_MAX_UPLOAD_BYTES`). */
  maxBytes: number;
  /** Largest image, in pixels (`LIGHTBOX_MAX_INPUT_PIXELS`): bigger ones are rejected at intake. */
  maxInputPixels: number;
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

/**
 * Accepts an original into the pipeline. It reads the bytes once: hashes them while they stream to
 * object storage (`receiveOriginal`), keeps their head, recognises the format, reads the caption
 * metadata (with any NewsML-G2 sidecar) and probes the image header. Then the lifecycle decides and
 * records what the transmission means — a new photo, a new version (update or correction) of a
 * known one, a release, or a kill — in one atomic step, with the metadata and probe every later
 * stage uses, and the work that sets off is queued. Once this returns, the transmission is durable
 * in S3 and Redis; an upload that fails half way leaves nothing.
 */
export class PhotoIntake {
  constructor(private readonly deps: IntakeDeps) {}

  /**
   * Receives a body: hashed and streamed to storage in one pass (see `receiveOriginal`). Pass the
   * result to `accept`, or to `discard` when the request fails before that.
   */
  receive(body: Readable, options: { contentLength?: number } = {}): Promise<ReceivedOriginal> {
    return receiveOriginal(body, {
      maxBytes: this.deps.maxBytes,
      contentLength: options.contentLength,
      store: this.deps.store,
    });
  }

  /** Deletes what `receive` stored, for a request that failed before `accept` (never an earlier original). */
  async discard(received: ReceivedOriginal): Promise<void> {
    if (received.originalKey && received.fresh) await this.deps.store.delete(received.originalKey);
  }

  /** Receives and accepts a stream (HTTP body, S3 inbox object). */
  async acceptStream(
    body: Readable,
    source: IntakeSource,
    options: { contentLength?: number } = {},
  ): Promise<IntakeResult> {
    // A file name refused whatever the bytes: hash them, store nothing.
    const store = filenameProblem(source.filename) ? undefined : this.deps.store;
    const received = await receiveOriginal(body, {
      maxBytes: this.deps.maxBytes,
      contentLength: options.contentLength,
      store,
    });
    return this.accept(received, source);
  }

  /** Accepts a file already on disk (hot folder), reading it once. The file itself is not touched. */
  async acceptFile(path: string, source: IntakeSource): Promise<IntakeResult> {
    const info = await stat(path);
    if (info.size > this.deps.maxBytes) throw new UploadTooLargeError(this.deps.maxBytes);
    const stream = createReadStream(path);
    try {
      const received = await receiveOriginal(stream, {
        maxBytes: this.deps.maxBytes,
        contentLength: info.size,
        store: filenameProblem(source.filename) ? undefined : this.deps.store,
      });
      return await this.accept({ ...received, path }, source);
    } finally {
      stream.destroy();
    }
  }

  /**
   * Decides and records a received original. An upload that no record keeps (an exact duplicate, a
   * refused or unusable transmission) is deleted before this returns; an original that was already
   * stored (a replay) is never deleted. Every transmission counts for its feed's health.
   */
  async accept(
    file: ReceivedOriginal,
    source: IntakeSource,
    options: AcceptOptions = {},
  ): Promise<IntakeResult> {
    const result = await this.acceptOriginal(file, source, options);
    // Feed health: bad input counts as rejected; counting never fails a transmission. A replayed
    // acceptance (the reconciler, after a Redis loss) arrived before: it is not counted again.
    const rejected = result.status === 'rejected' && !result.duplicate;
    if (!options.receivedAt)
      await this.deps.arrivals
        ?.arrival(source.feed, rejected ? 'rejected' : 'accepted')
        .catch(() => undefined);
    return result;
  }

  private async acceptOriginal(
    file: ReceivedOriginal,
    source: IntakeSource,
    options: AcceptOptions,
  ): Promise<IntakeResult> {
    const stored = { kept: false };
    try {
      return await this.decide(file, source, options, stored);
    } finally {
      if (!stored.kept && file.fresh) await this.discard(file).catch(() => undefined);
    }
  }

  /**
   * The steps after `receive`: classify (bad input is recorded with its reason), read (metadata,
   * header, provenance), record (acceptance in S3, then the lifecycle's decision), and settle (the
   * answer, and the work the decision sets off is queued).
   */
  private async decide(
    file: ReceivedOriginal,
    source: IntakeSource,
    options: AcceptOptions,
    stored: { kept: boolean },
  ): Promise<IntakeResult> {
    const sidecarBytes =
      source.sidecar === undefined
        ? undefined
        : Buffer.isBuffer(source.sidecar)
          ? source.sidecar
          : Buffer.from(source.sidecar);
    const fingerprint = transmissionFingerprint(file.sha256, sidecarBytes);
    const existing = await this.deps.photos.findBySha(fingerprint);
    if (existing) return this.duplicateOf(existing, file.sha256);

    const now = options.receivedAt ?? new Date().toISOString();
    const filename = sanitizeFilename(source.filename);
    const t: Transmission = { file, source, options, sidecarBytes, fingerprint, now, filename };
    const classified = classifyTransmission(file, source.filename, sidecarBytes);
    if (classified.verdict !== 'image') return this.recordBadInput(t, classified);
    const read = await readTransmission(this.deps, t, classified.format, classified.sidecar);
    const { record, acceptance } = await recordTransmission(this.deps, t, read, stored);
    return this.settle(t, read, record, acceptance, stored);
  }

  /**
   * Bytes that can never be a photo: recorded under their fingerprint, so resends are known
   * duplicates. A fault in how the bytes were sent (name, sidecar): recorded, but a correct resend
   * goes through.
   */
  private async recordBadInput(
    t: Transmission,
    { verdict, code, message }: { verdict: 'unusable' | 'refused'; code: string; message: string },
  ): Promise<IntakeResult> {
    const { lifecycle } = this.deps;
    const reason = `${code}: ${message}`;
    const base = transmissionBase(t);
    if (verdict === 'unusable') {
      const { photo, created } = await lifecycle.recordUnusable(
        { ...base.photo, error: reason },
        { ...base.entry, kind: 'original', reason },
        t.fingerprint,
      );
      return { photoId: photo.photoId, status: photo.status, duplicate: !created, reason: photo.error };
    }
    const photoId = `rj_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    await lifecycle.recordRefusal(
      { ...base.photo, photoId, error: reason },
      { ...base.entry, kind: 'original', reason },
    );
    return { photoId, status: 'rejected', duplicate: false, reason };
  }

  /** Answers what the lifecycle decided, and queues the work it sets off. */
  private async settle(
    t: Transmission,
    read: TransmissionReading,
    record: TransmissionRecord,
    acceptance: Acceptance,
    stored: { kept: boolean },
  ): Promise<IntakeResult> {
    const { file, source, options, now } = t;
    const { probe, metadata, provenance } = read;
    const { decision, photo } = record;
    // Refused as a whole: nothing was accepted, its record goes (a replay's is the original's own).
    // A duplicate's goes too, with its upload (a copy under a key of its own).
    if (
      !options.receivedAt &&
      (decision.outcome === 'refused' || (decision.outcome === 'duplicate' && file.fresh))
    )
      await this.deps.acceptances.withdraw(acceptance);
    if (decision.outcome === 'duplicate') stored.kept = false;
    if (decision.outcome === 'duplicate') return this.duplicateOf(photo, file.sha256);
    if (decision.outcome === 'refused') {
      await this.deps.audit?.record({
        actor: `feed:${source.feed}`,
        action: 'transmission.refused',
        photoId: photo.photoId,
        detail: photo.error,
      });
      return { photoId: photo.photoId, status: 'rejected', duplicate: false, reason: photo.error };
    }
    const taken = { version: record.entry, kind: decision.kind, outcome: decision.versionOutcome };
    if (decision.outcome === 'version' && decision.versionOutcome === 'rejected' && !probe.ok)
      return this.versionRejected(photo, source.feed, record.effects, probe.reason, taken);
    const current = decision.outcome === 'new' || decision.versionOutcome === 'current';
    await this.provenanceSettled(record, provenance.entry.manifestStoreKey);
    if (current && !probe.ok) return this.rejectUnusable(photo, record.effects, probe.reason, taken);
    await this.deps.work.run(photo, record.effects);
    if (current && photo.status !== 'killed')
      await this.deps.activity?.publish({
        kind: 'received',
        at: now,
        photoId: photo.photoId,
        feed: photo.feed,
        caption: clip(metadata.caption ?? metadata.headline),
        credit: metadata.creditLine ?? metadata.credit,
      });
    await this.deps.replicaAcks?.wait();
    return { photoId: photo.photoId, status: photo.status, duplicate: false, ...taken };
  }

  /**
   * A version whose image header is unusable (corrupt, over the pixel limit, a format the decoder
   * does not take): recorded as sent, then rejected through the lifecycle with the reason, as a
   * stage would; nothing is rendered.
   */
  private async rejectUnusable(
    photo: Photo,
    effects: TransmissionRecord['effects'],
    reason: string,
    taken: Pick<IntakeResult, 'version' | 'kind' | 'outcome'>,
  ): Promise<IntakeResult> {
    const done = await this.deps.lifecycle.apply(
      photo.photoId,
      { type: 'reject', reason },
      { version: photo.version },
    );
    const pipeline = new Set(['render', 'match']);
    await this.deps.work.run(
      photo,
      effects.filter((e) => !pipeline.has(e.kind)),
    );
    if (!done.ok) {
      // Killed or replaced meanwhile: what happened then stands.
      return {
        photoId: photo.photoId,
        status: done.photo?.status ?? photo.status,
        duplicate: false,
        ...taken,
      };
    }
    await this.deps.work.run(done.photo, done.effects);
    await this.deps.replicaAcks?.wait();
    return { photoId: photo.photoId, status: 'rejected', duplicate: false, reason, ...taken };
  }

  /**
   * A version whose bytes cannot be used, sent for a photo that has a usable one: recorded as
   * rejected with the reason, and the photo keeps its current version (published stays published).
   */
  private async versionRejected(
    photo: Photo,
    feed: string,
    effects: TransmissionRecord['effects'],
    reason: string,
    taken: Pick<IntakeResult, 'version' | 'kind' | 'outcome'>,
  ): Promise<IntakeResult> {
    await this.deps.work.run(photo, effects);
    await this.deps.audit?.record({
      actor: `feed:${feed}`,
      action: 'version.rejected',
      photoId: photo.photoId,
      detail: `version ${taken.version ?? '?'}: ${reason}`,
    });
    await this.deps.replicaAcks?.wait();
    return { photoId: photo.photoId, status: photo.status, duplicate: false, reason, ...taken };
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

  private async duplicateOf(photo: Photo, sha256: string): Promise<IntakeResult> {
    // Recorded but never queued (the first attempt died in between): the resend repairs it. The
    // job id is deterministic, so a job that does exist is not queued twice.
    // A photo with renditions was rendered: a resend must not render it again.
    if (photo.status === 'received' && !photo.renditions?.length)
      await this.deps.work.run(photo, [{ kind: 'render' }]);
    // Bytes of a version rejected on their own (the photo kept its picture): refused again.
    if (photo.status !== 'rejected' && photo.sha256 !== sha256) {
      const rejected = (await this.deps.photos.versions(photo.photoId)).find(
        (v) => v.sha256 === sha256 && v.outcome === 'rejected',
      );
      if (rejected)
        return {
          photoId: photo.photoId,
          status: photo.status,
          duplicate: true,
          version: rejected.version,
          outcome: 'rejected',
          reason: rejected.rejection,
        };
    }
    return {
      photoId: photo.photoId,
      status: photo.status,
      duplicate: true,
      version: photo.version,
      reason: photo.error,
    };
  }
}

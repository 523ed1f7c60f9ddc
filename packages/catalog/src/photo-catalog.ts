import {
  PHOTO_STATUSES,
  type Photo,
  type PhotoMetadata,
  type PhotoStatus,
  type PhotoVersion,
} from '@lightbox/contracts';
import { FINAL_STATUSES } from '@lightbox/lifecycle';
import type { Redis } from 'ioredis';
import { SEQ_BUCKET, type StateKeys, stateKeys } from './keys.js';
import {
  decodePhoto,
  decodeVersion,
  encodePhoto,
  encodeVersion,
  type PhotoFieldsPatch,
  patchPhoto,
  storedCaption,
} from './photo-record.js';
import { newestFirst, type PhotoPage, type PhotoQuery, PhotoSearchIndex } from './photo-search-index.js';
import { DEL_IF_EQUALS, RESTORE_SEQ } from './scripts.js';
import { runCommit, StateCommit } from './state-commit.js';

/** Everything Redis holds about one photo, as archived to S3. */
export interface PhotoState {
  photo: Photo;
  versions: PhotoVersion[];
  /** The wire identity keys (GUID, source+reference…) the photo owns, so resends still find it after a restore. */
  identityKeys: string[];
}

export interface RegisterResult {
  photo: Photo;
  /** False when the same bytes were already registered; `photo` is then the existing record. */
  created: boolean;
}

/** Photo records in Redis: one hash per photo, plus a sha256 index for exact-duplicate detection. */
export class PhotoCatalog {
  private readonly keys: StateKeys;
  private readonly searchIndex: PhotoSearchIndex;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = stateKeys(prefix);
    this.searchIndex = new PhotoSearchIndex(redis, this.keys);
  }

  /**
   * Records a new photo and its first version in one step, unless the same transmission (its
   * fingerprint: the sha256 of the bytes, with the sidecar's when one came along) is already
   * recorded; then the existing record comes back. The lifecycle (`PhotoLifecycle`) decides what
   * the status is; tests use this to set up records.
   */
  async register(
    photo: Photo,
    first: Omit<PhotoVersion, 'version'>,
    fingerprint = photo.sha256,
  ): Promise<RegisterResult> {
    const k = this.keys;
    const commit = this.newCommit()
      .expect(k.photoBySha(fingerprint), undefined)
      .expectField(k.photo(photo.photoId), 'photoId', undefined);
    this.writeNew(commit, { ...photo, version: 1 }, first, fingerprint);
    const done = await runCommit(this.redis, commit);
    if (done.ok) return { photo: { ...photo, version: 1, rev: 1 }, created: true };
    const existing = await this.findBySha(fingerprint);
    if (!existing) throw new Error(`photo ${photo.photoId} exists under another sha256`);
    return { photo: existing, created: false };
  }

  /** A commit on this catalog's keys. */
  newCommit(): StateCommit {
    return new StateCommit(this.keys.prefix);
  }

  /** The writes of a new record: fields, status and arrival indexes, first history entry, fingerprint. */
  writeNew(
    commit: StateCommit,
    photo: Photo,
    first: Omit<PhotoVersion, 'version'>,
    fingerprint: string,
  ): void {
    const k = this.keys;
    const key = k.photo(photo.photoId);
    const arrival = Date.parse(photo.receivedAt);
    commit
      .status(key, photo.photoId, JSON.stringify(photo.status), arrival)
      .hset(key, encodePhoto({ ...photo, rev: undefined }, photo.photoId))
      .bump(key)
      .zadd(k.photosByTime, arrival, photo.photoId)
      .entry(key, k.photoVersions(photo.photoId), encodeVersion(first, photo.metadata?.caption), false)
      .set(k.photoBySha(fingerprint), photo.photoId);
    this.expiryIndex(commit, photo.photoId, photo.expiresAt, photo.status);
  }

  async get(photoId: string): Promise<Photo | undefined> {
    return decodePhoto(await this.redis.hgetall(this.keys.photo(photoId)));
  }

  async require(photoId: string): Promise<Photo> {
    const photo = await this.get(photoId);
    if (!photo) throw new PhotoNotFoundError(photoId);
    return photo;
  }

  async getMany(photoIds: string[]): Promise<Photo[]> {
    if (photoIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of photoIds) pipeline.hgetall(this.keys.photo(id));
    const replies = (await pipeline.exec()) ?? [];
    const photos: Photo[] = [];
    for (const [err, hash] of replies) {
      if (err) throw err;
      const photo = decodePhoto(hash as Record<string, string>);
      if (photo) photos.push(photo);
    }
    return photos;
  }

  async findBySha(sha256: string): Promise<Photo | undefined> {
    const id = await this.redis.get(this.keys.photoBySha(sha256));
    return id ? this.get(id) : undefined;
  }

  /**
   * For each transmission fingerprint, whether Redis has it recorded on a photo that is still there
   * (the reconciler's check of acceptances, in batches: one MGET and one pipeline of EXISTS).
   */
  async knownFingerprints(fingerprints: string[]): Promise<boolean[]> {
    if (fingerprints.length === 0) return [];
    const ids = await this.redis.mget(fingerprints.map((f) => this.keys.photoBySha(f)));
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(this.keys.photo(id ?? ''));
    const replies = (await pipeline.exec()) ?? [];
    return ids.map((id, i) => id !== null && replies[i]?.[1] === 1);
  }

  /**
   * Sets the given fields (and `updatedAt`); fields set to `null` are removed. Never the status:
   * that goes through `PhotoLifecycle`. With `onlyIf`, the write happens only while the record is
   * still at that version and not in one of those statuses (a stage's result for a version that
   * was replaced, or a photo killed meanwhile, is dropped); returns whether it was written.
   */
  async update(
    photoId: string,
    patch: PhotoFieldsPatch,
    onlyIf?: { version: number; notIn?: readonly PhotoStatus[] },
  ): Promise<boolean> {
    const key = this.keys.photo(photoId);
    const commit = this.newCommit().expectFieldNot(key, 'photoId', ['']);
    if (onlyIf) {
      commit.expectField(key, 'version', String(onlyIf.version));
      if (onlyIf.notIn?.length)
        commit.expectFieldNot(
          key,
          'status',
          onlyIf.notIn.map((s) => JSON.stringify(s)),
        );
    }
    patchPhoto(commit, key, { ...patch, updatedAt: new Date().toISOString() }, photoId);
    const done = await runCommit(this.redis, commit);
    if (!done.ok) {
      if (!onlyIf) throw new PhotoNotFoundError(photoId);
      if (!(await this.redis.exists(key))) throw new PhotoNotFoundError(photoId);
      return false;
    }
    if (patch.metadata) await this.searchIndex.index(photoId, patch.metadata);
    return true;
  }

  /** Files or unfiles the photo in the awaiting-story index (capture instant, ms; null: out). */
  awaitingStory(commit: StateCommit, photoId: string, at: number | null): void {
    if (at === null) commit.zrem(this.keys.photosAwaitingStory, photoId);
    else commit.zadd(this.keys.photosAwaitingStory, at, photoId);
  }

  /**
   * Files the photo in the by-expiry index the expiry sweep reads, or takes it out (no expiry, or a
   * final status). Part of every commit that writes `expiresAt` or a final status.
   */
  expiryIndex(
    commit: StateCommit,
    photoId: string,
    expiresAt: string | undefined,
    status: PhotoStatus,
  ): void {
    const at = expiresAt ? Date.parse(expiresAt) : Number.NaN;
    if (Number.isNaN(at) || FINAL_STATUSES.has(status)) commit.zrem(this.keys.photosByExpiry, photoId);
    else commit.zadd(this.keys.photosByExpiry, at, photoId);
  }

  /** Takes a stale entry (a photo gone or already final) out of the by-expiry index. */
  async dropFromExpiryIndex(photoId: string): Promise<void> {
    await this.redis.zrem(this.keys.photosByExpiry, photoId);
  }

  /** Up to `limit` photos whose licence ran out by `nowMs`, earliest first. */
  async expiredBy(nowMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.photosByExpiry, '-inf', nowMs, 'LIMIT', 0, limit);
  }

  /** Files the photo under its words, agency and capture time for search (additive; cheap). */
  async indexMetadata(photoId: string, metadata: PhotoMetadata): Promise<void> {
    await this.searchIndex.index(photoId, metadata);
  }

  /** Photos waiting for a story (unmatched or review) captured between the two instants (ms). */
  async awaitingStoryBetween(fromMs: number, toMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.photosAwaitingStory, fromMs, toMs);
  }

  /** Takes a photo out of the awaiting-story index (killed, rejected, assigned by an editor). */
  async stopAwaitingStory(photoId: string): Promise<void> {
    await this.redis.zrem(this.keys.photosAwaitingStory, photoId);
  }

  /**
   * Records a rejected transmission without claiming its sha256: the fault was in how it was sent
   * (file name, sidecar, another feed's picture), not in the bytes, so a correct resend of the same
   * bytes must go through.
   */
  async recordRejection(photo: Photo, entry: Omit<PhotoVersion, 'version'>): Promise<void> {
    const k = this.keys;
    const key = k.photo(photo.photoId);
    const arrival = Date.parse(photo.receivedAt);
    const commit = this.newCommit()
      .status(key, photo.photoId, JSON.stringify(photo.status), arrival)
      .hset(key, encodePhoto({ ...photo, version: 1, rev: undefined }, photo.photoId))
      .bump(key)
      .zadd(k.photosByTime, arrival, photo.photoId)
      .entry(key, k.photoVersions(photo.photoId), encodeVersion(entry, photo.metadata?.caption), false);
    await runCommit(this.redis, commit);
  }

  /** The photos' records and versions, for archiving (photos not in Redis are left out). */
  async exportStates(photoIds: string[], identityKeysOf: (p: Photo) => string[]): Promise<PhotoState[]> {
    const photos = await this.getMany(photoIds);
    return Promise.all(
      photos.map(async (photo) => ({
        photo,
        versions: await this.versions(photo.photoId),
        identityKeys: identityKeysOf(photo),
      })),
    );
  }

  /**
   * Removes photos and every index entry that names them (status, time, search, sha256 and identity
   * keys that still point at them). Run only once their state is safely archived.
   */
  async evict(states: PhotoState[]): Promise<void> {
    const tx = this.redis.multi();
    for (const { photo, versions, identityKeys } of states) {
      const id = photo.photoId;
      tx.del(this.keys.photo(id), this.keys.photoVersions(id));
      for (const status of PHOTO_STATUSES) tx.zrem(this.keys.photosByStatus(status), id);
      tx.zrem(this.keys.photosByTime, id);
      tx.zrem(this.keys.photosAwaitingStory, id);
      tx.zrem(this.keys.photosByExpiry, id);
      const shas = new Set([photo.sha256, ...versions.map((v) => v.sha256)]);
      for (const sha of shas) tx.eval(DEL_IF_EQUALS, 1, this.keys.photoBySha(sha), id);
      for (const k of identityKeys) tx.eval(DEL_IF_EQUALS, 1, this.keys.identity(k), id);
      this.searchIndex.unindex(tx, photo, versions);
    }
    await tx.exec();
  }

  /** Puts archived photos back with all their index entries (restore). */
  async importStates(states: PhotoState[]): Promise<void> {
    for (const { photo, versions, identityKeys } of states) {
      const id = photo.photoId;
      const arrival = String(Date.parse(photo.receivedAt));
      const tx = this.redis.multi();
      tx.del(this.keys.photo(id), this.keys.photoVersions(id));
      tx.hset(
        this.keys.photo(id),
        ...encodePhoto(photo, id),
        ...(photo.rev !== undefined ? ['rev', String(photo.rev)] : []),
      );
      if (versions.length > 0)
        tx.rpush(
          this.keys.photoVersions(id),
          ...versions.map((v) =>
            encodeVersion(v, v.version === photo.version ? photo.metadata?.caption : undefined),
          ),
        );
      tx.zadd(this.keys.photosByStatus(photo.status), arrival, id);
      tx.zadd(this.keys.photosByTime, arrival, id);
      if (photo.expiresAt && !FINAL_STATUSES.has(photo.status))
        tx.zadd(this.keys.photosByExpiry, Date.parse(photo.expiresAt), id);
      for (const sha of new Set([photo.sha256, ...versions.map((v) => v.sha256)]))
        tx.set(this.keys.photoBySha(sha), id, 'NX');
      for (const k of identityKeys) tx.set(this.keys.identity(k), id, 'NX');
      if (photo.seq !== undefined)
        tx.eval(
          RESTORE_SEQ,
          1,
          this.keys.photoSeq,
          id,
          this.keys.prefix,
          SEQ_BUCKET,
          photo.seq,
          photo.status,
        );
      await tx.exec();
      if (photo.metadata) await this.searchIndex.index(id, photo.metadata, versions);
    }
  }

  /** The photo's transmissions, oldest first. */
  async versions(photoId: string): Promise<PhotoVersion[]> {
    const [entries, metadata] = await Promise.all([
      this.redis.lrange(this.keys.photoVersions(photoId), 0, -1),
      this.redis.hget(this.keys.photo(photoId), 'metadata'),
    ]);
    const caption = storedCaption(metadata);
    return entries.map((e) => decodeVersion(e, caption));
  }

  /**
   * Files a photo for search from its record and history, as a release before schema 3 had it:
   * every version's caption words too (`migrateState`, and records an earlier release wrote
   * during an upgrade). Returns false when there is no such photo.
   */
  async reindex(photoId: string): Promise<boolean> {
    const photo = await this.get(photoId);
    if (!photo) return false;
    if (photo.metadata) await this.searchIndex.index(photoId, photo.metadata, await this.versions(photoId));
    return true;
  }

  /** Up to `limit` photos with a status that arrived before `beforeMs`, oldest first (retention sweeps). */
  async idsByStatusBefore(status: PhotoStatus, beforeMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(
      this.keys.photosByStatus(status),
      '-inf',
      `(${beforeMs}`,
      'LIMIT',
      0,
      limit,
    );
  }

  /** Photos with a status, newest arrival first, paged (no scan: one sorted-set range). */
  async listByStatus(status: PhotoStatus, offset = 0, limit = 50): Promise<PhotoPage> {
    return newestFirst(this.redis, this.keys.photosByStatus(status), offset, limit);
  }

  /** How many photos have each status. */
  async countByStatus(statuses: readonly PhotoStatus[]): Promise<Record<string, number>> {
    const counts = await Promise.all(statuses.map((s) => this.redis.zcard(this.keys.photosByStatus(s))));
    return Object.fromEntries(statuses.map((s, i) => [s, counts[i] ?? 0]));
  }

  /**
   * Search by words, status, agency, story and capture range, newest first, paged (see
   * `PhotoSearchIndex.search`).
   */
  search(query: PhotoQuery): Promise<PhotoPage> {
    return this.searchIndex.search(query);
  }

  /** Most recently received photo ids, newest first. */
  async recentIds(limit: number, offset = 0): Promise<string[]> {
    return this.redis.zrevrange(this.keys.photosByTime, offset, offset + limit - 1);
  }
}

export class PhotoNotFoundError extends Error {
  override readonly name = 'PhotoNotFoundError';
  constructor(readonly photoId: string) {
    super(`Unknown photo ${photoId}`);
  }
}

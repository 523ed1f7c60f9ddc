import { randomUUID } from 'node:crypto';
import type { Photo, PhotoVersion } from '@lightbox/contracts';
import {
  decideTransmission,
  type FeedGroups,
  feedGroupOf,
  type LifecycleEffect,
  type LifecycleEvent,
  type LifecycleState,
  type TransmissionDecision,
  type TransmissionFacts,
  transition,
  waitPatch,
} from '@lightbox/lifecycle';
import { photoLicenceExpiry } from '@lightbox/wire-rules';
import type { Redis } from 'ioredis';
import { type StateKeys, stateKeys } from './keys.js';
import type { PhotoCatalog } from './photo-catalog.js';
import { encodeVersion, type PhotoFieldsPatch, patchPhoto, rawRev, withOwnCaption } from './photo-record.js';
import { CommitContentionError, runCommit, type StateCommit } from './state-commit.js';
import { readTransmissionSnapshot } from './transmission-snapshot.js';

/** How long a kill notice waits for its picture. */
const PREKILL_TTL_SECONDS = 30 * 24 * 3600;
/** Compare-and-set attempts before giving up (with the backoff below, about 10 s of contention). */
const MAX_ATTEMPTS = 60;

/** What a stage or editor writes together with a lifecycle event. */
export interface EventWrite {
  /** Only while the photo is still at this version (a stage's finding about an older version is moot). */
  version?: number;
  set?: PhotoFieldsPatch;
  /** Capture instant (ms) to file the photo under while it waits for a story; null takes it out. */
  awaitingAt?: number | null;
}

export type ApplyResult =
  | { ok: true; photo: Photo; effects: LifecycleEffect[] }
  | { ok: false; code: 'not_found' | 'not_allowed' | 'unchanged'; message: string; photo?: Photo };

/** One transmission as intake read it. */
export interface TransmissionInput {
  facts: TransmissionFacts;
  /** sha256 of the bytes, with the sidecar's when one came along: the same transmission twice is a duplicate. */
  fingerprint: string;
  /** The id a new record gets. */
  newPhotoId: string;
  /** The record's fields for this version (original, bytes, metadata, sidecar…). */
  fields: Pick<Photo, 'sha256' | 'originalKey' | 'contentType' | 'bytes'> &
    Partial<Pick<Photo, 'filename' | 'sidecar' | 'metadata' | 'restrictions' | VersionField>>;
  /** The history entry (number, kind and outcome are filled in). */
  entry: Omit<PhotoVersion, 'version' | 'kind' | 'outcome'>;
}

export interface TransmissionRecord {
  decision: TransmissionDecision;
  /** The record after the decision (for a refusal, the refusal's own record). */
  photo: Photo;
  /** The number of this transmission in the photo's history. */
  entry?: number;
  effects: LifecycleEffect[];
}

export const lifecycleStateOf = (photo: Photo): LifecycleState => ({
  status: photo.status,
  version: photo.version,
  embargoUntil: photo.embargoUntil,
  hold: photo.hold,
  manual: photo.match?.manual?.action,
  storyId: photo.storyId,
  rendered: (photo.renditions?.length ?? 0) > 0,
  reviewReason: photo.reviewReason,
  expiresAt: photo.expiresAt,
  publishedAt: photo.publishedAt,
});

/**
 * Fields that describe the current version's bytes and licence (issue 15), and how it came in
 * (its priority): a version that becomes current replaces them all, and drops those it does not have.
 */
const VERSION_FIELDS = ['provenance', 'sensitive', 'reviewReason', 'licence', 'priority'] as const;
type VersionField = (typeof VERSION_FIELDS)[number];

/**
 * The one place a photo's status changes. Every change is decided by the pure rules of
 * `@lightbox/lifecycle` from the record as read, and written by compare-and-set on the record's
 * revision (and, for transmissions, on every identity key the decision looked at); when anything
 * changed in between, it reads and decides again. So two intake processes racing on one picture,
 * or a stage racing a kill, always end as if they had run one after the other.
 */
export class PhotoLifecycle {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly photos: PhotoCatalog,
    private readonly groups: FeedGroups = new Map(),
  ) {
    this.keys = stateKeys(prefix);
  }

  groupOf(feed: string): string {
    return feedGroupOf(this.groups, feed);
  }

  /** Applies a stage's or editor's event, with the fields that go with it. */
  async apply(
    photoId: string,
    event: LifecycleEvent,
    write: EventWrite | ((photo: Photo) => EventWrite) = {},
  ): Promise<ApplyResult> {
    const key = this.keys.photo(photoId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const photo = await this.photos.get(photoId);
      if (!photo) return { ok: false, code: 'not_found', message: `Unknown photo ${photoId}` };
      const extra = typeof write === 'function' ? write(photo) : write;
      if (extra.version !== undefined && extra.version !== photo.version)
        return {
          ok: false,
          code: 'unchanged',
          message: `a newer version (${photo.version}) came meanwhile`,
          photo,
        };
      const now = Date.now();
      const result = transition(lifecycleStateOf(photo), event, now);
      if (!result.ok) return { ...result, photo };
      const { status, ...fields } = result.patch;
      const commit = this.photos
        .newCommit()
        .expectField(key, 'rev', rawRev(photo))
        .status(key, photoId, JSON.stringify(status));
      // The licence expiry follows what it is computed from (first publication ends a feed's
      // `unpublished` rule), with its index, in the same commit.
      const expiresAt = photoLicenceExpiry({ ...photo, ...fields } as Photo)?.at;
      patchPhoto(
        commit,
        key,
        {
          ...extra.set,
          ...fields,
          ...(expiresAt !== photo.expiresAt ? { expiresAt: expiresAt ?? null } : {}),
          ...waitPatch(photo, status, new Date(now).toISOString()),
          status,
          updatedAt: new Date(now).toISOString(),
        },
        photoId,
      );
      this.photos.expiryIndex(commit, photoId, expiresAt, status);
      if (extra.awaitingAt !== undefined) this.photos.awaitingStory(commit, photoId, extra.awaitingAt);
      if (FINAL_OR_WAITING.has(status)) this.photos.awaitingStory(commit, photoId, null);
      if ((await runCommit(this.redis, commit)).ok) {
        return { ok: true, photo: (await this.photos.get(photoId)) as Photo, effects: result.effects };
      }
      await pause(attempt);
    }
    throw new CommitContentionError(`photo ${photoId} ${event.type}`, MAX_ATTEMPTS);
  }

  /** Bytes that can never be a photo (empty, not an image): a rejected record under their fingerprint. */
  async recordUnusable(
    photo: Photo,
    first: Omit<PhotoVersion, 'version'>,
    fingerprint: string,
  ): Promise<{ photo: Photo; created: boolean }> {
    return this.photos.register({ ...photo, status: 'rejected' }, first, fingerprint);
  }

  /** A transmission refused for how it was sent (file name, sidecar): recorded, its bytes not claimed. */
  async recordRefusal(photo: Photo, entry: Omit<PhotoVersion, 'version'>): Promise<void> {
    await this.photos.recordRejection({ ...photo, status: 'rejected' }, entry);
  }

  /**
   * Decides what a transmission means and records it, in one atomic step per picture identity
   * (see `decideTransmission`).
   */
  async recordTransmission(input: TransmissionInput): Promise<TransmissionRecord> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const snapshot = await readTransmissionSnapshot(this.redis, this.keys, this.photos, input, (feed) =>
        this.groupOf(feed),
      );
      const decision = decideTransmission(snapshot.view, input.facts, Date.now());
      if (decision.outcome === 'duplicate') {
        const photo = snapshot.photos.get(decision.photoId) as Photo;
        return { decision, photo, effects: [] };
      }
      if (decision.outcome === 'refused')
        return { decision, photo: await this.refuse(input, decision), effects: [] };
      const commit = this.photos.newCommit();
      snapshot.expectUnchanged(commit);
      const photoId = decision.outcome === 'new' ? input.newPhotoId : decision.photoId;
      if (decision.outcome === 'new') this.writeNew(commit, input, decision);
      else {
        const target = snapshot.photos.get(decision.photoId) as Photo;
        if (decision.versionOutcome === 'current') await this.keepOwnCaption(commit, target);
        this.writeVersion(commit, input, decision, target);
      }
      const done = await runCommit(this.redis, commit);
      if (!done.ok) {
        await pause(attempt);
        continue;
      }
      if (input.fields.metadata && (decision.outcome === 'new' || decision.versionOutcome === 'current'))
        await this.photos.indexMetadata(photoId, input.fields.metadata);
      return {
        decision,
        photo: (await this.photos.get(photoId)) as Photo,
        entry: done.entry,
        effects: decision.effects,
      };
    }
    throw new CommitContentionError(`transmission ${input.fingerprint.slice(0, 12)}`, MAX_ATTEMPTS);
  }

  private entryJson(input: TransmissionInput, d: RecordedDecision): Omit<PhotoVersion, 'version'> {
    return {
      ...input.entry,
      kind: d.kind,
      outcome: d.versionOutcome,
      ...(input.facts.itemVersion !== undefined ? { itemVersion: input.facts.itemVersion } : {}),
    };
  }

  private writeNew(
    commit: StateCommit,
    input: TransmissionInput,
    d: Extract<TransmissionDecision, { outcome: 'new' }>,
  ): void {
    const k = this.keys;
    const now = input.entry.receivedAt;
    const photo: Photo = {
      photoId: input.newPhotoId,
      feed: input.facts.feed,
      receivedAt: now,
      updatedAt: now,
      version: 1,
      ...input.fields,
      status: d.state.status,
      currentKind: d.kind,
      hasPicture: d.kind !== 'kill',
      ...(input.facts.itemVersion !== undefined ? { currentItemVersion: input.facts.itemVersion } : {}),
      ...(d.state.embargoUntil ? { embargoUntil: d.state.embargoUntil } : {}),
      ...(d.state.hold ? { hold: d.state.hold } : {}),
      ...(waitPatch(undefined, d.state.status, now) as { waitingSince?: string }),
      ...(d.state.killed ? { killed: d.state.killed } : {}),
      ...(d.state.expired ? { expired: d.state.expired } : {}),
      ...(d.expiry ? { expiresAt: d.expiry.at } : {}),
    };
    commit.expectField(k.photo(photo.photoId), 'photoId', undefined);
    this.photos.writeNew(commit, photo, this.entryJson(input, d), input.fingerprint);
    for (const id of input.facts.identityKeys) {
      if (d.keys === 'identity') commit.set(k.identity(id), photo.photoId);
      if (d.keys === 'prekill')
        commit.set(k.prekill(this.groupOf(input.facts.feed), id), photo.photoId, PREKILL_TTL_SECONDS);
    }
  }

  /**
   * The record's current version is about to be replaced: its history entry, when it refers to the
   * record's caption, gets that caption written in (the commit checks the record's revision, so the
   * entry is the one read).
   */
  private async keepOwnCaption(commit: StateCommit, target: Photo): Promise<void> {
    const key = this.keys.photoVersions(target.photoId);
    const index = target.version - 1;
    const stored = await this.redis.lindex(key, index);
    const own = stored ? withOwnCaption(stored, target.metadata?.caption) : undefined;
    if (own) commit.lset(key, index, own);
  }

  private writeVersion(
    commit: StateCommit,
    input: TransmissionInput,
    d: Extract<TransmissionDecision, { outcome: 'version' }>,
    target: Photo,
  ): void {
    const k = this.keys;
    const key = k.photo(d.photoId);
    const current = d.versionOutcome === 'current';
    commit.entry(
      key,
      k.photoVersions(d.photoId),
      encodeVersion(this.entryJson(input, d), current ? input.fields.metadata?.caption : undefined),
      current,
    );
    const set: Record<string, unknown> = { updatedAt: new Date().toISOString() };
    if (current) {
      Object.assign(set, {
        ...input.fields,
        ...Object.fromEntries(VERSION_FIELDS.map((f) => [f, input.fields[f] ?? null])),
        expiresAt: d.expiry?.at ?? null,
        sidecar: input.fields.sidecar ?? null,
        filename: input.fields.filename ?? target.filename ?? null,
        currentKind: d.kind,
        currentItemVersion: input.facts.itemVersion ?? null,
        error: null,
      });
    }
    if (input.facts.marker !== 'kill' && target.hasPicture === false) set.hasPicture = true;
    if (d.state) {
      commit.status(key, d.photoId, JSON.stringify(d.state.status));
      Object.assign(set, {
        ...waitPatch(target, d.state.status, input.entry.receivedAt),
        status: d.state.status,
        embargoUntil: d.state.embargoUntil ?? null,
        hold: d.state.hold ?? null,
        ...(d.state.killed ? { killed: d.state.killed } : {}),
        ...(d.state.expired ? { expired: d.state.expired } : {}),
        ...(d.state.releasedUntil
          ? {
              embargoReleased: {
                at: input.entry.receivedAt,
                by: `feed:${input.facts.feed}`,
                until: d.state.releasedUntil,
              },
            }
          : {}),
      });
      if (d.state.status !== 'received') this.photos.awaitingStory(commit, d.photoId, null);
    }
    patchPhoto(commit, key, set, d.photoId);
    if (current || d.state)
      this.photos.expiryIndex(
        commit,
        d.photoId,
        current ? d.expiry?.at : target.expiresAt,
        d.state?.status ?? target.status,
      );
    if (d.claimIdentity) for (const id of input.facts.identityKeys) commit.set(k.identity(id), d.photoId);
    commit.set(k.photoBySha(input.fingerprint), d.photoId);
  }

  /** A transmission refused as a whole (another feed's picture): its own record, nothing else changes. */
  private async refuse(
    input: TransmissionInput,
    d: Extract<TransmissionDecision, { outcome: 'refused' }>,
  ): Promise<Photo> {
    const reason = `${d.code}: ${d.message}`;
    const photoId = `rj_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const at = input.entry.receivedAt;
    const photo: Photo = {
      photoId,
      feed: input.facts.feed,
      receivedAt: at,
      updatedAt: at,
      version: 1,
      ...input.fields,
      status: 'rejected',
      error: reason,
    };
    await this.photos.recordRejection(photo, { ...input.entry, kind: 'original', reason });
    return photo;
  }
}

type RecordedDecision = Extract<TransmissionDecision, { outcome: 'new' | 'version' }>;

/** Statuses in which a photo does not wait for a story (it leaves the awaiting-story index). */
const FINAL_OR_WAITING = new Set<Photo['status']>(['rejected', 'killed', 'expired', 'embargoed', 'held']);

/**
 * Backs off with jitter, more each attempt (full jitter, capped at 200 ms), so writers racing on
 * one picture spread out instead of colliding again.
 */
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 2 * 2 ** Math.min(attempt, 7))));

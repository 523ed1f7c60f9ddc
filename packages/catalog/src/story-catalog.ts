import { randomBytes } from 'node:crypto';
import type { GalleryIndexEntry, GalleryLayout, Story, StoryInput } from '@lightbox/contracts';
import type { Redis } from 'ioredis';
import { GalleryWrites } from './gallery-writes.js';
import { type StateKeys, stateKeys } from './keys.js';
import { DEL_IF_EQUALS } from './scripts.js';

export class StorySlugTakenError extends Error {
  override readonly name = 'StorySlugTakenError';
  constructor(readonly slug: string) {
    super(`A story with slug "${slug}" already exists`);
  }
}

export function newStoryId(): string {
  return `st_${randomBytes(8).toString('hex')}`;
}

/** Bumps the change counter and files ARGV[1] under the new generation. */
const BUMP_SCRIPT = `local g = redis.call('INCR', KEYS[1]) redis.call('ZADD', KEYS[2], g, ARGV[1]) return g`;

/** Claims the slug, stores the story and records the change. */
const CREATE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX') == false then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
local gen = redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[5], gen, ARGV[1])
return 1
`;

/** Replaces an existing story and records the change. */
const SAVE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local gen = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[4], gen, ARGV[1])
return 1
`;

export interface StoryChanges {
  /** Pass this to the next call. */
  generation: number;
  /** Stories created or changed since the generation asked for. */
  stories: Story[];
  /** Stories removed (archived) since then: drop them from any in-memory index. */
  removed: string[];
}

/** Everything Redis holds about one story (not its photos), as archived to S3. */
export interface StoryState {
  story: Story;
  photoIds: string[];
  layout: GalleryLayout;
  galleryVersion: number;
  lastPublishingAt?: number;
}

/** Where an archived story went. */
export interface ArchivedStoryRef {
  storyId: string;
  slug: string;
  key: string;
  archivedAt: string;
  photos: number;
}

/** Stories and their gallery membership in Redis. */
export class StoryCatalog {
  private readonly keys: StateKeys;
  /** What the publish and index stages last wrote to storage. */
  readonly writes: GalleryWrites;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = stateKeys(prefix);
    this.writes = new GalleryWrites(redis, prefix);
  }

  /** Creates a story; throws `StorySlugTakenError` when the slug is in use. */
  async create(input: StoryInput, now = new Date()): Promise<Story> {
    const story: Story = {
      id: newStoryId(),
      ...input,
      status: 'open',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.claim(story);
    return story;
  }

  /** Stores a story under its unique slug and records the change; throws when the slug is taken. */
  private async claim(story: Story): Promise<void> {
    const ok = await this.redis.eval(
      CREATE_SCRIPT,
      5,
      this.keys.storyBySlug(story.slug),
      this.keys.story(story.id),
      this.keys.storiesByStart,
      this.keys.storyChanges,
      this.keys.storiesByChange,
      story.id,
      JSON.stringify(story),
      String(Date.parse(story.event.start)),
    );
    if (ok !== 1) throw new StorySlugTakenError(story.slug);
  }

  /** Replaces a story (its id and slug are kept); throws when it does not exist. */
  async save(story: Story): Promise<void> {
    const ok = await this.redis.eval(
      SAVE_SCRIPT,
      4,
      this.keys.story(story.id),
      this.keys.storiesByStart,
      this.keys.storyChanges,
      this.keys.storiesByChange,
      story.id,
      JSON.stringify(story),
      String(Date.parse(story.event.start)),
    );
    if (ok !== 1) throw new Error(`No story ${story.id}`);
  }

  /** Stories created or changed after `generation` (0: all), for keeping an in-memory index current. */
  async changesSince(generation: number): Promise<StoryChanges> {
    const [current, ids] = await Promise.all([
      this.redis.get(this.keys.storyChanges),
      this.redis.zrangebyscore(this.keys.storiesByChange, `(${generation}`, '+inf'),
    ]);
    const raws = ids.length > 0 ? await this.redis.mget(ids.map((id) => this.keys.story(id))) : [];
    const stories = raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Story);
    const removed = ids.filter((_, i) => raws[i] === null);
    // The counter is read first: a change racing this call is seen now or on the next call, never lost.
    return { generation: Math.max(generation, Number(current ?? 0)), stories, removed };
  }

  /** The change counter alone: one cheap read to learn whether anything changed. */
  async generation(): Promise<number> {
    return Number((await this.redis.get(this.keys.storyChanges)) ?? 0);
  }

  async getLayout(storyId: string): Promise<GalleryLayout> {
    const raw = await this.redis.get(this.keys.galleryLayout(storyId));
    return raw ? (JSON.parse(raw) as GalleryLayout) : { order: [], cover: null };
  }

  async setLayout(storyId: string, layout: GalleryLayout): Promise<void> {
    await this.redis.set(this.keys.galleryLayout(storyId), JSON.stringify(layout));
  }

  /** Records when a publish of the story's gallery started (epoch ms), for spacing publishes. */
  async markPublishing(storyId: string, atMs: number): Promise<void> {
    await this.redis.set(this.keys.galleryPublishedAt(storyId), String(atMs));
  }

  async lastPublishingAt(storyId: string): Promise<number | undefined> {
    const raw = await this.redis.get(this.keys.galleryPublishedAt(storyId));
    return raw ? Number(raw) : undefined;
  }

  /**
   * Publish sequence numbers of a gallery (scope: its story id) or of the index (`'index'`): a run
   * takes the next number before it reads state, and records it when its write is done. A photo's
   * take-down waits until a run that started after it has finished (`publishedSince`), so a
   * publish that read the photo before it was killed can never be the last word.
   */
  async beginPublish(scope: string): Promise<number> {
    return this.redis.incr(this.keys.publishSeq(scope));
  }

  async endPublish(scope: string, seq: number): Promise<void> {
    await this.redis.eval(
      `local cur = tonumber(redis.call('GET', KEYS[1]) or '0') if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1]) end return 1`,
      1,
      this.keys.publishedSeq(scope),
      String(seq),
    );
  }

  /** True when a run numbered above `mark` has finished. */
  async publishedSince(scope: string, mark: number): Promise<boolean> {
    return Number((await this.redis.get(this.keys.publishedSeq(scope))) ?? 0) > mark;
  }

  /**
   * The publish number a photo's take-down waits beyond, for one scope: the number at the
   * take-down's first look, kept (one day) so its retries wait for the same thing.
   */
  async takedownMark(photoId: string, scope: string): Promise<number> {
    const key = this.keys.takedownMarks(photoId);
    const current = Number((await this.redis.get(this.keys.publishSeq(scope))) ?? 0);
    const [, mark] = (await this.redis
      .multi()
      .hsetnx(key, scope, String(current))
      .hget(key, scope)
      .expire(key, 24 * 3600)
      .exec()) as [unknown, [null, string]][];
    return Number(mark?.[1] ?? current);
  }

  async recordGalleryEntry(entry: GalleryIndexEntry): Promise<void> {
    await this.redis.hset(this.keys.galleryIndex, entry.storyId, JSON.stringify(entry));
  }

  async galleryEntries(): Promise<GalleryIndexEntry[]> {
    const all = await this.redis.hgetall(this.keys.galleryIndex);
    return Object.values(all).map((v) => JSON.parse(v) as GalleryIndexEntry);
  }

  async get(storyId: string): Promise<Story | undefined> {
    const raw = await this.redis.get(this.keys.story(storyId));
    return raw ? (JSON.parse(raw) as Story) : undefined;
  }

  /** All stories, by event start. */
  async list(): Promise<Story[]> {
    const ids = await this.redis.zrange(this.keys.storiesByStart, 0, -1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.story(id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Story);
  }

  /** Stories by event start, latest first, paged. */
  async page(offset = 0, limit = 50): Promise<{ total: number; stories: Story[] }> {
    const [total, ids] = await Promise.all([
      this.redis.zcard(this.keys.storiesByStart),
      this.redis.zrevrange(this.keys.storiesByStart, offset, offset + limit - 1),
    ]);
    if (ids.length === 0) return { total, stories: [] };
    const raws = await this.redis.mget(ids.map((id) => this.keys.story(id)));
    return { total, stories: raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Story) };
  }

  async getMany(storyIds: string[]): Promise<Story[]> {
    if (storyIds.length === 0) return [];
    const raws = await this.redis.mget(storyIds.map((id) => this.keys.story(id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as Story);
  }

  /** Stories whose event starts no later than `to` and ends no earlier than `from` (epoch ms). */
  async listOverlapping(fromMs: number, toMs: number, maxDurationMs = 14 * 24 * 3600_000): Promise<Story[]> {
    // Index is by start; a story that started up to maxDuration before `from` may still overlap.
    const ids = await this.redis.zrangebyscore(this.keys.storiesByStart, fromMs - maxDurationMs, toMs);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.keys.story(id)));
    return raws
      .filter((r): r is string => r !== null)
      .map((r) => JSON.parse(r) as Story)
      .filter((s) => Date.parse(s.event.end) >= fromMs);
  }

  async addPhoto(storyId: string, photoId: string): Promise<void> {
    await this.redis.sadd(this.keys.storyPhotos(storyId), photoId);
  }

  async removePhoto(storyId: string, photoId: string): Promise<void> {
    await this.redis.srem(this.keys.storyPhotos(storyId), photoId);
  }

  async photoIds(storyId: string): Promise<string[]> {
    return this.redis.smembers(this.keys.storyPhotos(storyId));
  }

  async photoCount(storyId: string): Promise<number> {
    return this.redis.scard(this.keys.storyPhotos(storyId));
  }

  /** The story's state, for archiving; undefined when it is not in Redis. */
  async exportState(storyId: string): Promise<StoryState | undefined> {
    const story = await this.get(storyId);
    if (!story) return undefined;
    const [photoIds, layout, version, last] = await Promise.all([
      this.photoIds(storyId),
      this.getLayout(storyId),
      this.redis.get(this.keys.galleryVersion(storyId)),
      this.lastPublishingAt(storyId),
    ]);
    return { story, photoIds, layout, galleryVersion: Number(version ?? 0), lastPublishingAt: last };
  }

  /**
   * Removes the story's state from Redis, leaving a pointer to its archive and its entry in the
   * gallery index (downstream sites keep finding the published gallery). Caches see it as removed.
   */
  async evict(story: Story, ref: ArchivedStoryRef): Promise<void> {
    const tx = this.redis.multi();
    tx.set(this.keys.storyArchived(story.id), JSON.stringify(ref));
    tx.del(
      this.keys.story(story.id),
      this.keys.storyPhotos(story.id),
      this.keys.galleryVersion(story.id),
      this.keys.galleryLayout(story.id),
      this.keys.galleryPublishedAt(story.id),
      this.keys.publishSeq(story.id),
      this.keys.publishedSeq(story.id),
      this.keys.galleryWritten(story.id),
    );
    tx.srem(this.keys.feedsBehind, story.id);
    tx.eval(DEL_IF_EQUALS, 1, this.keys.storyBySlug(story.slug), story.id);
    tx.zrem(this.keys.storiesByStart, story.id);
    // Scored by the new generation, so index caches learn of the removal.
    tx.eval(BUMP_SCRIPT, 2, this.keys.storyChanges, this.keys.storiesByChange, story.id);
    await tx.exec();
  }

  /** Puts an archived story's state back (restore). */
  async importState(state: StoryState): Promise<void> {
    const { story } = state;
    // Like a new story: a slug another story took meanwhile is refused, and caches see the change.
    await this.claim(story);
    const tx = this.redis.multi();
    if (state.photoIds.length > 0) tx.sadd(this.keys.storyPhotos(story.id), ...state.photoIds);
    tx.set(this.keys.galleryLayout(story.id), JSON.stringify(state.layout));
    if (state.galleryVersion > 0) tx.set(this.keys.galleryVersion(story.id), String(state.galleryVersion));
    if (state.lastPublishingAt !== undefined)
      tx.set(this.keys.galleryPublishedAt(story.id), String(state.lastPublishingAt));
    tx.del(this.keys.storyArchived(story.id));
    await tx.exec();
  }

  /** Where the story was archived, when it was. */
  async archivedRef(storyId: string): Promise<ArchivedStoryRef | undefined> {
    const raw = await this.redis.get(this.keys.storyArchived(storyId));
    return raw ? (JSON.parse(raw) as ArchivedStoryRef) : undefined;
  }

  /** The version of the gallery's manifest last written (0: none yet). */
  async galleryVersion(storyId: string): Promise<number> {
    return Number((await this.redis.get(this.keys.galleryVersion(storyId))) ?? 0);
  }

  /** Next manifest version for the story's gallery: 1, 2, 3, … */
  async nextGalleryVersion(storyId: string): Promise<number> {
    return this.redis.incr(this.keys.galleryVersion(storyId));
  }
}

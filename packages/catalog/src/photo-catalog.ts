import type { Photo, PhotoVersion } from '@lightbox/contracts';
import type { Redis } from 'ioredis';
import { type StateKeys, stateKeys } from './keys.js';

/** Every field is stored JSON-encoded in one Redis hash per photo. */
function encode(photo: Partial<Photo>): string[] {
  const args: string[] = [];
  for (const [field, value] of Object.entries(photo)) {
    if (value === undefined) continue;
    args.push(field, JSON.stringify(value));
  }
  return args;
}

function decode(hash: Record<string, string>): Photo | undefined {
  if (!hash.photoId) return undefined;
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(hash)) out[field] = JSON.parse(value);
  return out as unknown as Photo;
}

/** Claims the sha256 and writes the record and its first version in one step: all or nothing. */
const REGISTER_SCRIPT = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[3])
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return false
`;

/**
 * Adds a version to an existing photo: claims the new sha256, allocates the next version number,
 * appends the history entry (its "version" placeholder filled in) and applies the patch.
 * Returns {1, version} or {0, existingPhotoId} when the bytes are already known.
 */
const ADD_VERSION_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('no such photo') end
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
redis.call('SET', KEYS[1], ARGV[1])
local v = redis.call('HINCRBY', KEYS[2], 'version', 1)
local entry = string.gsub(ARGV[2], '"version":0', '"version":' .. v, 1)
redis.call('RPUSH', KEYS[3], entry)
if #ARGV > 2 then redis.call('HSET', KEYS[2], unpack(ARGV, 3)) end
return {1, v}
`;

/** Sets status only when it still has the expected value (compare-and-set). */
const TRANSITION_SCRIPT = `
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updatedAt', ARGV[3])
return 1
`;

/**
 * Writes a matching decision. Unless forced (an editor's decision), it is skipped when an editor
 * has decided meanwhile or the photo was killed or rejected. Keeps the awaiting-story index:
 * ARGV[3] is the capture instant to file the photo under, or '' to take it out.
 */
const APPLY_MATCH_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[1] ~= '1' then
  local m = redis.call('HGET', KEYS[1], 'match')
  if m and string.find(m, '"manual":', 1, true) then return 0 end
  local st = redis.call('HGET', KEYS[1], 'status')
  if st == '"killed"' or st == '"rejected"' then return 0 end
end
local ndel = tonumber(ARGV[4])
for i = 5, 4 + ndel do redis.call('HDEL', KEYS[1], ARGV[i]) end
redis.call('HSET', KEYS[1], unpack(ARGV, 5 + ndel))
if ARGV[3] == '' then redis.call('ZREM', KEYS[2], ARGV[2]) else redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2]) end
return 1
`;

export interface MatchWrite {
  status: Photo['status'];
  match: NonNullable<Photo['match']>;
  /** The story the photo now belongs to; null for none. */
  storyId: string | null;
  /** Capture instant (ms) while the photo waits for a story (unmatched or review); null otherwise. */
  awaitingAt: number | null;
}

export interface RegisterResult {
  photo: Photo;
  /** False when the same bytes were already registered; `photo` is then the existing record. */
  created: boolean;
}

/** Photo records in Redis: one hash per photo, plus a sha256 index for exact-duplicate detection. */
export class PhotoCatalog {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = stateKeys(prefix);
  }

  /** Records a new photo and its first version. Exact duplicates (same sha256) return the existing record. */
  async register(photo: Photo, first: Omit<PhotoVersion, 'version'>): Promise<RegisterResult> {
    const existingId = (await this.redis.eval(
      REGISTER_SCRIPT,
      4,
      this.keys.photoBySha(photo.sha256),
      this.keys.photo(photo.photoId),
      this.keys.photosByTime,
      this.keys.photoVersions(photo.photoId),
      photo.photoId,
      String(Date.parse(photo.receivedAt)),
      JSON.stringify({ ...first, version: 1 }),
      ...encode({ ...photo, version: 1 }),
    )) as string | null;
    if (existingId === null) return { photo, created: true };
    const existing = await this.get(existingId);
    if (!existing) throw new Error(`sha256 index points at missing photo ${existingId}`);
    return { photo: existing, created: false };
  }

  async get(photoId: string): Promise<Photo | undefined> {
    return decode(await this.redis.hgetall(this.keys.photo(photoId)));
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
      const photo = decode(hash as Record<string, string>);
      if (photo) photos.push(photo);
    }
    return photos;
  }

  async findBySha(sha256: string): Promise<Photo | undefined> {
    const id = await this.redis.get(this.keys.photoBySha(sha256));
    return id ? this.get(id) : undefined;
  }

  /** Sets the given fields (and `updatedAt`). Fields set to `null` are removed. */
  async update(photoId: string, patch: { [K in keyof Photo]?: Photo[K] | null }): Promise<void> {
    const key = this.keys.photo(photoId);
    const set: Partial<Photo> = { updatedAt: new Date().toISOString() };
    const remove: string[] = [];
    for (const [field, value] of Object.entries(patch)) {
      if (value === null) remove.push(field);
      else if (value !== undefined) (set as Record<string, unknown>)[field] = value;
    }
    const tx = this.redis.multi();
    tx.hset(key, ...encode(set));
    if (remove.length > 0) tx.hdel(key, ...remove);
    await tx.exec();
  }

  /**
   * Records a matching decision. Automatic decisions (`force` false) never overwrite an editor's
   * decision or a kill made meanwhile: returns false then. Editors' decisions pass `force`.
   */
  async applyMatch(photoId: string, write: MatchWrite, force = false): Promise<boolean> {
    const set: Partial<Photo> = {
      status: write.status,
      match: write.match,
      updatedAt: new Date().toISOString(),
      ...(write.storyId ? { storyId: write.storyId } : {}),
    };
    const remove = write.storyId ? [] : ['storyId'];
    const result = await this.redis.eval(
      APPLY_MATCH_SCRIPT,
      2,
      this.keys.photo(photoId),
      this.keys.photosAwaitingStory,
      force ? '1' : '0',
      photoId,
      write.awaitingAt === null ? '' : String(write.awaitingAt),
      String(remove.length),
      ...remove,
      ...encode(set),
    );
    if (result === -1) throw new PhotoNotFoundError(photoId);
    return result === 1;
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
   * (file name, sidecar), not in the bytes, so a correct resend of the same bytes must go through.
   */
  async recordRejection(photo: Photo, entry: Omit<PhotoVersion, 'version'>): Promise<void> {
    const tx = this.redis.multi();
    tx.hset(this.keys.photo(photo.photoId), ...encode({ ...photo, version: 1 }));
    tx.rpush(this.keys.photoVersions(photo.photoId), JSON.stringify({ ...entry, version: 1 }));
    tx.zadd(this.keys.photosByTime, String(Date.parse(photo.receivedAt)), photo.photoId);
    await tx.exec();
  }

  /**
   * Adds a transmission to an existing photo and applies `patch` (e.g. the new original) atomically.
   * Returns the new version number, or `duplicateOf` when these exact bytes are already known.
   */
  async addVersion(
    photoId: string,
    entry: Omit<PhotoVersion, 'version'>,
    patch: { [K in keyof Photo]?: Photo[K] },
  ): Promise<{ version: number } | { duplicateOf: string }> {
    const reply = (await this.redis.eval(
      ADD_VERSION_SCRIPT,
      3,
      this.keys.photoBySha(entry.sha256),
      this.keys.photo(photoId),
      this.keys.photoVersions(photoId),
      photoId,
      JSON.stringify({ version: 0, ...entry }),
      ...encode({ ...patch, updatedAt: new Date().toISOString() }),
    )) as [number, string | number];
    return reply[0] === 1 ? { version: Number(reply[1]) } : { duplicateOf: String(reply[1]) };
  }

  /** The photo's transmissions, oldest first. */
  async versions(photoId: string): Promise<PhotoVersion[]> {
    return (await this.redis.lrange(this.keys.photoVersions(photoId), 0, -1)).map(
      (v) => JSON.parse(v) as PhotoVersion,
    );
  }

  /** The photo known under any of these identity keys (first hit), if any. */
  async findByIdentity(keys: string[]): Promise<string | undefined> {
    if (keys.length === 0) return undefined;
    const ids = await this.redis.mget(keys.map((k) => this.keys.identity(k)));
    return ids.find((id): id is string => id !== null);
  }

  /** Claims identity keys for a photo; keys already owned by another photo stay theirs. */
  async claimIdentities(photoId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const tx = this.redis.multi();
    for (const k of keys) tx.set(this.keys.identity(k), photoId, 'NX');
    await tx.exec();
  }

  /** Remembers a kill notice for pictures not seen yet: they arrive already killed. */
  async addKillTombstones(keys: string[], reason: string, ttlSeconds = 30 * 24 * 3600): Promise<void> {
    if (keys.length === 0) return;
    const tx = this.redis.multi();
    for (const k of keys)
      tx.set(
        this.keys.killTombstone(k),
        JSON.stringify({ reason, at: new Date().toISOString() }),
        'EX',
        ttlSeconds,
      );
    await tx.exec();
  }

  async findKillTombstone(keys: string[]): Promise<{ reason: string; at: string } | undefined> {
    if (keys.length === 0) return undefined;
    const values = await this.redis.mget(keys.map((k) => this.keys.killTombstone(k)));
    const hit = values.find((v): v is string => v !== null);
    return hit ? (JSON.parse(hit) as { reason: string; at: string }) : undefined;
  }

  /** Moves a photo from one status to another if nobody changed it meanwhile. Returns whether it moved. */
  async transition(photoId: string, from: Photo['status'], to: Photo['status']): Promise<boolean> {
    const moved = await this.redis.eval(
      TRANSITION_SCRIPT,
      1,
      this.keys.photo(photoId),
      JSON.stringify(from),
      JSON.stringify(to),
      JSON.stringify(new Date().toISOString()),
    );
    return moved === 1;
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

import { createHash } from 'node:crypto';
import {
  PHOTO_STATUSES,
  type Photo,
  type PhotoMetadata,
  type PhotoStatus,
  type PhotoVersion,
} from '@lightbox/contracts';
import type { Redis } from 'ioredis';
import { type StateKeys, stateKeys } from './keys.js';
import { DEL_IF_EQUALS } from './scripts.js';
import { agencyKey, captureInstant, photoSearchTerms, searchAgency, searchTerms } from './search-terms.js';

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

/**
 * Lua shared by every script that may change a photo's status: keeps the by-status indexes
 * (`<p>:photo-status:<status>`, scored by arrival) in step with the record. Keys are derived from
 * the photo key, which shares the prefix (hash-tag the prefix for Redis Cluster).
 */
const STATUS_LUA = `
local function restatus(photoKey, photoId, newStatus)
  if not newStatus then return end
  local p = string.sub(photoKey, 1, #photoKey - #photoId - 7)
  local old = redis.call('HGET', photoKey, 'status')
  if old == newStatus then return end
  if old then redis.call('ZREM', p .. ':photo-status:' .. string.gsub(old, '"', ''), photoId) end
  local score = redis.call('ZSCORE', p .. ':photos-by-received', photoId) or '0'
  redis.call('ZADD', p .. ':photo-status:' .. string.gsub(newStatus, '"', ''), score, photoId)
end
local function field(args, from, name)
  for i = from, #args - 1, 2 do if args[i] == name then return args[i + 1] end end
  return nil
end
`;

/** Claims the sha256 and writes the record and its first version in one step: all or nothing. */
const REGISTER_SCRIPT = `${STATUS_LUA}
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[4], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
restatus(KEYS[2], ARGV[1], field(ARGV, 4, 'status'))
redis.call('HSET', KEYS[2], unpack(ARGV, 4))
return false
`;

/** Sets fields (ARGV[2+ndel+1…] pairs) and removes fields (ARGV[3…2+ndel]), keeping the status index. */
const UPDATE_SCRIPT = `${STATUS_LUA}
local ndel = tonumber(ARGV[2])
local from = 3 + ndel
restatus(KEYS[1], ARGV[1], field(ARGV, from, 'status'))
for i = 3, 2 + ndel do redis.call('HDEL', KEYS[1], ARGV[i]) end
if #ARGV >= from then redis.call('HSET', KEYS[1], unpack(ARGV, from)) end
return 1
`;

/**
 * Adds a version to an existing photo: claims the new sha256, allocates the next version number,
 * appends the history entry (its "version" placeholder filled in) and applies the patch.
 * Returns {1, version} or {0, existingPhotoId} when the bytes are already known.
 */
const ADD_VERSION_SCRIPT = `${STATUS_LUA}
if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('no such photo') end
local existing = redis.call('GET', KEYS[1])
if existing then return {0, existing} end
redis.call('SET', KEYS[1], ARGV[1])
local v = redis.call('HINCRBY', KEYS[2], 'version', 1)
local entry = string.gsub(ARGV[2], '"version":0', '"version":' .. v, 1)
redis.call('RPUSH', KEYS[3], entry)
restatus(KEYS[2], ARGV[1], field(ARGV, 3, 'status'))
if #ARGV > 2 then redis.call('HSET', KEYS[2], unpack(ARGV, 3)) end
return {1, v}
`;

/** Sets status only when it still has the expected value (compare-and-set). */
const TRANSITION_SCRIPT = `${STATUS_LUA}
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
restatus(KEYS[1], ARGV[4], ARGV[2])
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updatedAt', ARGV[3])
return 1
`;

/**
 * Writes a matching decision. Unless forced (an editor's decision), it is skipped when an editor
 * has decided meanwhile or the photo was killed or rejected. Keeps the awaiting-story index:
 * ARGV[3] is the capture instant to file the photo under, or '' to take it out.
 */
const APPLY_MATCH_SCRIPT = `${STATUS_LUA}
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if ARGV[1] ~= '1' then
  local m = redis.call('HGET', KEYS[1], 'match')
  if m and string.find(m, '"manual":', 1, true) then return 0 end
  local st = redis.call('HGET', KEYS[1], 'status')
  if st == '"killed"' or st == '"rejected"' then return 0 end
end
local ndel = tonumber(ARGV[4])
for i = 5, 4 + ndel do redis.call('HDEL', KEYS[1], ARGV[i]) end
restatus(KEYS[1], ARGV[2], field(ARGV, 5 + ndel, 'status'))
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

export interface PhotoQuery {
  /** Words that must all occur in the caption, credit, byline, event, places or keywords. */
  text?: string;
  status?: PhotoStatus;
  agency?: string;
  storyId?: string;
  /** Capture time range (epoch ms), inclusive. */
  fromMs?: number;
  toMs?: number;
  offset?: number;
  limit?: number;
}

export interface PhotoPage {
  total: number;
  ids: string[];
}

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
    await this.redis.eval(UPDATE_SCRIPT, 1, key, photoId, String(remove.length), ...remove, ...encode(set));
    if (set.metadata) await this.indexForSearch(photoId, set.metadata);
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
    tx.rpush(this.keys.photoVersions(photo.photoId), JSON.stringify({ ...entry, version: 1 }));
    tx.zadd(this.keys.photosByTime, String(Date.parse(photo.receivedAt)), photo.photoId);
    await tx.exec();
    await this.redis.eval(
      UPDATE_SCRIPT,
      1,
      this.keys.photo(photo.photoId),
      photo.photoId,
      '0',
      ...encode({ ...photo, version: 1 }),
    );
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
      tx.zrem(this.keys.photosByCapture, id);
      tx.zrem(this.keys.photosAwaitingStory, id);
      const shas = new Set([photo.sha256, ...versions.map((v) => v.sha256)]);
      for (const sha of shas) tx.eval(DEL_IF_EQUALS, 1, this.keys.photoBySha(sha), id);
      for (const k of identityKeys) tx.eval(DEL_IF_EQUALS, 1, this.keys.identity(k), id);
      const terms = new Set([
        ...(photo.metadata ? photoSearchTerms(photo.metadata) : []),
        ...versions.flatMap((v) => (v.caption ? searchTerms(v.caption) : [])),
      ]);
      for (const term of terms) tx.srem(this.keys.searchWord(term), id);
      const agency = photo.metadata ? searchAgency(photo.metadata) : undefined;
      if (agency) tx.srem(this.keys.searchAgency(agency), id);
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
      tx.hset(this.keys.photo(id), ...encode(photo));
      if (versions.length > 0)
        tx.rpush(this.keys.photoVersions(id), ...versions.map((v) => JSON.stringify(v)));
      tx.zadd(this.keys.photosByStatus(photo.status), arrival, id);
      tx.zadd(this.keys.photosByTime, arrival, id);
      for (const sha of new Set([photo.sha256, ...versions.map((v) => v.sha256)]))
        tx.set(this.keys.photoBySha(sha), id, 'NX');
      for (const k of identityKeys) tx.set(this.keys.identity(k), id, 'NX');
      await tx.exec();
      if (photo.metadata) await this.indexForSearch(id, photo.metadata);
    }
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
      photoId,
    );
    return moved === 1;
  }

  /** Files the photo under its words, agency and capture time for search (additive; cheap). */
  private async indexForSearch(photoId: string, metadata: PhotoMetadata): Promise<void> {
    const tx = this.redis.multi();
    for (const term of photoSearchTerms(metadata)) tx.sadd(this.keys.searchWord(term), photoId);
    const agency = searchAgency(metadata);
    if (agency) tx.sadd(this.keys.searchAgency(agency), photoId);
    const captured = captureInstant(metadata.dateCreated);
    if (captured !== undefined) tx.zadd(this.keys.photosByCapture, String(captured), photoId);
    await tx.exec();
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
    return this.page(this.keys.photosByStatus(status), offset, limit);
  }

  /** How many photos have each status. */
  async countByStatus(statuses: readonly PhotoStatus[]): Promise<Record<string, number>> {
    const counts = await Promise.all(statuses.map((s) => this.redis.zcard(this.keys.photosByStatus(s))));
    return Object.fromEntries(statuses.map((s, i) => [s, counts[i] ?? 0]));
  }

  /**
   * Search by words, status, agency, story and capture range, newest first, paged. Set
   * intersections in Redis (ZINTERSTORE over the indexes, smallest set first), cached for 30 s
   * per query so paging does not redo them; never a scan of all photos.
   */
  async search(query: PhotoQuery): Promise<PhotoPage> {
    const offset = Math.max(0, query.offset ?? 0);
    const limit = Math.min(200, Math.max(1, query.limit ?? 50));
    const ranged = query.fromMs !== undefined || query.toMs !== undefined;
    const primary = ranged
      ? this.keys.photosByCapture
      : query.status
        ? this.keys.photosByStatus(query.status)
        : this.keys.photosByTime;
    const filters = [
      ...searchTerms(query.text, 12).map((t) => this.keys.searchWord(t)),
      ...(query.agency ? [this.keys.searchAgency(agencyKey(query.agency))] : []),
      ...(query.status && ranged ? [this.keys.photosByStatus(query.status)] : []),
      ...(query.storyId ? [this.keys.storyPhotos(query.storyId)] : []),
    ];
    const max = query.toMs ?? '+inf';
    const min = query.fromMs ?? '-inf';
    if (filters.length === 0) {
      if (!ranged) return this.page(primary, offset, limit);
      const [total, ids] = await Promise.all([
        this.redis.zcount(primary, min, max),
        this.redis.zrevrangebyscore(primary, max, min, 'LIMIT', offset, limit),
      ]);
      return { total, ids };
    }
    const result = this.keys.searchResult(
      createHash('sha256')
        .update(JSON.stringify([primary, ...filters]))
        .digest('hex')
        .slice(0, 32),
    );
    if (!(await this.redis.exists(result))) {
      await this.redis
        .multi()
        .zinterstore(result, 1 + filters.length, primary, ...filters, 'WEIGHTS', 1, ...filters.map(() => 0))
        .expire(result, 30)
        .exec();
    }
    const [total, ids] = await Promise.all([
      this.redis.zcount(result, min, max),
      this.redis.zrevrangebyscore(result, max, min, 'LIMIT', offset, limit),
    ]);
    return { total, ids };
  }

  private async page(key: string, offset: number, limit: number): Promise<PhotoPage> {
    const [total, ids] = await Promise.all([
      this.redis.zcard(key),
      this.redis.zrevrange(key, offset, offset + limit - 1),
    ]);
    return { total, ids };
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

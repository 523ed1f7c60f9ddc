import type { Photo } from '@lightbox/contracts';
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

/** Claims the sha256 and writes the record in one step: either both exist or neither. */
const REGISTER_SCRIPT = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], unpack(ARGV, 3))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
return false
`;

/** Sets status only when it still has the expected value (compare-and-set). */
const TRANSITION_SCRIPT = `
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'updatedAt', ARGV[3])
return 1
`;

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

  async register(photo: Photo): Promise<RegisterResult> {
    const existingId = (await this.redis.eval(
      REGISTER_SCRIPT,
      3,
      this.keys.photoBySha(photo.sha256),
      this.keys.photo(photo.photoId),
      this.keys.photosByTime,
      photo.photoId,
      String(Date.parse(photo.receivedAt)),
      ...encode(photo),
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

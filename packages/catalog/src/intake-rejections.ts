import type { Photo } from '@lightbox/contracts';
import type { Redis } from 'ioredis';
import { type StateKeys, stateKeys } from './keys.js';
import type { PhotoCatalog } from './photo-catalog.js';

/** A photo that came through a hot folder or S3 inbox and was rejected after the file had been handed off. */
export interface IntakeRejection {
  photoId: string;
  /** The history entry (transmission) that was rejected. */
  version: number;
  /** The file name as it was in the folder. */
  filename: string;
  reason: string;
}

const MAX_PENDING = 10_000;

/**
 * Tells a feed's hot folder or S3 inbox about files rejected later in processing (a stage found
 * the bytes unusable), so the watcher moves them from `_processed/` to `_error/` with their
 * reason. A list per feed and route in Redis: nothing is lost if the watcher is down when the
 * rejection happens.
 */
export class IntakeRejections {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly photos: PhotoCatalog,
  ) {
    this.keys = stateKeys(prefix);
  }

  /** Files the rejection for the photo's feed when its current version came from a hot folder or S3 inbox. */
  async tell(photo: Photo, reason: string): Promise<void> {
    const entry = (await this.photos.versions(photo.photoId))[photo.version - 1];
    const route = entry?.route;
    if ((route !== 'hot-folder' && route !== 's3-inbox') || !entry?.filename) return;
    const notice: IntakeRejection = {
      photoId: photo.photoId,
      version: photo.version,
      filename: entry.filename,
      reason,
    };
    await this.redis
      .multi()
      .rpush(this.keys.intakeRejections(entry.feed, route), JSON.stringify(notice))
      .ltrim(this.keys.intakeRejections(entry.feed, route), -MAX_PENDING, -1)
      .exec();
  }

  /** Up to `max` rejections for the feed, oldest first; each is removed once `handle` has run for it. */
  async drain(
    feed: string,
    handle: (r: IntakeRejection) => Promise<void>,
    max = 100,
    route: 'hot-folder' | 's3-inbox' = 'hot-folder',
  ): Promise<number> {
    const key = this.keys.intakeRejections(feed, route);
    let n = 0;
    for (; n < max; n++) {
      const raw = await this.redis.lindex(key, 0);
      if (raw === null) break;
      await handle(JSON.parse(raw) as IntakeRejection);
      // Only the entry just handled goes (another watcher may have taken it already).
      await this.redis.lrem(key, 1, raw);
    }
    return n;
  }
}

import type { Redis } from 'ioredis';
import { type StateKeys, stateKeys } from './keys.js';

/**
 * What the publish and index stages last wrote to object storage, so they skip objects whose bytes
 * would not change and let feeds follow manifests (docs/operations.md, "S3 requests"): per scope
 * (a story id, or `index`) a flat hash of object key → digest, with `refreshedAt` and `shape`
 * (`readWritten` in @lightbox/gallery reads it). Only ever recorded after the write succeeded, so
 * what it says is at least as old as what storage holds; lost, it only costs a rewrite.
 */
export class GalleryWrites {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = stateKeys(prefix);
  }

  async read(scope: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.galleryWritten(scope));
  }

  async record(scope: string, fields: Record<string, string>): Promise<void> {
    if (Object.keys(fields).length > 0) await this.redis.hset(this.keys.galleryWritten(scope), fields);
  }

  /** The gallery's feeds wait for their refresh (`behind: true`), or are up to date. */
  async setFeedsBehind(storyId: string, behind: boolean): Promise<void> {
    if (behind) await this.redis.sadd(this.keys.feedsBehind, storyId);
    else await this.redis.srem(this.keys.feedsBehind, storyId);
  }

  async feedsBehind(): Promise<string[]> {
    return this.redis.smembers(this.keys.feedsBehind);
  }

  /** A take-down waits on the scope: its next run writes whatever changed at once. */
  async requestNow(scope: string): Promise<void> {
    await this.redis.sadd(this.keys.publishNow, scope);
  }

  /**
   * Whether a take-down asked for the scope since the last run took the request. A run takes it
   * after it took its publish number, so a take-down's mark is always below a run that saw it.
   */
  async takeNow(scope: string): Promise<boolean> {
    return (await this.redis.srem(this.keys.publishNow, scope)) === 1;
  }
}

import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface StoredFeed {
  feed: string;
  createdAt: string;
  createdBy: string;
}

const FEED_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const hash = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Feed keys created by admins at run time (in addition to `LIGHTBOX_FEED_KEYS`). Only a hash of
 * each key is stored; the key itself is shown once, when created.
 */
export class FeedKeyStore {
  private readonly byHash: string;
  private readonly feeds: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.byHash = `${prefix}:feed-key-hash`;
    this.feeds = `${prefix}:feeds`;
  }

  async create(feed: string, createdBy: string): Promise<{ feed: string; key: string }> {
    if (!FEED_NAME.test(feed)) throw new Error('A feed name may only use letters, digits, _ . - (1–64)');
    const key = `feed_${randomBytes(24).toString('base64url')}`;
    const entry: StoredFeed & { hash: string } = {
      feed,
      createdAt: new Date().toISOString(),
      createdBy,
      hash: hash(key),
    };
    const previous = await this.redis.hget(this.feeds, feed);
    const tx = this.redis.multi();
    if (previous) tx.hdel(this.byHash, (JSON.parse(previous) as { hash: string }).hash);
    tx.hset(this.byHash, entry.hash, feed).hset(this.feeds, feed, JSON.stringify(entry));
    await tx.exec();
    return { feed, key };
  }

  /** The feed a presented key belongs to. */
  async lookup(key: string): Promise<string | undefined> {
    return (await this.redis.hget(this.byHash, hash(key))) ?? undefined;
  }

  async list(): Promise<StoredFeed[]> {
    return Object.values(await this.redis.hgetall(this.feeds)).map((v) => {
      const { feed, createdAt, createdBy } = JSON.parse(v) as StoredFeed;
      return { feed, createdAt, createdBy };
    });
  }

  async revoke(feed: string): Promise<boolean> {
    const previous = await this.redis.hget(this.feeds, feed);
    if (!previous) return false;
    await this.redis
      .multi()
      .hdel(this.byHash, (JSON.parse(previous) as { hash: string }).hash)
      .hdel(this.feeds, feed)
      .exec();
    return true;
  }
}

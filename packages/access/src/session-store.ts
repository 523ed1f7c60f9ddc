import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Principal } from './principals.js';

export interface Session {
  principal: Principal;
  /** Synchronizer token: state-changing requests must echo it in `X-CSRF-Token`. */
  csrf: string;
  createdAt: string;
}

/**
 * Dashboard sessions in Redis, expiring after `ttlHours`. Keys hold a hash of the session id, so
 * a Redis dump does not hand out live sessions.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlHours: number,
  ) {}

  /** A session's name that does not give the session away (its id, hashed): for logs and leases. */
  fingerprint(id: string): string {
    return createHash('sha256').update(id).digest('hex');
  }

  private key(id: string): string {
    return `${this.prefix}:session:${this.fingerprint(id)}`;
  }

  get ttlSeconds(): number {
    return Math.max(60, Math.round(this.ttlHours * 3600));
  }

  async create(principal: Principal): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session: Session = {
      principal,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: new Date().toISOString(),
    };
    await this.redis.set(this.key(id), JSON.stringify(session), 'EX', this.ttlSeconds);
    return { id, session };
  }

  async get(id: string | undefined): Promise<Session | undefined> {
    if (!id || id.length > 200) return undefined;
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Session) : undefined;
  }

  /** Which of these sessions still exist (one round trip). */
  async stillValid(ids: string[]): Promise<boolean[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.exists(this.key(id));
    const results = (await pipeline.exec()) ?? [];
    return ids.map((_, i) => results[i]?.[1] === 1);
  }

  /** Milliseconds until a session expires (0 when it is gone). */
  async remainingMs(id: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.key(id)));
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.redis.del(this.key(id));
  }
}

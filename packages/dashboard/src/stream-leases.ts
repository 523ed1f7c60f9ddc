import type { Redis } from 'ioredis';

/**
 * KEYS[1] the owner's lease set; ARGV: member, now (ms), stale-before (ms), max, ttl (ms).
 * Drops leases nobody renewed, then adds this one unless the owner already holds `max`.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
`;

/**
 * How many live streams each owner (a dashboard session, or a bearer-token principal) holds, across
 * every API process: a sorted set of stream ids per owner, scored by when each was last renewed.
 * A stream of a process that died stops being renewed and no longer counts after `staleMs`.
 */
export class StreamLeases {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max: number,
    private readonly staleMs: number,
  ) {}

  private key(owner: string): string {
    return `${this.prefix}:live-streams:${owner}`;
  }

  /** True when the owner had a place left; the stream now holds it. */
  async acquire(owner: string, stream: string, now = Date.now()): Promise<boolean> {
    const got = await this.redis.eval(
      ACQUIRE,
      1,
      this.key(owner),
      stream,
      String(now),
      String(now - this.staleMs),
      String(this.max),
      String(this.staleMs * 2),
    );
    return got === 1;
  }

  /** Marks these streams as still open (one round trip). */
  async renew(streams: { owner: string; stream: string }[], now = Date.now()): Promise<void> {
    if (streams.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { owner, stream } of streams) {
      pipeline.zadd(this.key(owner), 'XX', String(now), stream);
      pipeline.pexpire(this.key(owner), this.staleMs * 2);
    }
    await pipeline.exec();
  }

  async release(owner: string, stream: string): Promise<void> {
    await this.redis.zrem(this.key(owner), stream);
  }
}

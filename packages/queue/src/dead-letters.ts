import type { StageName } from '@lightbox/contracts';
import type { Redis } from 'ioredis';

/** A job that failed for good: after its last attempt, or at once for bad input. */
export interface DeadLetter {
  stage: StageName;
  jobId: string;
  photoId?: string;
  storyId?: string;
  error: string;
  attempts: number;
  failedAt: string;
  /** True for bad input (the photo is `rejected` with the reason); false for faults. */
  badInput: boolean;
}

/**
 * The dead-letter list: every job that failed for good, kept (unlike BullMQ's failed set, which
 * is trimmed after 7 days) until the job is retried and succeeds or an editor discards it.
 */
export class DeadLetters {
  private readonly index: string;
  private readonly entries: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.index = `${prefix}:dead-letters`;
    this.entries = `${prefix}:dead-letter`;
  }

  private member(stage: string, jobId: string): string {
    return `${stage}:${jobId}`;
  }

  async record(letter: DeadLetter): Promise<void> {
    const member = this.member(letter.stage, letter.jobId);
    await this.redis
      .multi()
      .hset(this.entries, member, JSON.stringify(letter))
      .zadd(this.index, String(Date.parse(letter.failedAt)), member)
      .exec();
  }

  /** Removes a letter (its job succeeded on a retry, or was discarded). */
  async remove(stage: string, jobId: string): Promise<boolean> {
    const member = this.member(stage, jobId);
    const [[, removed] = [null, 0]] = ((await this.redis
      .multi()
      .zrem(this.index, member)
      .hdel(this.entries, member)
      .exec()) ?? []) as [Error | null, number][];
    return removed === 1;
  }

  /** One letter, if the job is a dead letter. */
  async get(stage: string, jobId: string): Promise<DeadLetter | undefined> {
    const raw = await this.redis.hget(this.entries, this.member(stage, jobId));
    return raw ? (JSON.parse(raw) as DeadLetter) : undefined;
  }

  /** Newest first, paged. */
  async list(offset = 0, limit = 50): Promise<{ total: number; letters: DeadLetter[] }> {
    const [total, members] = await Promise.all([
      this.redis.zcard(this.index),
      this.redis.zrevrange(this.index, offset, offset + limit - 1),
    ]);
    if (members.length === 0) return { total, letters: [] };
    const raws = await this.redis.hmget(this.entries, ...members);
    return {
      total,
      letters: raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as DeadLetter),
    };
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.index);
  }
}

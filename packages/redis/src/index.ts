import type { Redis } from 'ioredis';

export { Redis } from 'ioredis';
export * from './connection.js';
export * from './replica-acks.js';

/** Policies under which Redis may silently drop queue or state keys. */
const EVICTING_POLICIES = new Set([
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
]);

export class UnsafeRedisError extends Error {
  override readonly name = 'UnsafeRedisError';
}

/**
 * Refuses a Redis that can evict keys: BullMQ and Lightbox state would lose photos silently. Warns
 * when it keeps nothing on disk (neither AOF nor RDB snapshots): a restart would lose the queues.
 * Managed Redis that forbids CONFIG is accepted with a warning callback.
 */
export async function assertRedisKeepsData(
  redis: Redis,
  warn: (msg: string) => void = () => {},
): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch (err) {
    warn(`Could not read maxmemory-policy (${(err as Error).message}); make sure it is "noeviction".`);
    return;
  }
  if (policy && EVICTING_POLICIES.has(policy)) {
    throw new UnsafeRedisError(
      `Redis maxmemory-policy is "${policy}": Redis could evict queued photos. ` +
        'Set "maxmemory-policy noeviction" (see docs/operations.md) and start Lightbox again.',
    );
  }
  const [aof, save] = await Promise.all([
    redis.config('GET', 'appendonly') as Promise<string[]>,
    redis.config('GET', 'save') as Promise<string[]>,
  ]);
  if (aof[1] !== 'yes' && !save[1])
    warn(
      'Redis keeps nothing on disk (appendonly no, no save points): a Redis restart loses every queued photo. ' +
        'Set "appendonly yes" (see docs/operations.md).',
    );
}

/** `true` when Redis answers PING within the timeout. */
export async function pingRedis(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

import type { Redis } from 'ioredis';
import { stateKeys } from './keys.js';

/**
 * The stored format's version. 1: the first release. 2: the lifecycle (statuses `embargoed`,
 * `held`, `expired` added; `processing` folded into `received`; records carry `rev`, the current
 * version's kind, and kill notices are filed per feed group).
 */
export const STATE_SCHEMA_VERSION = 2;

/**
 * Brings state written by an earlier release up to `STATE_SCHEMA_VERSION`, at start-up. Safe to run
 * in several processes at once and again after a crash: every step is idempotent. Records are
 * otherwise read as they are (`decodePhoto` maps old statuses; missing `rev` reads as a first
 * revision; v1 kill tombstones still kill a picture that arrives under them).
 */
export async function migrateState(redis: Redis, prefix: string): Promise<{ from: number; to: number }> {
  const k = stateKeys(prefix);
  const from = Number((await redis.get(k.schemaVersion)) ?? 1);
  if (from >= STATE_SCHEMA_VERSION) return { from, to: from };
  if (from < 2) {
    const legacy = `${k.prefix}:photo-status:processing`;
    const members = await redis.zrange(legacy, 0, -1, 'WITHSCORES');
    for (let i = 0; i < members.length; i += 2) {
      const id = members[i] as string;
      const score = members[i + 1] as string;
      // Only records still saying `processing` move; one changed meanwhile is left as it is.
      await redis.eval(
        `if redis.call('HGET', KEYS[1], 'status') == '"processing"' then
           redis.call('HSET', KEYS[1], 'status', '"received"')
           redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
         end
         redis.call('ZREM', KEYS[3], ARGV[2])
         return 1`,
        3,
        k.photo(id),
        k.photosByStatus('received'),
        legacy,
        score,
        id,
      );
    }
  }
  await redis.set(k.schemaVersion, String(STATE_SCHEMA_VERSION));
  return { from, to: STATE_SCHEMA_VERSION };
}

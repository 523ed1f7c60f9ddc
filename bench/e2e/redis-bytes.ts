/** Redis bytes kept per photo, by key family, and the photo record's bytes by field. */
import { STAGES } from '@lightbox/contracts';
import type { Redis } from 'ioredis';
import { PREFIX } from './settings.js';

/** Bytes Redis holds for Lightbox's own state (photos, stories, indexes), apart from BullMQ's job history. */
export async function redisBreakdown(redis: Redis): Promise<{
  state: number;
  queues: number;
  bounded: number;
  used: number;
  families: Record<string, number>;
}> {
  const queuePrefixes = STAGES.map((s) => `${PREFIX}:${s}:`);
  let state = 0;
  let queues = 0;
  /** Dashboard activity: capped lists and time-windowed samples, whatever the photo count. */
  let bounded = 0;
  const families: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    const sizes = await Promise.all(keys.map((k) => redis.memory('USAGE', k, 'SAMPLES', 0)));
    keys.forEach((k, i) => {
      const bytes = Number(sizes[i] ?? 0);
      if (queuePrefixes.some((p) => k.startsWith(p))) queues += bytes;
      else if (k.startsWith(`${PREFIX}:activity:`)) bounded += bytes;
      else {
        state += bytes;
        // One family per kind of key: `state:photo:*`, `state:search-word:*`, `state:photos-by-received`…
        const name = k.slice(PREFIX.length + 1);
        const family = name.startsWith('state:')
          ? name.replace(/^(state:[a-z-]+):.+$/, '$1:*')
          : name.replace(/^([a-z-]+):.+$/, '$1:*');
        families[family] = (families[family] ?? 0) + bytes;
      }
    });
  } while (cursor !== '0');
  const info = await redis.info('memory');
  const used = Number(info.match(/used_memory:(\d+)/)?.[1] ?? 0);
  return { state, queues, bounded, used, families };
}

/** Mean bytes of each field of the photo records (field name + value), to see what is largest. */
export async function recordFieldBytes(redis: Redis, photoIds: string[]): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const id of photoIds) {
    const hash = await redis.hgetall(`${PREFIX}:state:photo:${id}`);
    for (const [field, value] of Object.entries(hash))
      sums[field] = (sums[field] ?? 0) + Buffer.byteLength(field) + Buffer.byteLength(value);
  }
  return Object.fromEntries(
    Object.entries(sums)
      .map(([k, v]) => [k, Math.round(v / Math.max(1, photoIds.length))] as const)
      .sort((a, b) => b[1] - a[1]),
  );
}

import { randomUUID } from 'node:crypto';
import type { Photo, PhotoLicence } from '@lightbox/contracts';
import { FINAL_STATUSES } from '@lightbox/lifecycle';
import { photoLicenceExpiry } from '@lightbox/wire-rules';
import type { Redis } from 'ioredis';
import { stateKeys } from './keys.js';
import { PhotoCatalog } from './photo-catalog.js';
import { decodePhoto } from './photo-record.js';
import { runCommit, StateCommit } from './state-commit.js';

/**
 * The stored format's version. 1: the first release. 2: the lifecycle (statuses `embargoed`,
 * `held`, `expired` added; `processing` folded into `received`; records carry `rev`, the current
 * version's kind, and kill notices are filed per feed group). 3: licence expiry (records carry
 * `licence` and `expiresAt`, filed in the by-expiry index the expiry sweep reads). 4: Redis bytes
 * per photo (issue 13): records store renditions, match candidates, metadata and parsed credits
 * without what can be derived, and history entries with short field names (both forms read,
 * rewritten lazily: `photo-record.ts`); the search index holds photo numbers instead of ids
 * (rebuilt here).
 */
export const STATE_SCHEMA_VERSION = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Brings state written by an earlier release up to `STATE_SCHEMA_VERSION`, at start-up. One
 * process migrates (a lock in Redis); others started meanwhile wait for it. Safe to run again after
 * a crash: every step is idempotent. Records are otherwise read as they are (`decodePhoto` maps old
 * statuses and stored forms; missing `rev` reads as a first revision; v1 kill tombstones still kill
 * a picture that arrives under them).
 */
export async function migrateState(
  redis: Redis,
  prefix: string,
  options: { waitMs?: number } = {},
): Promise<{ from: number; to: number }> {
  const k = stateKeys(prefix);
  const from = Number((await redis.get(k.schemaVersion)) ?? 1);
  if (from >= STATE_SCHEMA_VERSION) return { from, to: from };
  const me = randomUUID();
  const deadline = Date.now() + (options.waitMs ?? 15 * 60_000);
  while ((await redis.set(k.migrationLock, me, 'EX', 120, 'NX')) !== 'OK') {
    if (Number((await redis.get(k.schemaVersion)) ?? 1) >= STATE_SCHEMA_VERSION)
      return { from, to: STATE_SCHEMA_VERSION };
    if (Date.now() > deadline) throw new Error('state migration: another process has held the lock too long');
    await sleep(500);
  }
  const renew = setInterval(() => void redis.expire(k.migrationLock, 120).catch(() => undefined), 30_000);
  try {
    await migrateSteps(redis, prefix, Number((await redis.get(k.schemaVersion)) ?? 1));
  } finally {
    clearInterval(renew);
    await redis.eval(
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
      1,
      k.migrationLock,
      me,
    );
  }
  return { from, to: STATE_SCHEMA_VERSION };
}

async function migrateSteps(redis: Redis, prefix: string, from: number): Promise<void> {
  const k = stateKeys(prefix);
  if (from >= STATE_SCHEMA_VERSION) return;
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
  if (from < 3) await addLicences(redis, prefix);
  if (from < 4) {
    // The search index by photo number, from every record and its history; then the one by id goes.
    const photos = new PhotoCatalog(redis, prefix);
    for (let start = 0; ; start += 500) {
      const ids = await redis.zrange(k.photosByTime, start, start + 499);
      for (const id of ids) await photos.reindex(id);
      if (ids.length < 500) break;
    }
    if (k.legacySearch.keys.length > 0) await redis.unlink(...k.legacySearch.keys);
    for (const pattern of k.legacySearch.families) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  }
  await redis.set(k.schemaVersion, String(STATE_SCHEMA_VERSION));
}

/**
 * The licence of a record written before licences were kept, from its metadata: the sender's
 * expiry (a sidecar's, which the stored record holds in place of the embedded one when both came).
 * Feeds' `expireAfterDays` rules apply to photos that arrive after the upgrade.
 */
export function legacyLicence(photo: Pick<Photo, 'metadata' | 'sidecar'>): PhotoLicence | undefined {
  const newsml = photo.sidecar?.expirationDate;
  const iim = newsml ? undefined : photo.metadata?.expirationDate;
  if (!newsml && !iim) return undefined;
  return { ...(iim ? { iim } : {}), ...(newsml ? { newsml } : {}) };
}

/** Version 3: every live record with a sender's expiry gets its licence, `expiresAt` and index entry. */
async function addLicences(redis: Redis, prefix: string): Promise<void> {
  const k = stateKeys(prefix);
  const batch = 500;
  for (let offset = 0; ; offset += batch) {
    const ids = await redis.zrange(k.photosByTime, offset, offset + batch - 1);
    if (ids.length === 0) break;
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(k.photo(id));
    const replies = (await pipeline.exec()) ?? [];
    for (const [err, hash] of replies) {
      if (err) throw err;
      const raw = hash as Record<string, string>;
      const photo = decodePhoto(raw);
      if (!photo || photo.licence || FINAL_STATUSES.has(photo.status)) continue;
      const licence = legacyLicence(photo);
      if (!licence) continue;
      const expiresAt = photoLicenceExpiry({ ...photo, licence })?.at;
      const key = k.photo(photo.photoId);
      // Only a record nobody changed meanwhile (another process migrating, a stage writing).
      const commit = new StateCommit(k.prefix)
        .expectField(key, 'rev', raw.rev ?? '')
        .hset(key, [
          'licence',
          JSON.stringify(licence),
          ...(expiresAt ? ['expiresAt', JSON.stringify(expiresAt)] : []),
        ])
        .bump(key);
      if (expiresAt) commit.zadd(k.photosByExpiry, Date.parse(expiresAt), photo.photoId);
      await runCommit(redis, commit);
    }
    if (ids.length < batch) break;
  }
}

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SeedEntry, SettingKind, StoredSetting } from './types.js';

/** Redis keys of the runtime settings (hash-tag the prefix for Cluster). */
export function settingsKeys(prefix: string) {
  const p = `${prefix}:settings`;
  return {
    /** id → the setting (JSON), one hash per kind. */
    items: (kind: SettingKind) => `${p}:${kind}`,
    /** id → fingerprint of the environment's entry last seeded, per kind. */
    seeded: (kind: SettingKind) => `${p}:${kind}:seeded`,
    /** Bumped by every change: running processes reload when it moves. */
    revision: `${p}:revision`,
  };
}

const CREATE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[2])
return 1`;

const REPLACE = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[3] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[2])
return 1`;

const REMOVE = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[2])
return current`;

const SEED = `
if redis.call('HGET', KEYS[2], ARGV[1]) == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('INCR', KEYS[3])
return 1`;

const UNSEED = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('INCR', KEYS[3])
return 1`;

/** What seeding changed, by id. */
export interface SeedResult {
  added: string[];
  removed: string[];
}

/**
 * Settings admins change at run time (webhook subscribers, S3 inboxes), in Redis. Every change is
 * one atomic step (Lua) that also bumps a revision, which running processes watch (`LiveSettings`).
 * The environment seeds them at start (`seed`): an entry it gives, or changes, is written; one an
 * admin changed or deleted since stays as the admin left it until the environment's entry changes;
 * one the environment no longer gives goes, unless an admin took it over by editing it.
 */
export class RuntimeSettings {
  private readonly keys: ReturnType<typeof settingsKeys>;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = settingsKeys(prefix);
  }

  async list<K extends SettingKind>(kind: K): Promise<StoredSetting<K>[]> {
    const all = await this.redis.hgetall(this.keys.items(kind));
    return Object.values(all)
      .map((v) => JSON.parse(v) as StoredSetting<K>)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async get<K extends SettingKind>(kind: K, id: string): Promise<StoredSetting<K> | undefined> {
    const raw = await this.redis.hget(this.keys.items(kind), id);
    return raw ? (JSON.parse(raw) as StoredSetting<K>) : undefined;
  }

  /** Adds a setting; false when its id is taken. */
  async create<K extends SettingKind>(kind: K, value: StoredSetting<K>): Promise<boolean> {
    const done = await this.redis.eval(
      CREATE,
      2,
      this.keys.items(kind),
      this.keys.revision,
      value.id,
      JSON.stringify(value),
    );
    return done === 1;
  }

  /** Replaces `current` (as read) by `next`; false when it changed or went meanwhile. */
  async replace<K extends SettingKind>(
    kind: K,
    current: StoredSetting<K>,
    next: StoredSetting<K>,
  ): Promise<boolean> {
    const done = await this.redis.eval(
      REPLACE,
      2,
      this.keys.items(kind),
      this.keys.revision,
      next.id,
      JSON.stringify(next),
      JSON.stringify(current),
    );
    return done === 1;
  }

  /** Deletes a setting; what it was, or undefined when there was none. */
  async remove<K extends SettingKind>(kind: K, id: string): Promise<StoredSetting<K> | undefined> {
    const raw = (await this.redis.eval(REMOVE, 2, this.keys.items(kind), this.keys.revision, id)) as
      | string
      | null;
    return raw ? (JSON.parse(raw) as StoredSetting<K>) : undefined;
  }

  async revision(): Promise<number> {
    return Number((await this.redis.get(this.keys.revision)) ?? 0);
  }

  /** Writes the environment's entries (see the class comment). Safe in several processes at once. */
  async seed<K extends SettingKind>(kind: K, entries: SeedEntry<K>[], at = new Date()): Promise<SeedResult> {
    const result: SeedResult = { added: [], removed: [] };
    const when = at.toISOString();
    for (const entry of entries) {
      const fingerprint = createHash('sha256').update(JSON.stringify(entry)).digest('hex');
      const stored = {
        ...entry,
        version: 1,
        source: 'environment',
        createdAt: when,
        createdBy: 'environment',
        updatedAt: when,
        updatedBy: 'environment',
      };
      const done = await this.redis.eval(
        SEED,
        3,
        this.keys.items(kind),
        this.keys.seeded(kind),
        this.keys.revision,
        entry.id,
        fingerprint,
        JSON.stringify(stored),
      );
      if (done === 1) result.added.push(entry.id);
    }
    const given = new Set(entries.map((e) => e.id));
    const items = await this.redis.hgetall(this.keys.items(kind));
    for (const [id, raw] of Object.entries(items)) {
      if (given.has(id) || (JSON.parse(raw) as StoredSetting<K>).source !== 'environment') continue;
      const done = await this.redis.eval(
        UNSEED,
        3,
        this.keys.items(kind),
        this.keys.seeded(kind),
        this.keys.revision,
        id,
        raw,
      );
      if (done === 1) result.removed.push(id);
    }
    return result;
  }
}

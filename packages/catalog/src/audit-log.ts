import type { Redis } from 'ioredis';
import { type StateKeys, stateKeys } from './keys.js';

/** One state-changing action: who did what to which photo or story, and when. */
export interface AuditEntry {
  at: string;
  /** The principal's name (`editor-3fa2c1`, a named token, `system` for automatic actions). */
  actor: string;
  action: string;
  photoId?: string;
  storyId?: string;
  /** Free text: the story moved to, the order set, the job retried… */
  detail?: string;
}

const MAX_ENTRIES = 100_000;
const MAX_PER_SUBJECT = 200;

/**
 * The audit trail in Redis: a capped stream of every action, plus a short list per photo and per
 * story so a photo's page shows its history without scanning the stream.
 */
export class AuditLog {
  private readonly keys: StateKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = stateKeys(prefix);
  }

  async record(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<AuditEntry> {
    const full: AuditEntry = { at: new Date().toISOString(), ...entry };
    const json = JSON.stringify(full);
    const tx = this.redis.multi();
    tx.xadd(this.keys.audit, 'MAXLEN', '~', String(MAX_ENTRIES), '*', 'entry', json);
    for (const [kind, id] of [
      ['photo', full.photoId],
      ['story', full.storyId],
    ] as const) {
      if (!id) continue;
      tx.lpush(this.keys.auditOf(kind, id), json);
      tx.ltrim(this.keys.auditOf(kind, id), 0, MAX_PER_SUBJECT - 1);
    }
    await tx.exec();
    return full;
  }

  /** Newest first. */
  async recent(limit = 50): Promise<AuditEntry[]> {
    const rows = await this.redis.xrevrange(this.keys.audit, '+', '-', 'COUNT', limit);
    return rows.map(([, fields]) => JSON.parse(fields[1] as string) as AuditEntry);
  }

  /** A photo's or story's history, newest first. */
  async of(kind: 'photo' | 'story', id: string, limit = MAX_PER_SUBJECT): Promise<AuditEntry[]> {
    return (await this.redis.lrange(this.keys.auditOf(kind, id), 0, limit - 1)).map(
      (v) => JSON.parse(v) as AuditEntry,
    );
  }

  /** Drops the per-subject histories (archived with their subject; the global stream keeps its own copy). */
  async evict(kind: 'photo' | 'story', ids: string[]): Promise<void> {
    if (ids.length > 0) await this.redis.del(...ids.map((id) => this.keys.auditOf(kind, id)));
  }

  /** Restores a subject's history (entries newest first, as `of` returns them). */
  async restore(kind: 'photo' | 'story', id: string, entries: AuditEntry[]): Promise<void> {
    const key = this.keys.auditOf(kind, id);
    const tx = this.redis.multi().del(key);
    if (entries.length > 0) tx.rpush(key, ...entries.map((e) => JSON.stringify(e)));
    await tx.exec();
  }
}

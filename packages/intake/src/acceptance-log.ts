import { createHash } from 'node:crypto';
import type { PhotoState } from '@lightbox/catalog';
import { type IntakePriority, type IntakeRoute, objectKeys } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';

export const ACCEPTANCE_FORMAT = 'lightbox-acceptance/1';

/**
 * What object storage keeps of one accepted transmission, written before it is answered (202, or
 * the hot-folder file moved to `_processed/`) and before the lifecycle records it. With the
 * original at `originalKey` (and the sidecar at `sidecarKey`), it is everything needed to put the
 * transmission through intake again, at its own arrival time, when Redis lost it (the reconciler).
 */
export interface Acceptance {
  format: typeof ACCEPTANCE_FORMAT;
  /** sha256 of the bytes, with the sidecar's when one came along (the duplicate check's key). */
  fingerprint: string;
  sha256: string;
  feed: string;
  route?: IntakeRoute;
  /** `bulk` for an import: a replay keeps it behind live wire photos (absent: live). */
  priority?: IntakePriority;
  filename?: string;
  /** Arrival (ISO): the transmission's time in the photo's history, and its place in replay order. */
  receivedAt: string;
  originalKey: string;
  contentType: string;
  bytes: number;
  /** The wire identity keys the metadata gave (GUID, source + reference…), for people reading it. */
  identityKeys: string[];
  /** Where the NewsML-G2 sidecar that came with it is. */
  sidecarKey?: string;
}

export const SNAPSHOT_FORMAT = 'lightbox-photo-snapshot/1';

/**
 * A photo accepted by a release that kept no acceptance records: its whole Redis state, filed in
 * the log at its first arrival (key fingerprint: the sha256 of its photo id), so a rebuild brings
 * it back as it was, before the transmissions that came after it.
 */
export interface PhotoSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  takenAt: string;
  state: PhotoState;
}

/** One entry of a listing: enough to order and check acceptances without reading them. */
export interface AcceptanceRef {
  key: string;
  fingerprint: string;
  /** Arrival, epoch ms (from the key). */
  at: number;
}

const KEY_PATTERN =
  /^acceptances\/(\d{4}-\d{2}-\d{2})\/(\d{2})(\d{2})(\d{2})(\d{3})-([0-9a-f]{64})(?:-[0-9A-Za-z_]+)?\.json$/;

/** The ref a key names, or undefined for a key that is not an acceptance. */
export function parseAcceptanceKey(key: string): AcceptanceRef | undefined {
  const m = KEY_PATTERN.exec(key);
  if (!m) return undefined;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(at) ? undefined : { key, fingerprint: m[6] as string, at };
}

/**
 * Acceptances in arrival order, each fingerprint once (its first arrival): a transmission accepted
 * again after Redis lost it has two records, and only the first counts.
 */
export function inArrivalOrder(refs: Iterable<AcceptanceRef>): AcceptanceRef[] {
  const sorted = [...refs].sort((a, b) => a.at - b.at || a.key.localeCompare(b.key));
  const seen = new Set<string>();
  return sorted.filter((r) => !seen.has(r.fingerprint) && seen.add(r.fingerprint));
}

/** UTC days from `from` to `to` (inclusive), as `yyyy-mm-dd`. */
export function daysBetween(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(...utcDay(fromMs)); t <= toMs; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const utcDay = (ms: number): [number, number, number] => {
  const d = new Date(ms);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
};

/** The acceptance records in object storage (`acceptances/<day>/<time>-<fingerprint>-<upload>.json`). */
export class AcceptanceLog {
  constructor(private readonly store: ObjectStore) {}

  /** Stores the sidecar (when one came) and the record; returns the record as stored. */
  async record(fields: Omit<Acceptance, 'format' | 'sidecarKey'>, sidecar?: Buffer): Promise<Acceptance> {
    let sidecarKey: string | undefined;
    if (sidecar) {
      sidecarKey = objectKeys.sidecar(createHash('sha256').update(sidecar).digest('hex'));
      await this.store.put(sidecarKey, sidecar, { contentType: 'application/xml' });
    }
    const acceptance: Acceptance = {
      format: ACCEPTANCE_FORMAT,
      ...fields,
      ...(sidecarKey ? { sidecarKey } : {}),
    };
    await this.store.put(keyOf(acceptance), JSON.stringify(acceptance), { contentType: 'application/json' });
    return acceptance;
  }

  /** Takes back the record of a transmission that was refused as a whole (nothing was accepted). */
  async withdraw(acceptance: Acceptance): Promise<void> {
    await this.store.delete(keyOf(acceptance));
  }

  /** Acceptances of the given UTC days (every day when omitted), in key order. */
  async list(days?: string[]): Promise<AcceptanceRef[]> {
    const prefixes = days ? days.map((d) => `acceptances/${d}/`) : ['acceptances/'];
    const refs: AcceptanceRef[] = [];
    for (const prefix of prefixes)
      for (const key of await this.store.list(prefix)) {
        const ref = parseAcceptanceKey(key);
        if (ref) refs.push(ref);
      }
    return refs;
  }

  /** Files a snapshot of a photo an earlier release accepted (see `PhotoSnapshot`); returns its key. */
  async snapshot(state: PhotoState): Promise<string> {
    const snapshot: PhotoSnapshot = { format: SNAPSHOT_FORMAT, takenAt: new Date().toISOString(), state };
    const key = objectKeys.acceptance(state.photo.receivedAt, snapshotFingerprint(state.photo.photoId));
    await this.store.put(key, JSON.stringify(snapshot), { contentType: 'application/json' });
    return key;
  }

  async read(key: string): Promise<Acceptance | PhotoSnapshot> {
    const record = JSON.parse((await this.store.get(key)).toString('utf8')) as Acceptance | PhotoSnapshot;
    if (record.format !== ACCEPTANCE_FORMAT && record.format !== SNAPSHOT_FORMAT)
      throw new Error(`${key}: unknown acceptance format ${String((record as { format?: unknown }).format)}`);
    return record;
  }

  async original(acceptance: Acceptance): Promise<Buffer> {
    return this.store.get(acceptance.originalKey);
  }

  async sidecar(acceptance: Acceptance): Promise<Buffer | undefined> {
    return acceptance.sidecarKey ? this.store.get(acceptance.sidecarKey) : undefined;
  }

  /**
   * Moves the acceptances of transmissions whose photo state went to `archive/` out of the log (to
   * `archive/acceptances/…`), so they are never replayed into Redis; `restore` moves them back.
   * Keys are found from the history entries' arrival time and sha256.
   */
  async retire(entries: { receivedAt: string; sha256: string }[]): Promise<number> {
    return this.move(entries, 'retire');
  }

  async restore(entries: { receivedAt: string; sha256: string }[]): Promise<number> {
    return this.move(entries, 'restore');
  }

  private async move(entries: { receivedAt: string; sha256: string }[], way: 'retire' | 'restore') {
    let moved = 0;
    for (const entry of entries) {
      // The fingerprint includes the sidecar's hash when one came: find the record by its time.
      const live = objectKeys.acceptance(entry.receivedAt, '').replace(/\.json$/, '');
      const prefix = way === 'retire' ? live : objectKeys.retiredAcceptance(live);
      for (const key of await this.store.list(prefix)) {
        const body = await this.store.get(key).catch(() => undefined);
        if (!body || (JSON.parse(body.toString('utf8')) as Acceptance).sha256 !== entry.sha256) continue;
        const target = way === 'retire' ? objectKeys.retiredAcceptance(key) : key.slice('archive/'.length);
        await this.store.put(target, body, { contentType: 'application/json' });
        await this.store.delete(key);
        moved++;
      }
    }
    return moved;
  }
}

/** The key fingerprint of a photo's snapshot. */
export const snapshotFingerprint = (photoId: string) =>
  createHash('sha256').update(`snapshot:${photoId}`).digest('hex');

/** A record's key: its upload's id is its original's file name (random for each upload). */
const keyOf = (a: Pick<Acceptance, 'receivedAt' | 'fingerprint' | 'originalKey'>) =>
  objectKeys.acceptance(a.receivedAt, a.fingerprint, uploadIdOf(a.originalKey));

const uploadIdOf = (originalKey: string) =>
  /^originals\/\d{4}-\d{2}-\d{2}\/([0-9A-Za-z_]+)\.[a-z0-9]+$/.exec(originalKey)?.[1];

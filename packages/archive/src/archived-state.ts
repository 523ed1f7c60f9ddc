import type { AuditEntry, AuditLog, PhotoCatalog, PhotoState } from '@lightbox/catalog';
import type { Photo } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';
import { identityKeys } from '@lightbox/wire-rules';

/** A photo's Redis state plus its audit trail, as archives hold it. */
export type ArchivedPhoto = PhotoState & { audit: AuditEntry[] };

/** The wire identity keys a photo owns (so a resend still finds it after a restore). */
export const photoIdentityKeys = (p: Photo): string[] => (p.metadata ? identityKeys(p.metadata) : []);

export function withAudit(audit: AuditLog, states: PhotoState[]): Promise<ArchivedPhoto[]> {
  return Promise.all(states.map(async (s) => ({ ...s, audit: await audit.of('photo', s.photo.photoId) })));
}

/** Writes an archive document and reads it back: nothing is evicted that S3 does not verifiably hold. */
export async function writeVerified(store: ObjectStore, key: string, doc: unknown): Promise<void> {
  const body = JSON.stringify(doc);
  await store.put(key, body, { contentType: 'application/json' });
  if ((await store.get(key)).toString('utf8') !== body)
    throw new Error(`Archive ${key} did not read back as written`);
}

/** A transmission, as a photo's history names it: when it came and the sha256 of its bytes. */
export interface TransmissionTimes {
  receivedAt: string;
  sha256: string;
}

/**
 * The acceptance records object storage keeps of live photos (`AcceptanceLog`): archived photos'
 * records leave the log before the photos leave Redis, so the reconciler never replays them.
 */
export interface AcceptanceRecords {
  retire(entries: TransmissionTimes[]): Promise<unknown>;
  restore(entries: TransmissionTimes[]): Promise<unknown>;
}

/** Every transmission of the photos. */
const transmissions = (states: PhotoState[]): TransmissionTimes[] =>
  states.flatMap((s) => s.versions.map((v) => ({ receivedAt: v.receivedAt, sha256: v.sha256 })));

/** Takes archived photos out of Redis: records, indexes and audit trails (their acceptances first). */
export async function evictPhotos(
  photos: PhotoCatalog,
  audit: AuditLog,
  states: PhotoState[],
  acceptances?: AcceptanceRecords,
): Promise<void> {
  await acceptances?.retire(transmissions(states));
  await photos.evict(states);
  await audit.evict(
    'photo',
    states.map((s) => s.photo.photoId),
  );
}

/** Puts archived photos and their audit trails back into Redis. */
export async function restorePhotos(
  photos: PhotoCatalog,
  audit: AuditLog,
  archived: ArchivedPhoto[],
  acceptances?: AcceptanceRecords,
): Promise<void> {
  await photos.importStates(archived);
  await acceptances?.restore(transmissions(archived));
  for (const p of archived) await audit.restore('photo', p.photo.photoId, p.audit);
}

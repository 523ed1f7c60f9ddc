import type { AuditLog, PhotoCatalog } from '@lightbox/catalog';
import type { PhotoStatus } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';
import {
  type AcceptanceRecords,
  type ArchivedPhoto,
  evictPhotos,
  photoIdentityKeys,
  restorePhotos,
  withAudit,
  writeVerified,
} from './archived-state.js';

export const PHOTO_ARCHIVE_FORMAT = 'lightbox-photo-archive/1';

/** Photos no story claimed: they wait for an editor, but not forever. */
export const UNDECIDED_STATUSES: readonly PhotoStatus[] = ['unmatched', 'review', 'rejected'];

/** One sweep's S3 document. */
export interface PhotoArchiveDocument {
  format: typeof PHOTO_ARCHIVE_FORMAT;
  archivedAt: string;
  photos: ArchivedPhoto[];
}

/**
 * Retention for photos that never found a story (unmatched, review, rejected): once older than the
 * retention, they move in batches to `archive/photos/<date>/<first photo id>.json` in S3 and leave
 * Redis. Written and read back before eviction, as for stories; `restore(key)` puts a batch back.
 */
export class UndecidedPhotoArchive {
  constructor(
    private readonly photos: PhotoCatalog,
    private readonly audit: AuditLog,
    private readonly store: ObjectStore,
    /** Archived photos' acceptance records leave the log (never replayed into Redis). */
    private readonly acceptances?: AcceptanceRecords,
  ) {}

  /** Archives every undecided photo that arrived before `now - retentionMs`; returns how many. */
  async sweep(
    retentionMs: number,
    now = new Date(),
    batch = 500,
  ): Promise<{ photos: number; keys: string[] }> {
    const before = now.getTime() - retentionMs;
    let total = 0;
    const keys: string[] = [];
    for (const status of UNDECIDED_STATUSES) {
      for (;;) {
        const ids = await this.photos.idsByStatusBefore(status, before, batch);
        if (ids.length === 0) break;
        const states = (await this.photos.exportStates(ids, photoIdentityKeys)).filter(
          (s) => s.photo.status === status,
        );
        // An index entry whose record is gone would come back every round: stop at it.
        if (states.length === 0) break;
        const doc: PhotoArchiveDocument = {
          format: PHOTO_ARCHIVE_FORMAT,
          archivedAt: now.toISOString(),
          photos: await withAudit(this.audit, states),
        };
        const key = `archive/photos/${now.toISOString().slice(0, 10)}/${status}-${ids[0]}.json`;
        await writeVerified(this.store, key, doc);
        await evictPhotos(this.photos, this.audit, states, this.acceptances);
        keys.push(key);
        total += states.length;
        if (ids.length < batch) break;
      }
    }
    return { photos: total, keys };
  }

  /** Puts one archived batch back into Redis. */
  async restore(key: string): Promise<number> {
    const doc = JSON.parse((await this.store.get(key)).toString('utf8')) as PhotoArchiveDocument;
    if (doc.format !== PHOTO_ARCHIVE_FORMAT) throw new Error(`${key} is not a Lightbox photo archive`);
    await restorePhotos(this.photos, this.audit, doc.photos, this.acceptances);
    return doc.photos.length;
  }
}

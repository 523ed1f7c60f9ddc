import { AuditLog, PhotoCatalog } from '@lightbox/catalog';
import type { Photo, PhotoStatus } from '@lightbox/contracts';
import { randomPrefix } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { type PhotoArchiveDocument, UndecidedPhotoArchive } from '../src/index.js';
import { useRedisAndS3 } from './support.js';

const DAY = 24 * 3600_000;
const backends = useRedisAndS3();

describe('UndecidedPhotoArchive', () => {
  it('moves unmatched, review and rejected photos past retention to S3, keeps the rest, and restores them', async () => {
    const prefix = randomPrefix('sweep');
    const photos = new PhotoCatalog(backends.redis, prefix);
    const audit = new AuditLog(backends.redis, prefix);
    const now = new Date('2024-10-01T12:00:00Z');
    let n = 0;
    const add = async (status: PhotoStatus, ageDays: number) => {
      const sha = `${(++n).toString(16).padStart(4, '0')}${'e'.repeat(60)}`;
      const receivedAt = new Date(now.getTime() - ageDays * DAY).toISOString();
      const photo: Photo = {
        photoId: `ph_${sha.slice(0, 24)}`,
        status: 'received',
        feed: 'wire',
        sha256: sha,
        originalKey: `originals/${sha}.jpg`,
        contentType: 'image/jpeg',
        bytes: 1,
        receivedAt,
        updatedAt: receivedAt,
        version: 1,
      };
      await photos.register(
        { ...photo, status },
        {
          kind: 'original',
          sha256: sha,
          originalKey: photo.originalKey,
          receivedAt,
          feed: 'wire',
        },
      );
      await photos.update(photo.photoId, {
        metadata: { caption: `Street scene ${n}`, keywords: [] } as never,
      });
      await audit.record({ actor: 'editor', action: 'photo.reject', photoId: photo.photoId });
      return photo.photoId;
    };
    const oldUnmatched = await add('unmatched', 40);
    const oldReview = await add('review', 31);
    const oldRejected = await add('rejected', 90);
    const freshUnmatched = await add('unmatched', 2);
    const oldPublished = await add('published', 60);

    const archive = new UndecidedPhotoArchive(photos, audit, backends.store);
    const result = await archive.sweep(30 * DAY, now, 2);
    expect(result.photos).toBe(3);
    for (const id of [oldUnmatched, oldReview, oldRejected]) {
      expect(await photos.get(id)).toBeUndefined();
      expect(await audit.of('photo', id)).toEqual([]);
    }
    for (const id of [freshUnmatched, oldPublished]) expect(await photos.get(id)).toBeDefined();
    expect((await photos.listByStatus('unmatched')).ids).toEqual([freshUnmatched]);

    const archived = await Promise.all(
      result.keys.map(
        async (k) => JSON.parse((await backends.store.get(k)).toString()) as PhotoArchiveDocument,
      ),
    );
    expect(archived.flatMap((d) => d.photos.map((p) => p.photo.photoId)).sort()).toEqual(
      [oldUnmatched, oldReview, oldRejected].sort(),
    );
    expect(result.keys.every((k) => k.startsWith('archive/photos/2024-10-01/'))).toBe(true);

    // A second sweep finds nothing; restoring brings them back with their history.
    expect((await archive.sweep(30 * DAY, now)).photos).toBe(0);
    for (const key of result.keys) await archive.restore(key);
    expect((await photos.get(oldReview))?.status).toBe('review');
    expect(await audit.of('photo', oldRejected)).toHaveLength(1);
    expect((await photos.listByStatus('unmatched')).ids.sort()).toEqual(
      [freshUnmatched, oldUnmatched].sort(),
    );
  });
});

import type { Photo, StoryInput } from '@lightbox/contracts';
import { randomPrefix } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, PhotoCatalog, StoryCatalog, StorySlugTakenError } from '../src/index.js';

export function photo(overrides: Partial<Photo> = {}): Photo {
  const sha = overrides.sha256 ?? Math.random().toString(16).slice(2).padEnd(64, '0');
  return {
    photoId: `ph_${sha.slice(0, 24)}`,
    status: 'received',
    feed: 'wire',
    sha256: sha,
    originalKey: `originals/${sha}.jpg`,
    contentType: 'image/jpeg',
    bytes: 100,
    receivedAt: '2024-08-11T20:00:00.000Z',
    updatedAt: '2024-08-11T20:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** The first-version history entry for a photo. */
export const first = (p: Photo) => ({
  kind: 'original' as const,
  sha256: p.sha256,
  originalKey: p.originalKey,
  receivedAt: p.receivedAt,
  feed: p.feed,
});

export const storyInput = (
  slug: string,
  start = '2024-08-11T21:00:00+02:00',
  end = '2024-08-12T00:30:00+02:00',
): StoryInput => ({
  slug,
  headline: `Headline ${slug}`,
  event: { name: `Event ${slug}`, start, end },
});

/** What every Redis back end must do for Lightbox state. */
export function catalogContract(
  name: string,
  start: () => Promise<{ url: string; stop: () => Promise<void> }>,
) {
  describe(`catalog contract: ${name}`, () => {
    let redis: Redis;
    let stop: () => Promise<void>;
    let photos: PhotoCatalog;
    let stories: StoryCatalog;

    beforeAll(async () => {
      const server = await start();
      stop = server.stop;
      redis = new Redis(server.url);
      const prefix = randomPrefix('catalog');
      photos = new PhotoCatalog(redis, prefix);
      stories = new StoryCatalog(redis, prefix);
    });
    afterAll(async () => {
      redis?.disconnect();
      await stop?.();
    });

    it('registers a photo once per sha256, atomically under concurrency', async () => {
      const p = photo();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => photos.register({ ...p }, first(p))),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.photo.photoId))).toEqual(new Set([p.photoId]));
      expect(await photos.findBySha(p.sha256)).toMatchObject({ photoId: p.photoId, status: 'received' });
    });

    it('round-trips nested fields and removes fields set to null', async () => {
      const p = photo();
      await photos.register(p, first(p));
      await photos.update(p.photoId, {
        status: 'processing',
        metadata: { caption: 'Caption – with “quotes” and ümlauts', keywords: ['a', 'b'] },
        error: 'temporary',
      });
      await photos.update(p.photoId, { error: null });
      const back = await photos.require(p.photoId);
      expect(back.metadata).toEqual({ caption: 'Caption – with “quotes” and ümlauts', keywords: ['a', 'b'] });
      expect(back.status).toBe('processing');
      expect(back.error).toBeUndefined();
      expect(Date.parse(back.updatedAt)).toBeGreaterThan(Date.parse(p.updatedAt));
    });

    it('moves status only from the expected one', async () => {
      const p = photo({ status: 'matched' });
      await photos.register(p, first(p));
      expect(await photos.transition(p.photoId, 'review', 'published')).toBe(false);
      expect(await photos.transition(p.photoId, 'matched', 'published')).toBe(true);
      expect((await photos.require(p.photoId)).status).toBe('published');
    });

    it('returns undefined for unknown photos and skips them in getMany', async () => {
      const p = photo();
      await photos.register(p, first(p));
      expect(await photos.get('ph_nope')).toBeUndefined();
      await expect(photos.require('ph_nope')).rejects.toThrow(/Unknown photo/);
      expect((await photos.getMany(['ph_nope', p.photoId])).map((x) => x.photoId)).toEqual([p.photoId]);
    });

    it('lists recent photos newest first', async () => {
      const older = photo({ receivedAt: '2030-01-01T00:00:00.000Z' });
      const newer = photo({ receivedAt: '2030-01-02T00:00:00.000Z' });
      await photos.register(older, first(older));
      await photos.register(newer, first(newer));
      expect(await photos.recentIds(2)).toEqual([newer.photoId, older.photoId]);
    });

    it('adds versions atomically: next number, history entry, patch, and the new sha256 points at the photo', async () => {
      const p = photo();
      await photos.register(p, { ...first(p), caption: 'first caption' });
      const sha2 = 'b'.repeat(64);
      const added = await Promise.all([
        photos.addVersion(
          p.photoId,
          { ...first(p), kind: 'correction', sha256: sha2, caption: 'CORRECTS name' },
          { originalKey: `originals/${sha2}.jpg`, status: 'received' },
        ),
        photos.addVersion(
          p.photoId,
          { ...first(p), kind: 'correction', sha256: sha2, caption: 'CORRECTS name' },
          {},
        ),
      ]);
      expect(added.filter((a) => 'version' in a)).toEqual([{ version: 2 }]);
      expect(added.filter((a) => 'duplicateOf' in a)).toEqual([{ duplicateOf: p.photoId }]);
      const back = await photos.require(p.photoId);
      expect(back).toMatchObject({ version: 2, originalKey: `originals/${sha2}.jpg` });
      expect((await photos.findBySha(sha2))?.photoId).toBe(p.photoId);
      expect((await photos.versions(p.photoId)).map((v) => [v.version, v.kind, v.caption])).toEqual([
        [1, 'original', 'first caption'],
        [2, 'correction', 'CORRECTS name'],
      ]);
      await expect(photos.addVersion('ph_missing', first(p), {})).rejects.toThrow(/no such photo/);
    });

    it('indexes identities (first claim wins) and remembers kill tombstones', async () => {
      const a = photo();
      const b = photo();
      await photos.claimIdentities(a.photoId, ['ref:ap|x1|slug|2024-08-11', 'guid:g1']);
      await photos.claimIdentities(b.photoId, ['guid:g1', 'guid:g2']);
      expect(await photos.findByIdentity(['guid:nope', 'guid:g1'])).toBe(a.photoId);
      expect(await photos.findByIdentity(['guid:g2'])).toBe(b.photoId);
      expect(await photos.findByIdentity([])).toBeUndefined();
      await photos.addKillTombstones(['guid:dead'], 'MANDATORY KILL');
      expect(await photos.findKillTombstone(['guid:other', 'guid:dead'])).toMatchObject({
        reason: 'MANDATORY KILL',
      });
      expect(await photos.findKillTombstone(['guid:other'])).toBeUndefined();
    });

    it('creates stories with unique slugs', async () => {
      const s = await stories.create(storyInput('unique-slug'));
      expect(s).toMatchObject({ slug: 'unique-slug', status: 'open' });
      expect(s.id).toMatch(/^st_[0-9a-f]{16}$/);
      await expect(stories.create(storyInput('unique-slug'))).rejects.toBeInstanceOf(StorySlugTakenError);
      expect(await stories.get(s.id)).toEqual(s);
    });

    it('finds stories overlapping a time range', async () => {
      const a = await stories.create(storyInput('overlap-a', '2025-01-10T10:00:00Z', '2025-01-10T12:00:00Z'));
      const b = await stories.create(storyInput('overlap-b', '2025-01-03T00:00:00Z', '2025-01-12T00:00:00Z'));
      await stories.create(storyInput('overlap-c', '2025-02-01T00:00:00Z', '2025-02-01T01:00:00Z'));
      const found = await stories.listOverlapping(
        Date.parse('2025-01-10T11:00:00Z'),
        Date.parse('2025-01-10T11:30:00Z'),
      );
      expect(found.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('tracks gallery membership and versions', async () => {
      const s = await stories.create(storyInput('members'));
      await stories.addPhoto(s.id, 'ph_a');
      await stories.addPhoto(s.id, 'ph_b');
      await stories.addPhoto(s.id, 'ph_a');
      await stories.removePhoto(s.id, 'ph_b');
      expect(await stories.photoIds(s.id)).toEqual(['ph_a']);
      expect(await stories.photoCount(s.id)).toBe(1);
      expect(await stories.nextGalleryVersion(s.id)).toBe(1);
      expect(await stories.nextGalleryVersion(s.id)).toBe(2);
    });

    it('logs story changes so an in-memory index can catch up incrementally', async () => {
      const start = await stories.generation();
      const a = await stories.create(storyInput('changes-a'));
      const b = await stories.create(storyInput('changes-b'));
      const all = await stories.changesSince(start);
      expect(all.stories.map((s) => s.id)).toEqual([a.id, b.id]);
      expect(all.generation).toBe(start + 2);
      await stories.save({ ...a, headline: 'Edited' });
      const next = await stories.changesSince(all.generation);
      expect(next.stories.map((s) => [s.id, s.headline])).toEqual([[a.id, 'Edited']]);
      expect((await stories.changesSince(next.generation)).stories).toEqual([]);
      await expect(stories.save({ ...a, id: 'st_missing' })).rejects.toThrow(/No story/);
    });

    it('keeps gallery layout, publish times and index entries', async () => {
      const s = await stories.create(storyInput('layout'));
      expect(await stories.getLayout(s.id)).toEqual({ order: [], cover: null });
      await stories.setLayout(s.id, { order: ['ph_b', 'ph_a'], cover: 'ph_a' });
      expect(await stories.getLayout(s.id)).toEqual({ order: ['ph_b', 'ph_a'], cover: 'ph_a' });
      expect(await stories.lastPublishingAt(s.id)).toBeUndefined();
      await stories.markPublishing(s.id, 1234);
      expect(await stories.lastPublishingAt(s.id)).toBe(1234);
      const entry = {
        storyId: s.id,
        slug: s.slug,
        headline: s.headline,
        version: 1,
        updatedAt: '2024-08-12T00:00:00.000Z',
        final: false,
        photoCount: 0,
        url: 'u',
        cover: null,
      };
      await stories.recordGalleryEntry(entry);
      await stories.recordGalleryEntry({ ...entry, version: 2 });
      expect((await stories.galleryEntries()).filter((e) => e.storyId === s.id)).toEqual([
        { ...entry, version: 2 },
      ]);
    });

    it('writes automatic match decisions unless an editor decided or the photo was killed', async () => {
      const p = photo({ status: 'processing' });
      await photos.register(p, first(p));
      const match = {
        decision: 'review' as const,
        storyId: 'st_x',
        score: 0.4,
        reasons: ['r'],
        candidates: [],
        matchedAt: 'now',
      };
      expect(
        await photos.applyMatch(p.photoId, { status: 'review', match, storyId: null, awaitingAt: 5000 }),
      ).toBe(true);
      expect(await photos.awaitingStoryBetween(4000, 6000)).toContain(p.photoId);

      const manual = {
        ...match,
        decision: 'matched' as const,
        manual: { by: 'ed', at: 'now', action: 'assign' as const },
      };
      expect(
        await photos.applyMatch(
          p.photoId,
          { status: 'matched', match: manual, storyId: 'st_x', awaitingAt: null },
          true,
        ),
      ).toBe(true);
      expect(await photos.awaitingStoryBetween(4000, 6000)).not.toContain(p.photoId);
      // An automatic re-match cannot undo the editor's decision.
      expect(
        await photos.applyMatch(p.photoId, { status: 'unmatched', match, storyId: null, awaitingAt: 5000 }),
      ).toBe(false);
      expect(await photos.get(p.photoId)).toMatchObject({
        status: 'matched',
        storyId: 'st_x',
        match: manual,
      });

      const k = photo({ status: 'killed' });
      await photos.register(k, first(k));
      expect(
        await photos.applyMatch(k.photoId, { status: 'matched', match, storyId: 'st_x', awaitingAt: null }),
      ).toBe(false);
      expect((await photos.get(k.photoId))?.status).toBe('killed');
      await expect(
        photos.applyMatch('ph_nope', { status: 'matched', match, storyId: null, awaitingAt: null }),
      ).rejects.toThrow(/Unknown photo/);

      const u = photo({ status: 'processing', storyId: 'st_old' });
      await photos.register(u, first(u));
      await photos.applyMatch(u.photoId, { status: 'unmatched', match, storyId: null, awaitingAt: 7000 });
      expect((await photos.get(u.photoId))?.storyId).toBeUndefined();
      await photos.stopAwaitingStory(u.photoId);
      expect(await photos.awaitingStoryBetween(6000, 8000)).not.toContain(u.photoId);
    });

    it('keeps photos indexed by status through every kind of write', async () => {
      const p = photo({ status: 'received', receivedAt: '2035-01-01T00:00:00.000Z' });
      await photos.register(p, first(p));
      const has = async (status: Photo['status']) =>
        (await photos.listByStatus(status, 0, 1000)).ids.includes(p.photoId);
      expect(await has('received')).toBe(true);
      await photos.update(p.photoId, { status: 'processing' });
      expect([await has('received'), await has('processing')]).toEqual([false, true]);
      const match = {
        decision: 'review' as const,
        storyId: null,
        score: 0.4,
        reasons: [],
        candidates: [],
        matchedAt: 'x',
      };
      await photos.applyMatch(p.photoId, { status: 'review', match, storyId: null, awaitingAt: 1 });
      expect([await has('processing'), await has('review')]).toEqual([false, true]);
      await photos.update(p.photoId, { status: 'matched' });
      expect(await photos.transition(p.photoId, 'matched', 'published')).toBe(true);
      expect([await has('matched'), await has('published')]).toEqual([false, true]);
      await photos.update(p.photoId, { error: 'x' });
      expect(await has('published')).toBe(true);
      const next = { ...first(p), sha256: 'f'.repeat(64), kind: 'update' as const };
      await photos.addVersion(p.photoId, next, { status: 'received' });
      expect([await has('published'), await has('received')]).toEqual([false, true]);
      const counts = await photos.countByStatus(['received', 'published']);
      expect(counts.received).toBeGreaterThanOrEqual(1);
      // Newest arrival first.
      const later = photo({ status: 'received', receivedAt: '2035-01-02T00:00:00.000Z' });
      await photos.register(later, first(later));
      expect((await photos.listByStatus('received', 0, 2)).ids).toEqual([later.photoId, p.photoId]);
    });

    it('searches by words, agency, status, story and capture range, paged', async () => {
      const mk = async (caption: string, agency: string, dateCreated: string, status: Photo['status']) => {
        const p = photo({ status: 'processing' });
        await photos.register(p, first(p));
        await photos.update(p.photoId, {
          status,
          metadata: { caption, agency, dateCreated, keywords: ['Searchtest'] },
        });
        return p.photoId;
      };
      const a = await mk(
        'Tom Cruise is lowered into the Stade de France',
        'AP',
        '2024-08-11T23:40:00+02:00',
        'review',
      );
      const b = await mk('Tom Cruise rides a motorbike', 'Reuters', '2024-08-11T23:50:00+02:00', 'matched');
      const c = await mk('Simone Biles waves to the crowd', 'AP', '2024-08-05T12:00:00Z', 'review');
      const ids = async (q: Parameters<PhotoCatalog['search']>[0]) => (await photos.search(q)).ids.sort();
      expect(await ids({ text: 'tom cruise', limit: 10 })).toEqual([a, b].sort());
      expect(await ids({ text: 'Crúise stade' })).toEqual([a]);
      expect(await ids({ text: 'searchtest', agency: 'ap' })).toEqual([a, c].sort());
      expect(await ids({ text: 'searchtest', status: 'review' })).toEqual([a, c].sort());
      expect(
        await ids({
          text: 'searchtest',
          fromMs: Date.parse('2024-08-11T00:00:00Z'),
          toMs: Date.parse('2024-08-12T00:00:00Z'),
        }),
      ).toEqual([a, b].sort());
      expect(
        await ids({
          status: 'review',
          fromMs: Date.parse('2024-08-01T00:00:00Z'),
          toMs: Date.parse('2024-08-06T00:00:00Z'),
        }),
      ).toEqual([c]);
      const s = await stories.create(storyInput('search-story'));
      await stories.addPhoto(s.id, b);
      expect(await ids({ storyId: s.id, text: 'cruise' })).toEqual([b]);
      expect(await ids({ text: 'nosuchword' })).toEqual([]);
      const page = await photos.search({ text: 'searchtest', limit: 2 });
      expect(page.total).toBe(3);
      expect(page.ids).toHaveLength(2);
      const rest = await photos.search({ text: 'searchtest', limit: 2, offset: 2 });
      expect(rest.ids).toHaveLength(1);
    });

    it('keeps an audit trail per photo and story, newest first', async () => {
      const audit = new AuditLog(redis, randomPrefix('audit'));
      await audit.record({
        actor: 'editor-1',
        action: 'assign',
        photoId: 'ph_1',
        storyId: 'st_1',
        detail: 'to st_1',
      });
      await audit.record({ actor: 'admin', action: 'reorder', storyId: 'st_1' });
      expect((await audit.of('photo', 'ph_1')).map((e) => e.action)).toEqual(['assign']);
      expect((await audit.of('story', 'st_1')).map((e) => e.action)).toEqual(['reorder', 'assign']);
      expect((await audit.recent(1))[0]).toMatchObject({
        actor: 'admin',
        action: 'reorder',
        at: expect.any(String),
      });
    });
  });
}

import type { GalleryManifest, Photo, Story } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildManifest,
  FINAL_GALLERY_CACHE_CONTROL,
  GALLERY_CACHE_CONTROL,
  type GalleryObjects,
  galleryObjects,
  indexObjects,
  planGalleryWrites,
  planIndexWrites,
  readWritten,
  type WrittenRecord,
} from '../src/index.js';

const story: Story = {
  id: 'st_obj',
  slug: 'relay',
  headline: 'Relay final',
  status: 'open',
  createdAt: '',
  updatedAt: '',
  event: { name: 'Relay final', start: '2024-08-10T18:00:00+02:00', end: '2024-08-10T21:00:00+02:00' },
};

const photo = (id: string, caption = `Runner ${id} at the relay final.`): Photo => ({
  photoId: id,
  status: 'matched',
  storyId: story.id,
  feed: 'wire',
  sha256: id,
  originalKey: `originals/${id}.jpg`,
  contentType: 'image/jpeg',
  bytes: 1,
  receivedAt: '2024-08-10T19:00:00.000Z',
  updatedAt: '2024-08-10T19:00:00.000Z',
  version: 1,
  metadata: {
    keywords: [],
    width: 3000,
    height: 2000,
    caption,
    dateCreated: `2024-08-10T19:0${id.length % 10}:00+02:00`,
  },
  renditions: [
    { name: 'large', key: `renditions/${id}/large.jpg`, width: 2048, height: 1365, format: 'jpeg', bytes: 9 },
  ],
});

const url = (k: string) => `https://cdn.example/${k}`;
const manifestOf = (photos: Photo[], version = 1, at = '2024-08-10T20:00:00Z', s: Story = story) =>
  buildManifest({ story: s, photos, version, updatedAt: new Date(at), urlFor: url });
const objectsOf = (m: GalleryManifest) => galleryObjects(m, url);
const keysOf = (o: { write: { key: string }[] }) => o.write.map((w) => w.key);

/** The record a writer keeps after writing `objects` whole at `at`. */
const writtenAll = (objects: GalleryObjects, at: number): WrittenRecord =>
  readWritten(planGalleryWrites(objects, { digests: {} }, { now: at, refreshMs: 0, urgent: false }).record);

describe('galleryObjects: the manifest and its feeds, built together', () => {
  const m = manifestOf([photo('p1'), photo('p2')]);
  const objects = objectsOf(m);

  it('names each object by its key, with its type and cache life', () => {
    expect(objects.manifest).toMatchObject({
      key: 'galleries/st_obj/gallery.json',
      contentType: 'application/json; charset=utf-8',
      cacheControl: GALLERY_CACHE_CONTROL,
    });
    expect(objects.feeds.map((f) => [f.key, f.contentType])).toEqual([
      ['galleries/st_obj/feed.json', 'application/feed+json; charset=utf-8'],
      ['galleries/st_obj/feed.xml', 'application/rss+xml; charset=utf-8'],
    ]);
    expect(JSON.parse(objects.manifest.body)).toEqual(m);
    expect(JSON.parse(objects.feeds[0]?.body as string).items.map((i: { id: string }) => i.id)).toEqual([
      'p1',
      'p2',
    ]);
    expect(objects.feeds[1]?.body).toContain('<guid isPermaLink="false">lightbox:st_obj:p2</guid>');
    expect(objects.entry).toMatchObject({
      storyId: 'st_obj',
      photoCount: 2,
      version: 1,
      url: url('galleries/st_obj/gallery.json'),
    });
    expect(objects.urls.rssFeed).toBe(url('galleries/st_obj/feed.xml'));
  });

  it('a final gallery is cached longer, every object of it', () => {
    const closed = objectsOf(manifestOf([photo('p1')], 3, undefined, { ...story, status: 'closed' }));
    expect([closed.manifest, ...closed.feeds].map((o) => o.cacheControl)).toEqual([
      FINAL_GALLERY_CACHE_CONTROL,
      FINAL_GALLERY_CACHE_CONTROL,
      FINAL_GALLERY_CACHE_CONTROL,
    ]);
  });

  it('digests ignore the stamp (version, time) and change with what the objects say', () => {
    const restamped = objectsOf(manifestOf([photo('p1'), photo('p2')], 9, '2024-08-10T23:00:00Z'));
    expect(restamped.manifest.body).not.toBe(objects.manifest.body);
    expect(restamped.manifest.digest).toBe(objects.manifest.digest);
    expect(restamped.feeds.map((f) => f.digest)).toEqual(objects.feeds.map((f) => f.digest));
    const corrected = objectsOf(manifestOf([photo('p1'), photo('p2', 'Runner p2, corrected name.')]));
    expect(corrected.manifest.digest).not.toBe(objects.manifest.digest);
    expect(corrected.feeds[0]?.digest).not.toBe(objects.feeds[0]?.digest);
    expect(corrected.feeds[1]?.digest).not.toBe(objects.feeds[1]?.digest);
    expect(new Set([objects.manifest.digest, ...objects.feeds.map((f) => f.digest)]).size).toBe(3);
    expect(objects.manifest.digest).toMatch(/^[\w-]{16}$/);
  });
});

describe('planGalleryWrites: the manifest at once, feeds at their refresh, nothing unchanged', () => {
  const one = objectsOf(manifestOf([photo('p1')]));
  const two = objectsOf(manifestOf([photo('p1'), photo('p2')], 2));
  const rule = { now: 100_000, refreshMs: 30_000, urgent: false };

  it('first publish: everything, manifest first, and the refresh time recorded', () => {
    const plan = planGalleryWrites(one, { digests: {} }, rule);
    expect(keysOf(plan)).toEqual([
      'galleries/st_obj/gallery.json',
      'galleries/st_obj/feed.json',
      'galleries/st_obj/feed.xml',
    ]);
    expect(plan.deferred).toEqual([]);
    expect(readWritten(plan.record)).toEqual({
      digests: Object.fromEntries([one.manifest, ...one.feeds].map((o) => [o.key, o.digest])),
      refreshedAt: 100_000,
      shape: undefined,
    });
  });

  it('nothing changed: nothing written, nothing recorded', () => {
    const plan = planGalleryWrites(one, writtenAll(one, 90_000), rule);
    expect(plan).toMatchObject({ write: [], deferred: [], record: {} });
  });

  it('a new photo within the refresh: the manifest now, the feeds wait until refreshedAt + refreshMs', () => {
    const plan = planGalleryWrites(two, writtenAll(one, 90_000), rule);
    expect(keysOf(plan)).toEqual(['galleries/st_obj/gallery.json']);
    expect(plan.deferred.map((d) => d.key)).toEqual([
      'galleries/st_obj/feed.json',
      'galleries/st_obj/feed.xml',
    ]);
    expect(plan.dueAt).toBe(120_000);
    expect(plan.record).toEqual({ 'galleries/st_obj/gallery.json': two.manifest.digest });
  });

  it('the feeds once due: written (the manifest already was), the refresh time moves', () => {
    const written = { ...writtenAll(one, 90_000) };
    written.digests['galleries/st_obj/gallery.json'] = two.manifest.digest;
    const plan = planGalleryWrites(two, written, { ...rule, now: 120_000 });
    expect(keysOf(plan)).toEqual(['galleries/st_obj/feed.json', 'galleries/st_obj/feed.xml']);
    expect(plan.record.refreshedAt).toBe('120000');
    expect(planGalleryWrites(two, written, { ...rule, now: 119_999 }).write).toEqual([]);
  });

  it('urgent (a take-down waits) writes every changed object at once', () => {
    const plan = planGalleryWrites(one, writtenAll(two, 99_000), { ...rule, urgent: true });
    expect(keysOf(plan)).toHaveLength(3);
    expect(plan.deferred).toEqual([]);
  });

  it('refreshMs 0: feeds with every publish', () => {
    expect(keysOf(planGalleryWrites(two, writtenAll(one, 100_000), { ...rule, refreshMs: 0 }))).toHaveLength(
      3,
    );
  });

  it('after a quiet spell the first change is written whole at once (leading edge)', () => {
    expect(keysOf(planGalleryWrites(two, writtenAll(one, 10_000), rule))).toHaveLength(3);
  });
});

describe('indexObjects and planIndexWrites', () => {
  const m1 = manifestOf([photo('p1'), photo('p2')]);
  const entry = objectsOf(m1).entry;
  const later = objectsOf(
    manifestOf([photo('p1'), photo('p2'), photo('p3')], 2, '2024-08-10T20:05:00Z'),
  ).entry;
  const other = {
    ...entry,
    storyId: 'st_two',
    slug: 'two',
    headline: 'Second story',
    url: url('galleries/st_two/gallery.json'),
  };
  const rule = { now: 100_000, refreshMs: 30_000, urgent: false };
  const at = new Date('2024-08-10T20:10:00Z');

  it('builds index.json and the all-galleries feeds; the digest ignores the index time', () => {
    const o = indexObjects([entry, other], at, url);
    expect([o.index, ...o.feeds].map((x) => x.key)).toEqual([
      'galleries/index.json',
      'galleries/feed.json',
      'galleries/feed.xml',
    ]);
    expect(JSON.parse(o.index.body).galleries.map((g: { storyId: string }) => g.storyId)).toEqual([
      'st_obj',
      'st_two',
    ]);
    expect(o.feeds[1]?.body).toContain('<guid isPermaLink="false">lightbox:st_two</guid>');
    const again = indexObjects([other, entry], new Date('2024-08-10T23:00:00Z'), url);
    expect(again.index.digest).toBe(o.index.digest);
    expect(again.shape).toBe(o.shape);
  });

  it('the shape changes with the galleries listed, a headline, a cover or finality; not with counts', () => {
    const base = indexObjects([entry], at, url);
    expect(indexObjects([later], at, url).shape).toBe(base.shape);
    expect(indexObjects([later], at, url).index.digest).not.toBe(base.index.digest);
    expect(indexObjects([entry, other], at, url).shape).not.toBe(base.shape);
    expect(indexObjects([{ ...entry, headline: 'Renamed' }], at, url).shape).not.toBe(base.shape);
    expect(indexObjects([{ ...entry, final: true }], at, url).shape).not.toBe(base.shape);
    expect(indexObjects([{ ...entry, cover: null }], at, url).shape).not.toBe(base.shape);
  });

  it('writes the index and its feeds together: first time, when due, or when the shape changed', () => {
    const first = planIndexWrites(indexObjects([entry], at, url), { digests: {} }, rule);
    expect(keysOf(first)).toEqual(['galleries/index.json', 'galleries/feed.json', 'galleries/feed.xml']);
    const written = readWritten(first.record);
    expect(written.shape).toBe(indexObjects([entry], at, url).shape);

    const counts = indexObjects([later], at, url);
    const waiting = planIndexWrites(counts, { ...written, refreshedAt: 90_000 }, rule);
    expect(waiting.write).toEqual([]);
    expect(waiting.deferred).toHaveLength(3);
    expect(keysOf(planIndexWrites(counts, { ...written, refreshedAt: 70_000 }, rule))).toHaveLength(3);
    expect(
      keysOf(planIndexWrites(counts, { ...written, refreshedAt: 90_000 }, { ...rule, urgent: true })),
    ).toHaveLength(3);

    const newGallery = planIndexWrites(
      indexObjects([entry, other], at, url),
      { ...written, refreshedAt: 90_000 },
      rule,
    );
    expect(keysOf(newGallery)).toHaveLength(3);
    expect(
      planIndexWrites(indexObjects([entry], at, url), { ...written, refreshedAt: 90_000 }, rule).write,
    ).toEqual([]);
  });
});

describe('readWritten', () => {
  it('splits the stored hash into digests, refresh time and shape', () => {
    expect(readWritten({ 'galleries/a/gallery.json': 'x', refreshedAt: '42', shape: 's' })).toEqual({
      digests: { 'galleries/a/gallery.json': 'x' },
      refreshedAt: 42,
      shape: 's',
    });
    expect(readWritten({})).toEqual({ digests: {}, refreshedAt: undefined, shape: undefined });
  });
});

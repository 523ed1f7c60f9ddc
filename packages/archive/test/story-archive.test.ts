import {
  AuditLog,
  PhotoCatalog,
  PhotoLifecycle,
  StoryCatalog,
  type TransmissionInput,
} from '@lightbox/catalog';
import type { Photo, PhotoMetadata } from '@lightbox/contracts';
import { S3ObjectStore } from '@lightbox/storage';
import { randomPrefix } from '@lightbox/test-infra';
import { beforeEach, describe, expect, it } from 'vitest';
import { archiveKey, StoryArchive, type StoryArchiveDocument } from '../src/index.js';
import { useRedisAndS3 } from './support.js';

const backends = useRedisAndS3();

let prefix: string;
let photos: PhotoCatalog;
let stories: StoryCatalog;
let audit: AuditLog;
let archive: StoryArchive;
let lifecycle: PhotoLifecycle;
let n = 0;

beforeEach(() => {
  prefix = randomPrefix('archive');
  photos = new PhotoCatalog(backends.redis, prefix);
  stories = new StoryCatalog(backends.redis, prefix);
  audit = new AuditLog(backends.redis, prefix);
  archive = new StoryArchive(stories, photos, audit, backends.store);
  lifecycle = new PhotoLifecycle(backends.redis, prefix, photos);
});

/** Search, past the 30-second result cache. */
async function freshSearch(text: string) {
  const cached = await backends.redis.keys(`${prefix}:state:search-result:*`);
  if (cached.length > 0) await backends.redis.del(...cached);
  return photos.search({ text });
}

const keysOf = async () => (await backends.redis.keys(`${prefix}:*`)).sort();

function metadata(i: number, caption: string, day = 0): PhotoMetadata {
  return {
    caption,
    credit: 'AP',
    agency: 'AP',
    guid: `urn:test:${prefix}:${day}:${i}`,
    dateCreated: `2024-08-11T2${i % 10}:00:00+02:00`,
    dateZone: 'explicit',
    keywords: [],
  } as unknown as PhotoMetadata;
}

/** A transmission of `photo` under one identity key, as intake records it. */
function transmission(photo: Photo, identity: string, meta?: PhotoMetadata): TransmissionInput {
  return {
    facts: {
      feed: 'ap',
      group: 'ap',
      marker: 'none',
      identityKeys: [identity],
      embargo: { state: 'none' },
      at: photo.receivedAt,
    },
    fingerprint: photo.sha256,
    newPhotoId: photo.photoId,
    fields: {
      sha256: photo.sha256,
      originalKey: photo.originalKey,
      contentType: photo.contentType,
      bytes: photo.bytes,
      ...(meta ? { metadata: meta } : {}),
    },
    entry: {
      sha256: photo.sha256,
      originalKey: photo.originalKey,
      receivedAt: photo.receivedAt,
      feed: 'ap',
      ...(meta ? { caption: meta.caption } : {}),
    },
  };
}

/** Matches the photo to the story and publishes it, as the match and publish stages do. */
async function publishIn(photoId: string, storyId: string, at: string) {
  const match = {
    decision: 'matched' as const,
    storyId,
    score: 0.9,
    reasons: ['event'],
    candidates: [],
    matchedAt: at,
  };
  await lifecycle.apply(
    photoId,
    { type: 'auto-match', decision: 'matched', storyId },
    { set: { match, storyId }, awaitingAt: null },
  );
  await lifecycle.apply(photoId, { type: 'published' });
}

/** A story with published photos, a correction, a layout, a publish and audit entries; plus one unrelated photo. */
async function newsroomDay(photoCount = 5) {
  const day = ++n;
  const story = await stories.create({
    slug: `closing-${prefix}-${++n}`,
    headline: 'Closing ceremony',
    event: { name: 'Closing ceremony', start: '2024-08-11T21:00:00+02:00', end: '2024-08-12T00:30:00+02:00' },
  });
  const members: string[] = [];
  for (let i = 0; i < photoCount + 1; i++) {
    const sha = `${(++n).toString(16).padStart(8, '0')}${prefix.replace(/[^0-9a-f]/g, '')}`
      .padEnd(64, 'a')
      .slice(0, 64);
    const photo: Photo = {
      photoId: `ph_${sha.slice(0, 24)}`,
      status: 'received',
      feed: 'ap',
      sha256: sha,
      originalKey: `originals/${sha}.jpg`,
      contentType: 'image/jpeg',
      bytes: 1000 + i,
      receivedAt: new Date(Date.UTC(2024, 7, 11, 19, i)).toISOString(),
      updatedAt: new Date(Date.UTC(2024, 7, 11, 19, i)).toISOString(),
      version: 1,
    };
    const meta = metadata(i, `Fireworks over the stadium ${i}`, day);
    await lifecycle.recordTransmission(transmission(photo, `guid:${meta.guid}`, meta));
    if (i === photoCount) continue; // the unrelated photo stays unmatched
    await publishIn(photo.photoId, story.id, photo.receivedAt);
    await stories.addPhoto(story.id, photo.photoId);
    await audit.record({
      actor: 'editor',
      action: 'photo.assign',
      photoId: photo.photoId,
      storyId: story.id,
    });
    members.push(photo.photoId);
  }
  // A correction: version 2 with new bytes and caption.
  const corrected = members[0] as string;
  const sha2 =
    'c'.repeat(56) +
    prefix
      .replace(/[^0-9a-f]/g, '')
      .padEnd(8, 'c')
      .slice(0, 8);
  const first = await photos.require(corrected);
  const identity = `guid:${first.metadata?.guid}`;
  const fixed = transmission(
    { ...first, sha256: sha2, originalKey: `originals/${sha2}.jpg`, receivedAt: '2024-08-11T20:30:00.000Z' },
    identity,
    { ...(first.metadata as PhotoMetadata), caption: 'CORRECTS spelling: Fireworks over the stadium 0' },
  );
  await lifecycle.recordTransmission({ ...fixed, facts: { ...fixed.facts, marker: 'correction' } });
  await publishIn(corrected, story.id, '2024-08-11T20:30:00.000Z');
  await stories.setLayout(story.id, { order: [...members].reverse(), cover: members[1] as string });
  await stories.nextGalleryVersion(story.id);
  await stories.nextGalleryVersion(story.id);
  await stories.markPublishing(story.id, 1_723_400_000_000);
  await stories.recordGalleryEntry({ storyId: story.id, slug: story.slug } as never);
  await stories.save({ ...story, status: 'closed' });
  await audit.record({ actor: 'editor', action: 'story.close', storyId: story.id });
  return { story, members, unrelated: `ph_${''}` };
}

async function snapshot(storyId: string, members: string[]) {
  const story = await stories.exportState(storyId);
  return {
    story: story && { ...story, photoIds: [...story.photoIds].sort() }, // a set: order is Redis's
    photos: await photos.getMany(members),
    versions: await Promise.all(members.map((id) => photos.versions(id))),
    audits: await Promise.all(members.map((id) => audit.of('photo', id))),
    storyAudit: await audit.of('story', storyId),
    published: await photos.listByStatus('published', 0, 100),
    search: await freshSearch('fireworks'),
  };
}

describe('StoryArchive', () => {
  it('moves a closed story and its photos to S3, evicts them from Redis, and restores them exactly', async () => {
    const { story, members } = await newsroomDay(5);
    const before = await snapshot(story.id, members);
    const keysBefore = await keysOf();
    expect(before.published.total).toBe(5);

    const ref = await archive.archive(story.id, new Date('2024-08-20T00:00:00Z'));
    expect(ref).toMatchObject({ storyId: story.id, key: archiveKey(story.id), photos: 5 });

    // S3 holds everything.
    const doc = JSON.parse((await backends.store.get(ref.key)).toString()) as StoryArchiveDocument;
    expect(doc.story.story).toEqual(before.story?.story);
    expect(doc.photos.map((p) => p.photo.photoId).sort()).toEqual([...members].sort());
    expect(doc.photos.find((p) => p.photo.photoId === members[0])?.versions).toHaveLength(2);

    // Redis holds none of it: no key, no index entry names the story or its photos.
    const keysAfter = await keysOf();
    for (const id of [story.id, ...members]) {
      expect(keysAfter.filter((k) => k.includes(id) && !k.includes('story-archived'))).toEqual([]);
      for (const k of keysAfter) {
        const type = await backends.redis.type(k);
        const members_ =
          type === 'zset'
            ? await backends.redis.zrange(k, 0, -1)
            : type === 'set'
              ? await backends.redis.smembers(k)
              : type === 'string'
                ? [await backends.redis.get(k)]
                : [];
        if (
          k.endsWith(':gallery-index') ||
          k.endsWith(':stories-by-change') ||
          k.includes(':story-archived:') ||
          k.includes(':search-result:') // a cache of result pages that expires by itself
        )
          continue;
        expect(members_, k).not.toContain(id);
      }
    }
    expect(keysAfter.length).toBeLessThan(keysBefore.length);
    expect(await stories.get(story.id)).toBeUndefined();
    expect(await stories.archivedRef(story.id)).toEqual(ref);
    expect((await photos.listByStatus('published', 0, 100)).total).toBe(0);
    // The unrelated photo is untouched and still found.
    expect((await freshSearch('fireworks')).total).toBe(1);
    // The gallery stays listed in the index downstream sites read.
    expect((await stories.galleryEntries()).map((e) => e.storyId)).toContain(story.id);

    // Restore: the same state, indexes included.
    await archive.restore(story.id);
    const after = await snapshot(story.id, members);
    expect(after).toEqual(before);
    expect(await stories.archivedRef(story.id)).toBeUndefined();
    expect((await keysOf()).sort()).toEqual(keysBefore);
  });

  it('tells index caches that the story went, and that it came back', async () => {
    const { story } = await newsroomDay(1);
    const g0 = await stories.generation();
    await archive.archive(story.id);
    const gone = await stories.changesSince(g0);
    expect(gone.removed).toEqual([story.id]);
    await archive.restore(story.id);
    const back = await stories.changesSince(gone.generation);
    expect(back.stories.map((s) => s.id)).toEqual([story.id]);
    expect(back.removed).toEqual([]);
  });

  it('refuses open stories, and is idempotent for archived ones', async () => {
    const { story } = await newsroomDay(1);
    await stories.save({ ...story, status: 'open' });
    await expect(archive.archive(story.id)).rejects.toThrow(/open: close it/);
    await stories.save({ ...story, status: 'closed' });
    const ref = await archive.archive(story.id);
    expect(await archive.archive(story.id)).toEqual(ref);
    await expect(archive.archive('st_nope')).rejects.toThrow(/No story/);
    await expect(archive.restore('st_nope')).rejects.toThrow(/not archived/);
  });

  it('evicts nothing when S3 does not take the archive', async () => {
    const { story, members } = await newsroomDay(2);
    const keysBefore = await keysOf();
    const broken = new S3ObjectStore({ ...backends.s3, bucket: 'no-such-bucket', maxAttempts: 1 });
    await expect(new StoryArchive(stories, photos, audit, broken).archive(story.id)).rejects.toThrow();
    broken.destroy();
    expect(await keysOf()).toEqual(keysBefore);
    expect((await photos.getMany(members)).length).toBe(2);
  });

  it('keeps Redis bounded: a year of archived stories leaves a pointer each, not their photos', async () => {
    const empty = await backends.redis.info('memory');
    const used = () => backends.redis.info('memory').then((i) => Number(i.match(/used_memory:(\d+)/)?.[1]));
    const start = Number(empty.match(/used_memory:(\d+)/)?.[1]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { story } = await newsroomDay(20);
      ids.push(story.id);
    }
    const full = (await used()) - start;
    for (const id of ids) await archive.archive(id);
    const left = (await used()) - start;
    // What stays per story is a pointer and its gallery-index entry (a few hundred bytes).
    expect(left).toBeLessThan(full / 5);
  });
});

import { AuditLog, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import type { Photo } from '@lightbox/contracts';
import { AcceptanceLog } from '@lightbox/intake';
import { StoryCopies } from '@lightbox/story-desk';
import { randomPrefix } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { StoryArchive, UndecidedPhotoArchive } from '../src/index.js';
import { useRedisAndS3 } from './support.js';

const backends = useRedisAndS3();

/**
 * What object storage keeps of live state for the reconciler (acceptance records, story copies)
 * follows the state into the archive: an archived photo is never replayed into Redis, an archived
 * story never adopted back, until they are restored.
 */
describe('archiving moves the live copies along', () => {
  async function setup() {
    const prefix = randomPrefix('live');
    const photos = new PhotoCatalog(backends.redis, prefix);
    const stories = new StoryCatalog(backends.redis, prefix);
    const audit = new AuditLog(backends.redis, prefix);
    const lifecycle = new PhotoLifecycle(backends.redis, prefix, photos);
    const acceptances = new AcceptanceLog(backends.store);
    const copies = new StoryCopies(stories, backends.store);
    /** A photo recorded as intake does, with its acceptance record; `storyId` puts it in a story. */
    const photo = async (n: number, storyId?: string) => {
      const sha = `${prefix.replace(/[^0-9a-f]/g, '')}${n}`.padEnd(64, 'c').slice(0, 64);
      const at = new Date(Date.UTC(2024, 7, 11, 19, n, 0, 123)).toISOString();
      const p: Photo = {
        photoId: `ph_${sha.slice(0, 24)}`,
        status: 'received',
        feed: 'ap',
        sha256: sha,
        originalKey: `originals/${sha}.jpg`,
        contentType: 'image/jpeg',
        bytes: 100,
        receivedAt: at,
        updatedAt: at,
        version: 1,
      };
      await acceptances.record({
        fingerprint: sha,
        sha256: sha,
        feed: 'ap',
        receivedAt: at,
        originalKey: p.originalKey,
        contentType: 'image/jpeg',
        bytes: 100,
        identityKeys: [],
      });
      await lifecycle.recordTransmission({
        facts: {
          feed: 'ap',
          group: 'ap',
          marker: 'none',
          identityKeys: [`guid:${sha}`],
          embargo: { state: 'none' },
          at,
        },
        fingerprint: sha,
        newPhotoId: p.photoId,
        fields: { sha256: sha, originalKey: p.originalKey, contentType: 'image/jpeg', bytes: 100 },
        entry: { sha256: sha, originalKey: p.originalKey, receivedAt: at, feed: 'ap' },
      });
      if (storyId) {
        await lifecycle.apply(
          p.photoId,
          { type: 'auto-match', decision: 'matched', storyId },
          { set: { storyId }, awaitingAt: null },
        );
        await stories.addPhoto(storyId, p.photoId);
      } else {
        await lifecycle.apply(p.photoId, { type: 'auto-match', decision: 'unmatched', storyId: null });
      }
      return p;
    };
    const logged = async (sha: string) =>
      (await acceptances.list()).filter((r) => r.fingerprint === sha).length;
    return { photos, stories, audit, acceptances, copies, photo, logged };
  }

  it('a story archive retires its photos’ acceptances and removes its copy; restore brings both back', async () => {
    const s = await setup();
    const story = await s.stories.create({
      slug: `closing-${Math.random()}`,
      headline: 'Closing ceremony',
      event: { name: 'Closing', start: '2024-08-11T21:00:00+02:00', end: '2024-08-12T00:30:00+02:00' },
    });
    await s.copies.save(story.id);
    const member = await s.photo(1, story.id);
    await s.stories.save({ ...story, status: 'closed' });
    const archive = new StoryArchive(s.stories, s.photos, s.audit, backends.store, {
      acceptances: s.acceptances,
      copies: s.copies,
    });
    await archive.archive(story.id);
    expect(await s.logged(member.sha256)).toBe(0);
    expect(await backends.store.list(`archive/acceptances/`)).toEqual(
      expect.arrayContaining([expect.stringContaining(member.sha256)]),
    );
    expect(await s.copies.read(story.id)).toBeUndefined();

    await archive.restore(story.id);
    expect(await s.logged(member.sha256)).toBe(1);
    expect((await s.copies.read(story.id))?.story.id).toBe(story.id);
  });

  it('the undecided sweep retires the acceptances of the photos it archives; restore puts them back', async () => {
    const s = await setup();
    const old = await s.photo(2);
    const sweep = new UndecidedPhotoArchive(s.photos, s.audit, backends.store, s.acceptances);
    const { keys } = await sweep.sweep(0, new Date(Date.now() + 1000));
    expect(await s.logged(old.sha256)).toBe(0);
    await sweep.restore(keys[0] as string);
    expect(await s.logged(old.sha256)).toBe(1);
  });
});

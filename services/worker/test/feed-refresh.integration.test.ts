import { type GalleryManifest, objectKeys, type StoryInput } from '@lightbox/contracts';
import { eventually } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness.js';

/** Long enough that a take-down waiting for the refresh could not pass for one that did not. */
const REFRESH_MS = 12_000;

const story: StoryInput = {
  slug: 'refresh-relay',
  headline: 'Refresh Relay final at Example Arena',
  event: {
    name: 'Refresh Relay final',
    venue: 'Example Arena',
    city: 'Springfield',
    country: 'United States',
    start: '2024-08-10T18:00:00+02:00',
    end: '2024-08-10T21:00:00+02:00',
  },
  keywords: ['refresh relay'],
};

const relayPhoto = (n: number) => ({
  caption: `Runner ${n} finishes the Refresh Relay final at Example Arena in Springfield, Saturday. (AP Photo/Jane Doe)`,
  event: 'Refresh Relay final',
  city: 'Springfield',
  country: 'United States',
  dateCreated: `2024-08-10T19:${String(10 + n).padStart(2, '0')}:00+02:00`,
  creditLine: 'AP Photo/Jane Doe',
});

/**
 * Feeds follow manifests at most every LIGHTBOX_FEED_REFRESH_MS; unchanged objects are never
 * rewritten; a take-down gets manifest, feeds and index written at once, whatever the refresh.
 */
describe('publish writes: feeds follow their refresh, take-downs do not wait (real worker, Redis, S3)', () => {
  let h: WorkerHarness;
  let storyId: string;

  beforeAll(async () => {
    h = await startWorkerHarness({
      LIGHTBOX_PUBLISH_DELAY_MS: '50',
      LIGHTBOX_PUBLISH_SPACING_MS: '300',
      LIGHTBOX_FEED_REFRESH_MS: String(REFRESH_MS),
    });
    storyId = (await h.desk.create(story)).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const text = async (key: string) => {
    try {
      return (await h.store.get(key)).toString('utf8');
    } catch {
      return '';
    }
  };
  const feedIds = async () =>
    (
      (
        JSON.parse((await text(objectKeys.galleryFeed(storyId, 'json'))) || '{"items":[]}') as {
          items: { id: string }[];
        }
      ).items ?? []
    ).map((i) => i.id);
  const shown = async () => (await h.manifest(storyId))?.photos.map((p) => p.photoId) ?? [];
  const add = async (id: string, n: number) => {
    await h.addRenderedPhoto(id, relayPhoto(n));
    await h.queues.add('match', { photoId: id });
  };

  it('writes the first publish whole, then the manifest at once and the feeds at their refresh', async () => {
    await add('ph_relay1', 1);
    await eventually(async () => (await feedIds()).includes('ph_relay1'), 20_000, 50);
    await eventually(async () => (await text(objectKeys.galleryIndex)).includes(storyId), 20_000, 50);
    const firstFeedsAt = Date.now();

    await add('ph_relay2', 2);
    await eventually(async () => (await shown()).includes('ph_relay2'), 20_000, 50);
    // The manifest shows the new photo; the feeds wait for their refresh.
    if (Date.now() - firstFeedsAt < REFRESH_MS - 1000) expect(await feedIds()).toEqual(['ph_relay1']);
    await eventually(async () => (await feedIds()).includes('ph_relay2'), 30_000, 100);
    expect(Date.now() - firstFeedsAt).toBeGreaterThanOrEqual(REFRESH_MS - 500);
    const rss = await text(objectKeys.galleryFeed(storyId, 'xml'));
    expect(rss).toContain('ph_relay2');
    await eventually(() => h.idle(), 30_000, 100);
    expect(await feedIds()).toEqual(await shown());
  }, 60_000);

  it('never rewrites an object whose bytes would not change (no new version either)', async () => {
    const before = await h.manifest(storyId);
    const heads = await Promise.all(
      [objectKeys.gallery(storyId), objectKeys.galleryFeed(storyId, 'json'), objectKeys.galleryIndex].map(
        (k) => h.store.head(k),
      ),
    );
    await h.queues.add('publish', { storyId });
    await h.queues.add('index', {});
    await eventually(() => h.idle(), 30_000, 100);
    const after = (await h.manifest(storyId)) as GalleryManifest;
    expect(after.version).toBe(before?.version);
    expect(after.updatedAt).toBe(before?.updatedAt);
    const again = await Promise.all(
      [objectKeys.gallery(storyId), objectKeys.galleryFeed(storyId, 'json'), objectKeys.galleryIndex].map(
        (k) => h.store.head(k),
      ),
    );
    expect(again.map((x) => x?.etag)).toEqual(heads.map((x) => x?.etag));
  }, 60_000);

  it('a kill of the cover right after a feed refresh leaves manifest, feeds and index at once, not at the next refresh', async () => {
    await add('ph_relay3', 3);
    await eventually(async () => (await feedIds()).includes('ph_relay3'), 30_000, 50);
    const refreshedAt = Date.now();
    // The gallery's cover (its first photo): the index names it too.
    const killed = await h.lifecycle.apply('ph_relay1', {
      type: 'kill',
      reason: 'Wrong runner identified',
      at: '2024-08-11T00:00:00Z',
    });
    if (!killed.ok) throw new Error(killed.message);
    await h.work.run(killed.photo, killed.effects);
    const keys = [
      objectKeys.gallery(storyId),
      objectKeys.galleryFeed(storyId, 'json'),
      objectKeys.galleryFeed(storyId, 'xml'),
      objectKeys.galleryIndex,
      objectKeys.galleriesFeed('json'),
      objectKeys.galleriesFeed('xml'),
    ];
    await eventually(
      async () => (await Promise.all(keys.map(text))).every((body) => !body.includes('ph_relay1')),
      REFRESH_MS,
      50,
    );
    expect(Date.now() - refreshedAt).toBeLessThan(REFRESH_MS - 2000);
    expect(await shown()).toEqual(['ph_relay2', 'ph_relay3']);
  }, 60_000);
});

import { PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import { objectKeys } from '@lightbox/contracts';
import { PipelineQueues } from '@lightbox/queue';
import { S3ObjectStore } from '@lightbox/storage';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoryDesk, DeskError } from '../src/index.js';

const input = {
  slug: 'closing-ceremony',
  headline: 'Closing ceremony',
  event: {
    name: 'Closing ceremony',
    venue: 'Stade de France',
    start: '2024-08-11T21:00:00+02:00',
    end: '2024-08-12T00:30:00+02:00',
  },
};

describe('story copies in object storage', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let store: S3ObjectStore;
  const queues: PipelineQueues[] = [];

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
    store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await store.ensureBucket();
  });
  afterAll(async () => {
    for (const q of queues) await q.close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  /** A desk on its own key prefix (a fresh Redis state), sharing the bucket. */
  function deskOn(prefix = randomPrefix('desk')) {
    const stories = new StoryCatalog(redis, prefix);
    const photos = new PhotoCatalog(redis, prefix);
    const q = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    queues.push(q);
    const lifecycle = new PhotoLifecycle(redis, prefix, photos);
    return {
      stories,
      ...createStoryDesk(
        { stories, photos, lifecycle, queues: q, store },
        { publishDelayMs: 100, publishSpacingMs: 1000, storyAutoCloseHours: 48 },
      ),
    };
  }

  it('every story change is written to stories/<id>.json: create, edit, close, layout', async () => {
    const { desk, copies } = deskOn();
    const story = await desk.create({ ...input, slug: `${input.slug}-1` });
    expect(await copies.read(story.id)).toMatchObject({
      format: 'lightbox-story/1',
      story: { id: story.id, headline: 'Closing ceremony', status: 'open' },
      layout: { order: [], cover: null },
    });
    await desk.update(story.id, { headline: 'Closing ceremony in Saint-Denis' });
    await desk.setLayout(story.id, { order: ['ph_a', 'ph_b'], cover: 'ph_b' });
    await desk.close(story.id);
    expect(await copies.read(story.id)).toMatchObject({
      story: { headline: 'Closing ceremony in Saint-Denis', status: 'closed' },
      layout: { order: ['ph_a', 'ph_b'], cover: 'ph_b' },
    });
    expect(await copies.ids()).toContain(story.id);
  });

  it('sync rewrites copies that differ from Redis (an earlier release, a lost write)', async () => {
    const { desk, copies, stories } = deskOn();
    const story = await desk.create({ ...input, slug: `${input.slug}-2` });
    const older = await desk.create({ ...input, slug: `${input.slug}-3` });
    await store.delete(objectKeys.storyCopy(older.id)); // written before copies existed
    await stories.save({ ...story, headline: 'Changed behind the desk' });
    expect(await copies.sync()).toBe(2);
    expect((await copies.read(story.id))?.story.headline).toBe('Changed behind the desk');
    expect((await copies.read(older.id))?.story.id).toBe(older.id);
    expect(await copies.sync()).toBe(0);
  });

  it('adopt puts a story back into an empty Redis from its copy, with its layout and gallery version', async () => {
    const first = deskOn();
    const story = await first.desk.create({ ...input, slug: `${input.slug}-4` });
    await first.desk.setLayout(story.id, { order: ['ph_x'], cover: 'ph_x' });
    const copy = await first.copies.read(story.id);

    const rebuilt = deskOn(); // Redis lost everything
    await rebuilt.desk.adopt(copy as NonNullable<typeof copy>, 7);
    expect(await rebuilt.stories.get(story.id)).toEqual(story);
    expect(await rebuilt.stories.getLayout(story.id)).toEqual({ order: ['ph_x'], cover: 'ph_x' });
    expect(await rebuilt.stories.nextGalleryVersion(story.id)).toBe(8);
    // Like any change, it sets off the backfill that re-matches photos waiting in its window.
    expect((await rebuilt.desk.layout(story.id)).cover).toBe('ph_x');
    await expect(rebuilt.desk.adopt(copy as NonNullable<typeof copy>)).rejects.toBeInstanceOf(DeskError);
  });
});

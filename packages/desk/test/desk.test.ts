import { AuditLog, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import { type MatchResult, objectKeys, type Photo, type PhotoStatus } from '@lightbox/contracts';
import { FeedHealth } from '@lightbox/feed-health';
import { PipelineQueues } from '@lightbox/queue';
import { type ObjectStore, S3ObjectStore } from '@lightbox/storage';
import { createStoryDesk, DeskError } from '@lightbox/story-desk';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { Desk, photoDetailSchema, reviewInboxSchema } from '../src/index.js';

/** Redis commands run so far, by name (INFO commandstats). */
async function commandCounts(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const counts = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) counts.set(m[1] as string, Number(m[2]));
  return counts;
}

async function commandsDuring(redis: Redis, run: () => Promise<unknown>): Promise<Map<string, number>> {
  const before = await commandCounts(redis);
  await run();
  const after = await commandCounts(redis);
  const delta = new Map<string, number>();
  for (const [name, calls] of after) {
    const d = calls - (before.get(name) ?? 0) - (name === 'info' ? 1 : 0);
    if (d > 0) delta.set(name, d);
  }
  return delta;
}

const store = { publicUrl: (key: string) => `http://s3.test/lightbox/${key}` } as unknown as ObjectStore;
const editor = { name: 'ed', role: 'editor' as const };

describe('Desk (real Redis)', () => {
  let server: TestRedis;
  let s3: TestS3;
  let copiesStore: S3ObjectStore;
  let redis: Redis;
  let queues: PipelineQueues;
  let photos: PhotoCatalog;
  let stories: StoryCatalog;
  let desk: Desk;
  let storyId: string;

  const match = (decision: MatchResult['decision']): MatchResult => ({
    decision,
    storyId: null,
    score: 0.5,
    reasons: ['same day', 'caption names the venue'],
    candidates: [{ storyId, score: 0.5, reasons: ['same day'] }],
    matchedAt: '2024-08-11T20:00:00.000Z',
  });

  async function addPhoto(i: number, status: PhotoStatus): Promise<Photo> {
    const sha = `${status}${i}`.padStart(64, '0');
    const photo: Photo = {
      photoId: `ph_${sha.slice(-20)}`,
      status,
      feed: 'wire',
      sha256: sha,
      originalKey: `originals/${sha}.jpg`,
      contentType: 'image/jpeg',
      bytes: 1,
      receivedAt: new Date(Date.parse('2024-08-11T19:00:00Z') + i * 60_000).toISOString(),
      updatedAt: '',
      version: 1,
    };
    await photos.register(photo, {
      kind: 'original',
      sha256: sha,
      originalKey: photo.originalKey,
      receivedAt: photo.receivedAt,
      feed: 'wire',
    });
    await photos.update(photo.photoId, {
      metadata: {
        caption: `Photo ${i} at the closing ceremony`,
        creditLine: 'AP Photo/Test',
        dateCreated: '2024-08-11T21:30:00+02:00',
        keywords: [],
      },
      match: match(status === 'review' ? 'review' : 'unmatched'),
      renditions: [
        {
          name: 'large',
          key: `renditions/${photo.photoId}/large.jpg`,
          width: 2048,
          height: 1365,
          format: 'jpeg',
          bytes: 9,
        },
        {
          name: 'thumb',
          key: `renditions/${photo.photoId}/thumb.jpg`,
          width: 320,
          height: 213,
          format: 'jpeg',
          bytes: 1,
        },
      ],
    });
    return photo;
  }

  let galleryDesk: Desk;
  let auditLog: AuditLog;
  beforeAll(async () => {
    [server, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(server.url);
    // The story desk writes a copy of every story change to object storage (issue 18).
    copiesStore = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    await copiesStore.ensureBucket();
    const prefix = randomPrefix('desk');
    queues = new PipelineQueues({ redisUrl: server.url, prefix });
    photos = new PhotoCatalog(redis, prefix);
    stories = new StoryCatalog(redis, prefix);
    const audit = new AuditLog(redis, prefix);
    auditLog = audit;
    const lifecycle = new PhotoLifecycle(redis, prefix, photos);
    const { desk: storyDesk } = createStoryDesk(
      { stories, photos, lifecycle, queues, audit, store: copiesStore },
      { publishDelayMs: 100, publishSpacingMs: 1000, storyAutoCloseHours: 0 },
    );
    desk = new Desk({
      photos,
      stories,
      audit,
      queues,
      store,
      storyDesk,
      feedHealth: new FeedHealth(redis, prefix),
    });
    // The same desk over a real bucket, for what reads the published gallery.
    galleryDesk = new Desk({
      photos,
      stories,
      audit,
      queues,
      store: copiesStore,
      storyDesk,
      feedHealth: new FeedHealth(redis, prefix),
    });
    storyId = (
      await desk.createStory(
        {
          slug: 'closing-ceremony',
          headline: 'Paris Olympics end',
          event: {
            name: 'Closing ceremony',
            start: '2024-08-11T21:00:00+02:00',
            end: '2024-08-12T00:30:00+02:00',
          },
        },
        editor,
      )
    ).id;
    for (let i = 0; i < 30; i++) await addPhoto(i, i % 3 === 0 ? 'review' : 'unmatched');
  }, 60_000);

  afterAll(async () => {
    await queues?.close();
    redis?.disconnect();
    copiesStore?.destroy();
    await Promise.all([server?.stop(), s3?.stop()]);
  });

  it('answers the review inbox from the by-status index: newest arrival first, paged, typed', async () => {
    const first = await desk.reviewInbox({ limit: 4 });
    expect(reviewInboxSchema.parse(first)).toBeTruthy();
    expect(first.total).toBe(10);
    expect(first.photos.map((p) => p.caption)).toEqual([
      'Photo 27 at the closing ceremony',
      'Photo 24 at the closing ceremony',
      'Photo 21 at the closing ceremony',
      'Photo 18 at the closing ceremony',
    ]);
    const next = await desk.reviewInbox({ offset: 4, limit: 4 });
    expect(next.photos[0]?.caption).toBe('Photo 15 at the closing ceremony');
    const item = first.photos[0];
    expect(item?.thumbnail).toMatch(/thumb\.jpg$/);
    expect(item?.credit).toBe('AP Photo/Test');
    expect(item?.match?.candidates[0]).toMatchObject({
      storyId,
      slug: 'closing-ceremony',
      headline: 'Paris Olympics end',
      storyStatus: 'open',
    });
  });

  it('runs one range of the by-status index, one read per photo and one MGET: no scan, no waiting-photo range', async () => {
    const commands = await commandsDuring(redis, () => desk.reviewInbox({ limit: 5 }));
    expect([...commands.keys()].sort()).toEqual(['hgetall', 'mget', 'zcard', 'zrevrange']);
    expect(commands.get('hgetall')).toBe(5);
    expect(commands.get('mget')).toBe(1);
    expect(commands.get('zrevrange')).toBe(1);
  });

  it('refuses bad input with a ZodError', async () => {
    await expect(desk.reviewInbox({ limit: 0 })).rejects.toBeInstanceOf(ZodError);
    await expect(desk.searchPhotos({ status: 'lost' as PhotoStatus })).rejects.toBeInstanceOf(ZodError);
  });

  it('explains a photo: record, versions, story named, candidates named', async () => {
    const { photos: inbox } = await desk.reviewInbox({ limit: 1 });
    const detail = await desk.photoDetail({ photoId: inbox[0]?.photoId as string });
    expect(photoDetailSchema.parse(detail)).toBeTruthy();
    expect(detail.versions).toEqual([
      expect.objectContaining({ version: 1, kind: 'original', outcome: 'current', feed: 'wire' }),
    ]);
    expect(detail.renditions.map((r) => r.url)).toContain(
      `http://s3.test/lightbox/renditions/${detail.photoId}/thumb.jpg`,
    );
    expect(detail.match?.candidates[0]?.slug).toBe('closing-ceremony');
    expect(detail.story).toBeNull();
    await expect(desk.photoDetail({ photoId: 'ph_nothing' })).rejects.toBeInstanceOf(DeskError);
  });

  it('assigns from the inbox (audited), after which the photo is out of the inbox and names its story', async () => {
    const { photos: inbox, total } = await desk.reviewInbox({ limit: 1 });
    const photoId = inbox[0]?.photoId as string;
    const decision = await desk.decide('assign', { photoId, body: { storyId } }, editor);
    expect(decision).toMatchObject({
      photoId,
      status: 'matched',
      storyId,
      match: { manual: { action: 'assign' } },
    });
    expect((await desk.reviewInbox()).total).toBe(total - 1);
    const detail = await desk.photoDetail({ photoId });
    expect(detail.story).toEqual({
      id: storyId,
      slug: 'closing-ceremony',
      headline: 'Paris Olympics end',
      status: 'open',
    });
    expect(detail.audit.map((a) => a.action)).toContain('photo.assign');
    await expect(desk.decide('assign', { photoId, body: {} }, editor)).rejects.toBeInstanceOf(ZodError);
  });

  it('searches by words and status, and pages stories with their photo counts', async () => {
    const found = await desk.searchPhotos({ q: 'closing ceremony', status: 'unmatched', limit: 5 });
    expect(found.total).toBe(20);
    expect(found.photos).toHaveLength(5);
    expect(found.photos[0]).toMatchObject({ status: 'unmatched', reason: 'same day' });
    const page = await desk.listStories({ limit: 10 });
    expect(page.stories).toEqual([expect.objectContaining({ id: storyId, photoCount: 1 })]);
    expect((await desk.story({ storyId })).photoCount).toBe(1);
  });

  it('refuses to retry a job that does not exist, and audits refused attempts', async () => {
    expect(await desk.jobAction({ stage: 'render', jobId: 'nope', action: 'retry' }, editor)).toEqual({
      status: 404,
      message: 'Job nope is gone.',
    });
    const job = await queues.queue('match').add('match', { photoId: 'ph_x' }, { delay: 60_000 });
    const refused = await desk.jobAction(
      { stage: 'match', jobId: job.id as string, action: 'retry' },
      editor,
    );
    expect(refused).toEqual({
      status: 409,
      message: expect.stringMatching(/is delayed: it will run by itself/),
    });
    await expect(
      desk.jobAction({ stage: 'nowhere' as 'match', jobId: 'x', action: 'retry' }, editor),
    ).rejects.toBeInstanceOf(ZodError);
  });

  it('makes an alternate its near-duplicate group’s lead: layout changed, audited; refuses a photo not shown', async () => {
    const manifest = {
      photos: [
        { photoId: 'ph_burst1', alternates: [{ photoId: 'ph_burst2' }, { photoId: 'ph_burst3' }] },
        { photoId: 'ph_solo', alternates: [] },
      ],
    };
    await copiesStore.put(objectKeys.gallery(storyId), Buffer.from(JSON.stringify(manifest)), {
      contentType: 'application/json',
    });
    await galleryDesk.setLayout(
      { storyId, body: { order: ['ph_solo', 'ph_burst1'], cover: 'ph_burst1' } },
      editor,
    );
    expect(await galleryDesk.makeLead({ storyId, photoId: 'ph_burst3' }, editor)).toEqual({
      order: ['ph_solo', 'ph_burst1'],
      cover: 'ph_burst3',
      leads: ['ph_burst3'],
    });
    const [entry] = await auditLog.of('story', storyId, 1);
    expect(entry).toMatchObject({
      action: 'gallery.layout',
      detail: expect.stringContaining('leads ph_burst3'),
    });
    await expect(galleryDesk.makeLead({ storyId, photoId: 'ph_elsewhere' }, editor)).rejects.toBeInstanceOf(
      DeskError,
    );
  });
});

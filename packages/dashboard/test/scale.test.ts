import cookie from '@fastify/cookie';
import { Access, PrincipalDirectory, SessionStore } from '@lightbox/access';
import { ActivitySubscriber, PipelineStats } from '@lightbox/activity';
import { AuditLog, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import type { Photo } from '@lightbox/contracts';
import { FeedHealth } from '@lightbox/feed-health';
import { PipelineQueues } from '@lightbox/queue';
import { RuntimeSettings } from '@lightbox/settings';
import { S3ObjectStore } from '@lightbox/storage';
import { createStoryDesk } from '@lightbox/story-desk';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDashboard } from '../src/index.js';

const PHOTOS = 50_000;
const TOKEN = 'scale-editor-token';

/** Redis commands run so far, by name (INFO commandstats). */
async function commandCounts(redis: Redis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const counts = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) counts.set(m[1] as string, Number(m[2]));
  return counts;
}

describe('dashboard with 50,000 photos: paged queries, no scans', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let app: FastifyInstance;
  let queues: PipelineQueues;
  let store: S3ObjectStore;
  let close: () => Promise<void>;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
    redis = new Redis(redisServer.url);
    const prefix = randomPrefix('scale');
    const photos = new PhotoCatalog(redis, prefix);
    const stories = new StoryCatalog(redis, prefix);
    queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
    store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
    const agencies = ['AP', 'Reuters', 'AFP', 'Getty Images', 'dpa'];
    const statuses: Photo['status'][] = [
      'published',
      'published',
      'published',
      'review',
      'unmatched',
      'rejected',
    ];
    for (let start = 0; start < PHOTOS; start += 1000) {
      await Promise.all(
        Array.from({ length: 1000 }, async (_, j) => {
          const i = start + j;
          const sha = i.toString(16).padStart(64, '0');
          const photo: Photo = {
            photoId: `ph_${sha.slice(-24)}`,
            status: statuses[i % statuses.length] as Photo['status'],
            feed: 'wire',
            sha256: sha,
            originalKey: `originals/${sha}.jpg`,
            contentType: 'image/jpeg',
            bytes: 1,
            receivedAt: new Date(Date.parse('2024-08-01T00:00:00Z') + i * 60_000).toISOString(),
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
              caption: `Athlete ${i} competes in event ${i % 97} at the stadium${i % 1000 === 0 ? ' during the closing ceremony' : ''}`,
              agency: agencies[i % agencies.length],
              dateCreated: photo.receivedAt,
              keywords: [],
            },
          });
        }),
      );
    }
    const access = new Access(new PrincipalDirectory([], [TOKEN], []), new SessionStore(redis, prefix, 1));
    const audit = new AuditLog(redis, prefix);
    const { desk } = createStoryDesk(
      { stories, photos, lifecycle: new PhotoLifecycle(redis, prefix, photos), queues, audit, store },
      { publishDelayMs: 500, publishSpacingMs: 3000, storyAutoCloseHours: 48 },
    );
    app = Fastify();
    await app.register(cookie);
    const subscriber = new ActivitySubscriber(redis.duplicate(), prefix);
    const dashboard = await registerDashboard(app, {
      redis,
      store,
      photos,
      stories,
      audit,
      queues,
      desk,
      feedHealth: new FeedHealth(redis, prefix),
      settings: new RuntimeSettings(redis, prefix),
      webhookTargets: { allowedHosts: [], allowedNetworks: [] },
      stats: new PipelineStats(redis, prefix),
      redisPrefix: prefix,
      liveStreamsPerSession: 4,
      subscriber,
      access,
    });
    close = async () => {
      await dashboard.close();
      await subscriber.close();
    };
    await app.ready();
  }, 240_000);
  afterAll(async () => {
    await close?.();
    await app?.close();
    await queues?.close();
    redis?.disconnect();
    store?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  it.each([
    ['/', /Overview/],
    ['/dashboard/review', /Needs review <span class="count">\(8333\)/],
    ['/dashboard/review?page=300', /Page 300 of 334/],
    ['/dashboard/photos?status=unmatched', /8333 photos/],
    ['/dashboard/photos?status=rejected&page=2', /8333 photos/],
    ['/dashboard/photos?q=closing+ceremony', /50 photos/],
    ['/dashboard/photos?q=athlete&agency=reuters&status=published', /\d+ photos/],
    ['/dashboard/photos?from=2024-08-10&to=2024-08-10', /1440 photos/],
    ['/dashboard/failures', /Failures/],
    ['/dashboard/stories', /Stories/],
  ])('%s answers from a bounded number of Redis commands, never a scan', async (url, expected) => {
    const before = await commandCounts(redis);
    const res = await app.inject({ method: 'GET', url, headers: auth });
    const after = await commandCounts(redis);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(expected);
    let total = 0;
    for (const [name, calls] of after) {
      const delta = calls - (before.get(name) ?? 0);
      if (delta === 0) continue;
      total += delta;
      expect(name, `${url} ran ${name}`).not.toMatch(/^(keys|scan|hscan|sscan|zscan)$/);
    }
    // Page-sized work: one HGETALL per photo shown (25 a page), plus a few reads per stage.
    expect(total, `${url} ran ${total} Redis commands`).toBeLessThan(250);
  });
});

import type { Readable } from 'node:stream';
import type { IntakeResult, IntakeSource } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { createRedis, type Redis } from '@lightbox/redis';
import { LiveSettings, RuntimeSettings, type StoredInbox } from '@lightbox/settings';
import { S3ObjectStore } from '@lightbox/storage';
import {
  eventually,
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxPollers } from '../src/index.js';

const inbox = (id: string, prefix: string, extra: Partial<StoredInbox> = {}): StoredInbox => ({
  version: 1,
  id,
  source: 'admin',
  createdAt: '2025-01-06T09:00:00.000Z',
  createdBy: 'admin-jane',
  updatedAt: '2025-01-06T09:00:00.000Z',
  updatedBy: 'admin-jane',
  feed: 'agency',
  bucket: 'drops',
  prefix,
  ...extra,
});

/** S3 inboxes added, changed and deleted by an admin while ingest runs: no restart. */
describe('S3 inbox pollers follow the runtime settings', () => {
  let redisServer: TestRedis;
  let s3: TestS3;
  let redis: Redis;
  let bucket: S3ObjectStore;

  beforeAll(async () => {
    [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3('drops')]);
    redis = createRedis(redisServer.url);
    bucket = new S3ObjectStore({ ...s3, bucket: 'drops' });
    await bucket.ensureBucket();
  });
  afterAll(async () => {
    redis?.disconnect();
    bucket?.destroy();
    await Promise.all([redisServer?.stop(), s3?.stop()]);
  });

  it('starts, restarts and stops pollers within a poll of each change', async () => {
    const redisPrefix = randomPrefix('inboxes');
    const admin = new RuntimeSettings(redis, redisPrefix);
    const live = new LiveSettings(new RuntimeSettings(redis, redisPrefix), { pollMs: 50 });
    const taken: { name?: string; feed: string; priority?: string }[] = [];
    const pollers = new InboxPollers({
      config: {
        s3: {
          endpoint: s3.endpoint,
          region: 'us-east-1',
          bucket: 'lightbox',
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
        redisPrefix,
        limits: { maxUploadBytes: 50 * 1024 * 1024, maxInputPixels: 100_000_000 },
        s3InboxPollMs: 50,
      },
      redis,
      log: createLogger({ name: 't', level: 'silent' }),
      accept: async (body: Readable, source: IntakeSource): Promise<IntakeResult> => {
        body.resume();
        taken.push({ name: source.filename, feed: source.feed, priority: source.priority });
        return { photoId: `ph_${taken.length}`, status: 'received', duplicate: false };
      },
    });
    await live.start();
    live.onChange(() => pollers.sync(live.inboxes()));
    await pollers.sync(live.inboxes());
    try {
      expect(pollers.ids()).toEqual([]);
      await admin.create('inboxes', inbox('agency', 'incoming/', { priority: 'bulk' }));
      await eventually(async () => pollers.ids().length === 1, 15_000, 20);
      await bucket.put('incoming/one.jpg', Buffer.from('jpeg'), { contentType: 'image/jpeg' });
      await eventually(async () => taken.length === 1, 15_000, 20);
      expect(taken[0]).toEqual({ name: 'one.jpg', feed: 'agency', priority: 'bulk' });

      // Moved to another prefix: the old one is no longer polled, the new one is.
      const current = (await admin.get('inboxes', 'agency')) as StoredInbox;
      await admin.replace('inboxes', current, { ...current, prefix: 'moved/', priority: undefined });
      await eventually(
        async () => {
          await bucket.put('moved/two.jpg', Buffer.from('jpeg 2'), { contentType: 'image/jpeg' });
          return taken.some((t) => t.name === 'two.jpg');
        },
        15_000,
        50,
      );
      await bucket.put('incoming/stale.jpg', Buffer.from('jpeg 3'), { contentType: 'image/jpeg' });

      await admin.remove('inboxes', 'agency');
      await eventually(async () => pollers.ids().length === 0, 15_000, 20);
      await bucket.put('moved/three.jpg', Buffer.from('jpeg 4'), { contentType: 'image/jpeg' });
      await live.refresh();
      expect(taken.map((t) => t.name)).not.toContain('stale.jpg');
      expect(taken.map((t) => t.name)).not.toContain('three.jpg');
      expect(taken.find((t) => t.name === 'two.jpg')?.priority).toBeUndefined();
    } finally {
      live.close();
      await pollers.stop();
    }
  });
});

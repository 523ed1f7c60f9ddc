import { AuditLog, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import { loadConfig, requireConnections } from '@lightbox/config';
import type { GalleryManifest, Photo, PhotoMetadata } from '@lightbox/contracts';
import { objectKeys } from '@lightbox/contracts';
import { createLogger } from '@lightbox/logger';
import { LifecycleWork, PipelineQueues } from '@lightbox/queue';
import { createRedis, type Redis } from '@lightbox/redis';
import { S3ObjectStore } from '@lightbox/storage';
import { createStoryDesk, type StoryDesk } from '@lightbox/story-desk';
import {
  randomPrefix,
  startLocalRedis,
  startLocalS3,
  type TestRedis,
  type TestS3,
} from '@lightbox/test-infra';
import { startWorkerApp, type WorkerApp } from '../../src/index.js';

/** A real worker (its own Redis connections, BullMQ workers) on a local redis-server and s3rver. */
export interface WorkerHarness {
  worker: WorkerApp;
  redis: Redis;
  store: S3ObjectStore;
  queues: PipelineQueues;
  photos: PhotoCatalog;
  lifecycle: PhotoLifecycle;
  work: LifecycleWork;
  stories: StoryCatalog;
  audit: AuditLog;
  desk: StoryDesk;
  /** Registers a photo that has been ingested and rendered (synthetic rendition records). */
  addRenderedPhoto(id: string, metadata: Partial<PhotoMetadata>, extra?: Partial<Photo>): Promise<Photo>;
  manifest(storyId: string): Promise<GalleryManifest | undefined>;
  idle(): Promise<boolean>;
  close(): Promise<void>;
}

export async function startWorkerHarness(env: Record<string, string> = {}): Promise<WorkerHarness> {
  const [redisServer, s3]: [TestRedis, TestS3] = await Promise.all([startLocalRedis(), startLocalS3()]);
  const config = requireConnections(
    loadConfig({
      REDIS_URL: redisServer.url,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      LIGHTBOX_REDIS_PREFIX: randomPrefix('worker'),
      LOG_LEVEL: 'silent',
      // Feeds and the index with every publish, so `idle()` comes at once; the refresh has its own test.
      LIGHTBOX_FEED_REFRESH_MS: '0',
      ...env,
    }),
  );
  const log = createLogger({ name: 'worker-test', level: 'silent' });
  const worker = await startWorkerApp({ config, log });
  const redis = createRedis(config.redis);
  const store = new S3ObjectStore({ ...config.s3, publicBaseUrl: config.publicBaseUrl });
  await store.ensureBucket();
  const queues = new PipelineQueues({ redis: config.redis, prefix: config.redisPrefix });
  const photos = new PhotoCatalog(redis, config.redisPrefix);
  const lifecycle = new PhotoLifecycle(redis, config.redisPrefix, photos);
  const stories = new StoryCatalog(redis, config.redisPrefix);
  const audit = new AuditLog(redis, config.redisPrefix);
  const { desk, publishing } = createStoryDesk({ stories, photos, lifecycle, queues, audit, store }, config);
  const work = new LifecycleWork(queues, (storyId) => publishing.schedule(storyId));

  return {
    worker,
    redis,
    store,
    queues,
    photos,
    lifecycle,
    work,
    stories,
    audit,
    desk,
    async addRenderedPhoto(id, metadata, extra = {}) {
      const sha = id.padEnd(64, '0');
      const photo: Photo = {
        photoId: id,
        status: 'received',
        feed: 'wire',
        sha256: sha,
        originalKey: `originals/${sha}.jpg`,
        contentType: 'image/jpeg',
        bytes: 1000,
        receivedAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
        version: 1,
        metadata: { keywords: [], width: 3000, height: 2000, ...metadata },
        renditions: [
          {
            name: 'large',
            key: `renditions/${id}/large.jpg`,
            width: 2048,
            height: 1365,
            format: 'jpeg',
            bytes: 1,
          },
          {
            name: 'thumb',
            key: `renditions/${id}/thumb.jpg`,
            width: 320,
            height: 213,
            format: 'jpeg',
            bytes: 1,
          },
        ],
        ...extra,
      };
      const { created } = await photos.register(photo, {
        kind: 'original',
        sha256: sha,
        originalKey: photo.originalKey,
        receivedAt: photo.receivedAt,
        feed: 'wire',
      });
      if (!created) throw new Error(`photo ${id} registered twice`);
      return photo;
    },
    async manifest(storyId) {
      const head = await store.head(objectKeys.gallery(storyId));
      if (!head) return undefined;
      return JSON.parse((await store.get(objectKeys.gallery(storyId))).toString('utf8')) as GalleryManifest;
    },
    idle: () => queues.isIdle(),
    async close() {
      await worker.close(5000);
      await queues.close();
      redis.disconnect();
      store.destroy();
      await Promise.all([redisServer.stop(), s3.stop()]);
    },
  };
}

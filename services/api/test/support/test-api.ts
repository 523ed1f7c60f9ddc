import { AuditLog, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import { type LightboxConfig, loadConfig } from '@lightbox/config';
import { FeedHealth } from '@lightbox/feed-health';
import { feedCadences } from '@lightbox/feed-rules';
import { AcceptanceLog, PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { LifecycleWork, PipelineQueues } from '@lightbox/queue';
import { createRedis, type Redis } from '@lightbox/redis';
import { RuntimeSettings } from '@lightbox/settings';
import { S3ObjectStore } from '@lightbox/storage';
import { createStoryDesk } from '@lightbox/story-desk';
import { randomPrefix, startLocalRedis, startLocalS3 } from '@lightbox/test-infra';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../src/index.js';

export interface TestApi {
  app: FastifyInstance;
  config: LightboxConfig;
  redisUrl: string;
  audit: AuditLog;
  redis: Redis;
  store: S3ObjectStore;
  queues: PipelineQueues;
  photos: PhotoCatalog;
  lifecycle: PhotoLifecycle;
  stories: StoryCatalog;
  feedHealth: FeedHealth;
  settings: RuntimeSettings;
  close(): Promise<void>;
}

/**
 * The real API on a local redis-server and s3rver, with a random key prefix (no network listener).
 * `clock` is the time feed health counts and judges by.
 */
export async function startTestApi(env: Record<string, string>, clock?: () => number): Promise<TestApi> {
  const [redisServer, s3] = await Promise.all([startLocalRedis(), startLocalS3()]);
  const prefix = randomPrefix('api');
  const config = loadConfig({ LIGHTBOX_REDIS_PREFIX: prefix, ...env });
  const redis = createRedis(redisServer.url);
  const store = new S3ObjectStore({ ...s3, bucket: 'lightbox' });
  await store.ensureBucket();
  const queues = new PipelineQueues({ redisUrl: redisServer.url, prefix });
  const photos = new PhotoCatalog(redis, prefix);
  const stories = new StoryCatalog(redis, prefix);
  const lifecycle = new PhotoLifecycle(redis, prefix, photos, config.feedGroups);
  const audit = new AuditLog(redis, prefix);
  const settings = new RuntimeSettings(redis, prefix);
  const feedHealth = new FeedHealth(redis, prefix, { clock, ...feedCadences(config.feedRules) });
  const intake = new PhotoIntake({
    store,
    photos,
    lifecycle,
    work: new LifecycleWork(queues),
    audit,
    acceptances: new AcceptanceLog(store),
    provenance: await ProvenanceStep.create({
      trustAnchors: config.c2paTrustAnchors,
      store,
      feedRules: config.feedRules,
    }),
    feedRules: config.feedRules,
    arrivals: feedHealth,
    maxBytes: config.limits.maxUploadBytes,
    maxInputPixels: config.limits.maxInputPixels,
  });
  const { desk } = createStoryDesk({ stories, photos, lifecycle, queues, audit, store }, config);
  const app = buildApiServer(
    config,
    { redis, store, photos, stories, queues, intake, desk, audit, feedHealth, settings },
    createLogger({ name: 'api-test', level: 'silent' }),
  );
  await app.ready();
  return {
    app,
    config,
    redisUrl: redisServer.url,
    audit,
    redis,
    store,
    queues,
    photos,
    lifecycle,
    stories,
    feedHealth,
    settings,
    async close() {
      await app.close();
      await queues.close();
      redis.disconnect();
      store.destroy();
      await Promise.all([redisServer.stop(), s3.stop()]);
    },
  };
}

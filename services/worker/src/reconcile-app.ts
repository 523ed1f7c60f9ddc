import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, migrateState, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import type { ConnectedConfig } from '@lightbox/config';
import { AcceptanceLog, PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';
import { LifecycleWork, PipelineQueues } from '@lightbox/queue';
import { Reconciler } from '@lightbox/recovery';
import { createRedis, type Redis } from '@lightbox/redis';
import { S3ObjectStore } from '@lightbox/storage';
import {
  createStoryDesk,
  type PublishScheduler,
  type StoryCopies,
  type StoryDesk,
} from '@lightbox/story-desk';

/** What a process already holds that the reconciler works through. */
export interface ReconcileParts {
  redis: Redis;
  store: S3ObjectStore;
  queues: PipelineQueues;
  photos: PhotoCatalog;
  stories: StoryCatalog;
  lifecycle: PhotoLifecycle;
  audit: AuditLog;
  desk: StoryDesk;
  publishing: PublishScheduler;
  copies: StoryCopies;
  log: Logger;
}

/**
 * The reconciler over a process's connections: replays go through an intake of their own (spooled
 * under the temporary directory, which every worker container can write), deciding as the API's
 * does, provenance checks included.
 */
export async function buildReconciler(config: ConnectedConfig, parts: ReconcileParts): Promise<Reconciler> {
  const acceptances = new AcceptanceLog(parts.store);
  const intake = new PhotoIntake({
    store: parts.store,
    photos: parts.photos,
    lifecycle: parts.lifecycle,
    work: new LifecycleWork(parts.queues, (storyId) => parts.publishing.schedule(storyId)),
    audit: parts.audit,
    acceptances,
    provenance: await ProvenanceStep.create({
      trustAnchors: config.c2paTrustAnchors,
      store: parts.store,
      feedRules: config.feedRules,
    }),
    spoolDir: join(tmpdir(), 'lightbox-replay'),
    maxBytes: config.limits.maxUploadBytes,
  });
  return new Reconciler({ ...parts, prefix: config.redisPrefix, acceptances, intake });
}

/** A reconciler with connections of its own, from config: `lightbox reconcile`. */
export async function openReconciler(
  config: ConnectedConfig,
  log: Logger,
): Promise<{ reconciler: Reconciler; close(): Promise<void> }> {
  const redis = createRedis(config.redis, { connectionName: 'lightbox-reconcile' });
  const store = new S3ObjectStore({ ...config.s3, publicBaseUrl: config.publicBaseUrl });
  const queues = new PipelineQueues({ redis: config.redis, prefix: config.redisPrefix });
  // A Redis that lost everything gets the schema marker back first, like any process start.
  await migrateState(redis, config.redisPrefix);
  const photos = new PhotoCatalog(redis, config.redisPrefix);
  const stories = new StoryCatalog(redis, config.redisPrefix);
  const lifecycle = new PhotoLifecycle(redis, config.redisPrefix, photos, config.feedGroups);
  const audit = new AuditLog(redis, config.redisPrefix);
  const { desk, publishing, copies } = createStoryDesk(
    { stories, photos, lifecycle, queues, audit, store },
    config,
  );
  const reconciler = await buildReconciler(config, {
    redis,
    store,
    queues,
    photos,
    stories,
    lifecycle,
    audit,
    desk,
    publishing,
    copies,
    log,
  });
  return {
    reconciler,
    async close() {
      await queues.close();
      redis.disconnect();
      store.destroy();
    },
  };
}

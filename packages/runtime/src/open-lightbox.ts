import { AuditLog, migrateState, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import type { ConnectedConfig } from '@lightbox/config';
import { FeedHealth } from '@lightbox/feed-health';
import { feedCadences } from '@lightbox/feed-rules';
import type { Logger } from '@lightbox/logger';
import { LifecycleWork, PipelineQueues, pipelineTelemetry } from '@lightbox/queue';
import { assertRedisKeepsData, createRedis, type Redis, ReplicaAcks } from '@lightbox/redis';
import { RuntimeSettings } from '@lightbox/settings';
import { S3ObjectStore } from '@lightbox/storage';
import { seedSettings } from './settings.js';

/** A config whose Redis (a URL or a Sentinel group) and S3 are known (`requireConnections`). */
export type { ConnectedConfig } from '@lightbox/config';

/** Everything a Lightbox process works through, connected and checked; `close()` lets go of it all. */
export interface Lightbox {
  config: ConnectedConfig;
  redis: Redis;
  store: S3ObjectStore;
  queues: PipelineQueues;
  photos: PhotoCatalog;
  stories: StoryCatalog;
  lifecycle: PhotoLifecycle;
  audit: AuditLog;
  /** Queues what a lifecycle change sets off (no publish scheduling: the story desk adds that). */
  work: LifecycleWork;
  /** Each feed's arrivals, rejections and incidents (cadences from the rules file). */
  feedHealth: FeedHealth;
  /** Webhook subscribers and S3 inboxes admins change at run time (seeded from the environment). */
  settings: RuntimeSettings;
  /**
   * Waits until Redis replicas hold what was written (`LIGHTBOX_REDIS_WAIT_REPLICAS`); connects on
   * first use, on a connection of its own.
   */
  replicaAcks: ReplicaAcks;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The process (`api`, `worker`, `ingest`): names its Redis connection. */
  name: string;
  log: Logger;
  /** The time (epoch ms) feed health counts and judges by; tests pass a fake one. */
  clock?: () => number;
}

/**
 * The one start-up of every Lightbox service: connects to Redis (settings from the config), refuses
 * a Redis that may evict keys and warns when it keeps nothing on disk, makes sure the bucket exists,
 * migrates stored state to this release's schema, seeds the runtime settings from the environment,
 * and opens the queues and catalogs. Each service adds only what is its own (HTTP, stage workers,
 * watchers) and closes this last.
 */
export async function openLightbox(
  config: ConnectedConfig,
  { name, log, clock }: OpenOptions,
): Promise<Lightbox> {
  const redis = createRedis(config.redis, { connectionName: `lightbox-${name}` });
  const store = new S3ObjectStore({ ...config.s3, publicBaseUrl: config.publicBaseUrl });
  const audit = new AuditLog(redis, config.redisPrefix);
  const settings = new RuntimeSettings(redis, config.redisPrefix);
  let queues: PipelineQueues | undefined;
  try {
    await assertRedisKeepsData(redis, (m) => log.warn(m));
    await store.ensureBucket();
    queues = new PipelineQueues({
      redis: config.redis,
      prefix: config.redisPrefix,
      telemetry: pipelineTelemetry(config.otelTracing),
    });
    const migrated = await migrateState(redis, config.redisPrefix);
    if (migrated.from !== migrated.to) log.info(migrated, 'state migrated');
    await seedSettings(settings, config, audit);
  } catch (err) {
    await queues?.close();
    redis.disconnect();
    store.destroy();
    throw err;
  }
  const photos = new PhotoCatalog(redis, config.redisPrefix);
  const open = queues;
  const replicaAcks = ReplicaAcks.open(config.redis, {
    ...config.replicaAck,
    markerKey: `${config.redisPrefix}:replica-ack`,
    onShortfall: (r) =>
      log.warn(r, 'accepted before Redis replicas confirmed (the acceptance record is in S3)'),
  });
  return {
    config,
    redis,
    store,
    queues: open,
    photos,
    stories: new StoryCatalog(redis, config.redisPrefix),
    lifecycle: new PhotoLifecycle(redis, config.redisPrefix, photos, config.feedGroups),
    audit,
    work: new LifecycleWork(open),
    feedHealth: new FeedHealth(redis, config.redisPrefix, { clock, ...feedCadences(config.feedRules) }),
    settings,
    replicaAcks,
    async close() {
      await open.close();
      replicaAcks.close();
      redis.disconnect();
      store.destroy();
    },
  };
}

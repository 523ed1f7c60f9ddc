import { join } from 'node:path';
import { AuditLog, migrateState, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import { loadConfig, openMetricsWarning, requireConnections } from '@lightbox/config';
import { AcceptanceLog, PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { closeOnSignals, LifecycleWork, PipelineQueues, pipelineTelemetry } from '@lightbox/queue';
import { assertRedisKeepsData, createRedis, ReplicaAcks } from '@lightbox/redis';
import { S3ObjectStore } from '@lightbox/storage';
import { createStoryDesk } from '@lightbox/story-desk';
import { buildApiServer } from './api-server.js';

const config = requireConnections(loadConfig());
const log = createLogger({ name: 'api', level: config.logLevel });
const redis = createRedis(config.redis, { connectionName: 'lightbox-api' });
await assertRedisKeepsData(redis, (m) => log.warn(m));
const store = new S3ObjectStore({ ...config.s3, publicBaseUrl: config.publicBaseUrl });
await store.ensureBucket();
const queues = new PipelineQueues({
  redis: config.redis,
  prefix: config.redisPrefix,
  telemetry: pipelineTelemetry(config.otelTracing),
});
await migrateState(redis, config.redisPrefix);
const photos = new PhotoCatalog(redis, config.redisPrefix);
const lifecycle = new PhotoLifecycle(redis, config.redisPrefix, photos, config.feedGroups);
const stories = new StoryCatalog(redis, config.redisPrefix);
const audit = new AuditLog(redis, config.redisPrefix);
const replicaAcks = ReplicaAcks.open(config.redis, {
  ...config.replicaAck,
  markerKey: `${config.redisPrefix}:replica-ack`,
  onShortfall: (r) =>
    log.warn(r, 'accepted before Redis replicas confirmed (the acceptance record is in S3)'),
});
const intake = new PhotoIntake({
  store,
  photos,
  lifecycle,
  work: new LifecycleWork(queues),
  audit,
  acceptances: new AcceptanceLog(store),
  replicaAcks,
  provenance: await ProvenanceStep.create({
    trustAnchors: config.c2paTrustAnchors,
    store,
    feedRules: config.feedRules,
  }),
  spoolDir: join(config.dataDir, 'spool'),
  maxBytes: config.limits.maxUploadBytes,
});
const { desk } = createStoryDesk({ stories, photos, lifecycle, queues, audit, store }, config);
const app = buildApiServer(config, { redis, store, photos, stories, queues, intake, desk, audit }, log);
await app.listen({ port: config.port, host: config.host });
const metricsWarning = openMetricsWarning(config.host, config.metricsToken);
if (metricsWarning) log.warn(metricsWarning);

closeOnSignals(
  async () => {
    await app.close();
    await queues.close();
    replicaAcks.close();
    redis.disconnect();
    store.destroy();
  },
  { log: (m) => log.info(m) },
);

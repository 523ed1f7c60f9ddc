import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { ActivityPublisher } from '@lightbox/activity';
import { StoryArchive, UndecidedPhotoArchive } from '@lightbox/archive';
import {
  AuditLog,
  IntakeRejections,
  migrateState,
  PhotoCatalog,
  PhotoLifecycle,
  StoryCatalog,
  stateKeys,
} from '@lightbox/catalog';
import { type ConnectedConfig, type LightboxConfig, openMetricsWarning } from '@lightbox/config';
import { parseStageList, type StageName } from '@lightbox/contracts';
import { configureSharp, watermarkLogoPaths } from '@lightbox/imaging';
import { AcceptanceLog } from '@lightbox/intake';
import { type Logger, withLogContext } from '@lightbox/logger';
import { LightboxMetrics, serveMetrics } from '@lightbox/metrics';
import {
  LifecycleWork,
  PipelineQueues,
  pipelineTelemetry,
  type StageHandlers,
  type StageJobContext,
  type StageWorkers,
  startStageWorkers,
} from '@lightbox/queue';
import { RedisWatch } from '@lightbox/recovery';
import { assertRedisKeepsData, createRedis, pingRedis } from '@lightbox/redis';
import { S3ObjectStore } from '@lightbox/storage';
import { createStoryDesk } from '@lightbox/story-desk';
import { WebhookNotifier, WebhookSender } from '@lightbox/webhooks';
import { buildReconciler } from './reconcile-app.js';
import type { StageDeps } from './stages/deps.js';
import { ExpirySweep } from './stages/expiry-sweep.js';
import { IngestStage } from './stages/ingest-stage.js';
import { MatchStage } from './stages/match-stage.js';
import { IndexStage, PublishStage } from './stages/publish-stage.js';
import { ReleaseStage } from './stages/release-stage.js';
import { RenderStage } from './stages/render-stage.js';
import { ArchiveStage, BackfillStage, CloseStage } from './stages/story-stages.js';
import { TakedownStage } from './stages/takedown-stage.js';
import { WebhookStage } from './stages/webhook-stage.js';

export interface WorkerApp {
  stages: StageName[];
  /** Port of `/metrics`, when `LIGHTBOX_METRICS_PORT` is set. */
  metricsPort?: number;
  close(timeoutMs?: number): Promise<void>;
}

export interface WorkerAppOptions {
  config: ConnectedConfig;
  log: Logger;
}

/** Loads every watermark logo once; a missing logo stops start-up with a clear message. */
async function loadLogos(config: LightboxConfig): Promise<Map<string, Buffer>> {
  const logos = new Map<string, Buffer>();
  for (const path of watermarkLogoPaths(config.watermark)) {
    try {
      logos.set(path, await readFile(path));
    } catch (err) {
      throw new Error(`Cannot read watermark logo ${path}: ${(err as Error).message}`);
    }
  }
  return logos;
}

/** Builds the stage handlers for the stages this process serves (`QUEUES`, default all) and starts them. */
export async function startWorkerApp({ config, log }: WorkerAppOptions): Promise<WorkerApp> {
  const stages = parseStageList(config.queues);
  configureSharp(config.sharp);
  const logos = await loadLogos(config);
  const redis = createRedis(config.redis, { connectionName: 'lightbox-worker-state' });
  await assertRedisKeepsData(redis, (m) => log.warn(m));
  const store = new S3ObjectStore({ ...config.s3, publicBaseUrl: config.publicBaseUrl });
  const telemetry = pipelineTelemetry(config.otelTracing);
  const queues = new PipelineQueues({
    redis: config.redis,
    prefix: config.redisPrefix,
    telemetry,
  });
  const migrated = await migrateState(redis, config.redisPrefix);
  if (migrated.from !== migrated.to) log.info(migrated, 'state migrated');
  const photos = new PhotoCatalog(redis, config.redisPrefix);
  const lifecycle = new PhotoLifecycle(redis, config.redisPrefix, photos, config.feedGroups);
  const stories = new StoryCatalog(redis, config.redisPrefix);
  const audit = new AuditLog(redis, config.redisPrefix);
  const metrics = new LightboxMetrics('worker', { s3: () => store.stats });
  const activity = new ActivityPublisher(redis, config.redisPrefix, (err) =>
    log.warn({ err: err.message }, 'activity not published'),
  );
  const { desk, publishing, copies } = createStoryDesk(
    { stories, photos, lifecycle, queues, audit, store },
    config,
  );
  const work = new LifecycleWork(queues, (storyId) => publishing.schedule(storyId));
  const acceptances = new AcceptanceLog(store);
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
  const deps: StageDeps = {
    store,
    photos,
    lifecycle,
    work,
    intakeRejections: new IntakeRejections(redis, config.redisPrefix, photos),
    stories,
    queues,
    log,
    render: {
      renditions: config.renditions,
      watermark: config.watermark,
      logos,
      maxInputPixels: config.limits.maxInputPixels,
    },
    maxInputPixels: config.limits.maxInputPixels,
    matchOptions: config.matching,
    galleries: {
      windowMs: config.galleries.duplicateWindowMs,
      maxDistance: config.galleries.duplicateMaxDistance,
      preferredAgencies: config.galleries.preferredAgencies,
    },
    publishing,
    publishSpacingMs: config.publishSpacingMs,
    desk,
    archive: new StoryArchive(stories, photos, audit, store, { acceptances, copies }),
    undecidedArchive: new UndecidedPhotoArchive(photos, audit, store, acceptances),
    undecidedRetentionMs: config.undecidedRetentionDays * 24 * 3600_000,
    reconciler,
    reconcileGraceMs: config.reconcile.graceMs,
    expirySweep: new ExpirySweep({ photos, lifecycle, work, audit }),
    webhooks: new WebhookNotifier(queues, config.webhooks.subscribers, config.webhooks.retryBaseMs),
    webhookSender: new WebhookSender(config.webhooks.subscribers, config.webhooks.timeoutMs, {
      allowedNetworks: config.webhooks.allowedNetworks,
    }),
    activity,
    metrics,
  };
  const ingest = new IngestStage(deps);
  const render = new RenderStage(deps);
  const match = new MatchStage(deps);
  const publish = new PublishStage(deps);
  const takedown = new TakedownStage(deps);
  const release = new ReleaseStage(deps);
  const backfill = new BackfillStage(deps);
  const index = new IndexStage(deps);
  const close = new CloseStage(deps);
  const archive = new ArchiveStage(deps);
  const webhook = new WebhookStage(deps);
  const all: Required<StageHandlers> = {
    ingest: (p) => ingest.handle(p),
    render: (p) => render.handle(p),
    match: (p) => match.handle(p),
    publish: (p, context) => publish.handle(p, context),
    takedown: (p, context) => takedown.handle(p, context),
    release: (p) => release.handle(p),
    backfill: (p) => backfill.handle(p),
    index: (p) => index.handle(p),
    close: (p) => close.handle(p),
    webhook: (p) => webhook.handle(p),
    archive: (p, context) => archive.handle(p, context),
  };
  // Every log line a job writes carries its stage, job id and photo or story.
  for (const stage of Object.keys(all) as StageName[]) {
    const handle = all[stage] as (p: unknown, c: StageJobContext) => Promise<void>;
    (all as Record<string, unknown>)[stage] = (
      p: { photoId?: string; storyId?: string },
      c: StageJobContext,
    ) =>
      withLogContext({ stage, jobId: c.jobId, photoId: p.photoId, storyId: p.storyId }, () => handle(p, c));
  }
  const handlers: StageHandlers = {};
  for (const stage of stages) (handlers as Record<string, unknown>)[stage] = all[stage];

  const workers: StageWorkers = startStageWorkers({
    redis: config.redis,
    prefix: config.redisPrefix,
    telemetry,
    handlers,
    concurrency: config.concurrency,
    onFailed: (stage, jobId, error, final, data) => {
      // A job moved back to wait (delayUntil) is not a failure.
      if (error.name === 'DelayedError') return;
      const photoId = typeof data?.photoId === 'string' ? data.photoId : undefined;
      const storyId = typeof data?.storyId === 'string' ? data.storyId : undefined;
      log[final ? 'error' : 'warn'](
        { stage, jobId, photoId, storyId, err: error.message, final },
        final ? 'job failed for good' : 'job failed; will retry',
      );
      void activity.publish({
        kind: 'failed',
        at: new Date().toISOString(),
        stage,
        jobId,
        photoId,
        storyId,
        reason: `${final ? 'failed for good' : 'will retry'}: ${error.message}`,
      });
    },
    onError: (stage, error) => log.error({ stage, err: error.message }, 'worker error'),
    onFinished: (stage, ms, outcome) => metrics.observeJob(stage, ms / 1000, outcome),
  });
  log.info({ stages }, 'worker started');
  // Timers of their own: one scheduler each, whatever the worker count. A Redis that lost its data
  // lost them too: the watch below puts them back.
  const schedule = async () => {
    // The hourly retention sweep of photos no story claimed.
    if (stages.includes('archive') && config.undecidedRetentionDays > 0)
      await queues.every('archive', 'undecided-photos', 3600_000, { sweep: 'undecided' });
    // Object storage against Redis, every few minutes (docs/operations.md).
    if (stages.includes('archive') && config.reconcile.intervalMs > 0)
      await queues.every('archive', 'reconcile', config.reconcile.intervalMs, { sweep: 'reconcile' });
    // The licence-expiry sweep, with the embargo timers.
    if (stages.includes('release'))
      await queues.every('release', 'licence-expiry', config.expirySweepMs, { sweep: 'expired' });
  };
  const reconcileSoon = (jobId: string, delay: number, everything = false) =>
    queues.add('archive', { sweep: 'reconcile', ...(everything ? { everything } : {}) }, { jobId, delay });
  let watch: RedisWatch | undefined;
  await schedule();
  // LIGHTBOX_RECONCILE_INTERVAL_S=0: only `lightbox reconcile` reconciles.
  if (stages.includes('archive') && config.reconcile.intervalMs > 0) {
    watch = new RedisWatch(redis, stateKeys(config.redisPrefix).schemaVersion, {
      async onLoss() {
        log.error('Redis lost its data: rebuilding it from object storage (reconcile)');
        await migrateState(redis, config.redisPrefix);
        await schedule();
        const at = Date.now();
        await reconcileSoon(`reconcile-loss-${at}`, 0, true);
        // Uploads under way during the loss are older than the grace period by then.
        await reconcileSoon(`reconcile-loss-${at}-late`, config.reconcile.graceMs + 5_000);
      },
      async onNewPrimary(runId) {
        log.warn(
          { runId },
          'another Redis server answers (failover or restart): reconcile after the grace period',
        );
        await reconcileSoon(`reconcile-primary-${runId}`, config.reconcile.graceMs + 5_000);
      },
      onError: (err) => log.debug({ err: err.message }, 'Redis watch: no answer'),
    });
    await watch.start();
  }
  const metricsServer =
    config.metricsPort !== undefined
      ? await serveMetrics(metrics, {
          port: config.metricsPort,
          host: config.metricsHost,
          token: config.metricsToken,
          checks: { redis: () => pingRedis(redis), s3: () => store.ping() },
        })
      : undefined;
  if (metricsServer) log.info({ address: metricsServer.address() }, 'metrics at /metrics');
  const metricsWarning = metricsServer && openMetricsWarning(config.metricsHost, config.metricsToken);
  if (metricsWarning) log.warn(metricsWarning);
  return {
    stages,
    metricsPort: (metricsServer?.address() as AddressInfo | null)?.port,
    async close(timeoutMs) {
      watch?.stop();
      metricsServer?.close();
      await workers.close(timeoutMs);
      await queues.close();
      redis.disconnect();
      store.destroy();
    },
  };
}

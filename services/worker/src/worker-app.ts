import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { ActivityPublisher } from '@lightbox/activity';
import { StoryArchive, UndecidedPhotoArchive } from '@lightbox/archive';
import { IntakeRejections } from '@lightbox/catalog';
import type { LightboxConfig } from '@lightbox/config';
import { parseStageList, type StageName } from '@lightbox/contracts';
import { configureSharp, watermarkLogoPaths } from '@lightbox/imaging';
import { AcceptanceLog } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';
import { LightboxMetrics } from '@lightbox/metrics';
import { LifecycleWork, pipelineTelemetry, type StageWorkers, startStageWorkers } from '@lightbox/queue';
import { buildReconciler } from '@lightbox/recovery';
import { type ConnectedConfig, liveSettings, openLightbox, serveProcessMetrics } from '@lightbox/runtime';
import { createStoryDesk } from '@lightbox/story-desk';
import { WebhookNotifier, WebhookSender } from '@lightbox/webhooks';
import type { WorkerDeps } from './deps.js';
import { bindStages } from './stage-bindings.js';
import { ExpirySweep } from './stages/expiry-sweep.js';
import { FeedCheck } from './stages/feed-check.js';
import { scheduleTimers, watchRedis } from './timers.js';

export interface WorkerApp {
  stages: StageName[];
  /** Port of `/metrics`, when `LIGHTBOX_METRICS_PORT` is set. */
  metricsPort?: number;
  close(timeoutMs?: number): Promise<void>;
}

export interface WorkerAppOptions {
  config: ConnectedConfig;
  log: Logger;
  /** The time (epoch ms) the timers judge by (the expiry sweep, the feed health check); tests pass a fake one. */
  clock?: () => number;
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
export async function startWorkerApp({
  config,
  log,
  clock = Date.now,
}: WorkerAppOptions): Promise<WorkerApp> {
  const stages = parseStageList(config.queues);
  configureSharp(config.sharp);
  const logos = await loadLogos(config);
  const lightbox = await openLightbox(config, { name: 'worker', log, clock });
  const { redis, store, queues, photos, lifecycle, stories, audit, feedHealth } = lightbox;
  const telemetry = pipelineTelemetry(config.otelTracing);
  const metrics = new LightboxMetrics('worker', { s3: () => store.stats });
  const activity = new ActivityPublisher(redis, config.redisPrefix, (err) =>
    log.warn({ err: err.message }, 'activity not published'),
  );
  const { desk, publishing, copies } = createStoryDesk(
    { stories, photos, lifecycle, queues, audit, store },
    config,
  );
  const acceptances = new AcceptanceLog(store);
  const work = new LifecycleWork(queues, (storyId) => publishing.schedule(storyId));
  // Webhook subscribers as admins leave them (runtime settings, seeded from LIGHTBOX_WEBHOOKS).
  const settings = await liveSettings(lightbox, log);
  const subscribers = () => settings.webhooks();
  const webhooks = new WebhookNotifier(queues, subscribers, config.webhooks.retryBaseMs);
  const deps: WorkerDeps = {
    store,
    photos,
    lifecycle,
    work,
    intakeRejections: new IntakeRejections(redis, config.redisPrefix, photos),
    stories,
    log,
    render: {
      renditions: config.renditions,
      watermark: config.watermark,
      logos,
      maxInputPixels: config.limits.maxInputPixels,
    },
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
    expirySweep: new ExpirySweep({ photos, lifecycle, work, audit }, () => new Date(clock())),
    reconciler: await buildReconciler(lightbox, { desk, publishing, copies, log }),
    reconcileGraceMs: config.reconcile.graceMs,
    feedHealth,
    feedCheck: new FeedCheck({ feedHealth, webhooks, log }),
    webhooks,
    webhookSender: new WebhookSender(subscribers, config.webhooks.timeoutMs, {
      allowedNetworks: config.webhooks.allowedNetworks,
    }),
    activity,
    metrics,
  };
  const handlers = bindStages(stages, deps);

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
  await scheduleTimers(queues, config, stages);
  const watch = await watchRedis(lightbox, stages, log);
  const metricsServer = await serveProcessMetrics(lightbox, metrics, log);
  return {
    stages,
    metricsPort: (metricsServer?.address() as AddressInfo | null)?.port,
    async close(timeoutMs) {
      watch?.stop();
      metricsServer?.close();
      settings.close();
      await workers.close(timeoutMs);
      await lightbox.close();
    },
  };
}

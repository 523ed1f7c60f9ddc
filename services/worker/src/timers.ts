import { migrateState, stateKeys } from '@lightbox/catalog';
import type { ConnectedConfig } from '@lightbox/config';
import type { StageName } from '@lightbox/contracts';
import type { Logger } from '@lightbox/logger';
import type { PipelineQueues } from '@lightbox/queue';
import { RedisWatch } from '@lightbox/recovery';
import type { Lightbox } from '@lightbox/runtime';

/**
 * The repeating jobs a worker's stages own, one BullMQ job scheduler each whatever the worker count:
 * the sweep of photos no story claimed (hourly), the reconcile of Redis with object storage
 * (`LIGHTBOX_RECONCILE_INTERVAL_S`), the licence-expiry sweep and the feed health check. A Redis that lost its data lost them
 * too: `watchRedis` puts them back.
 */
export async function scheduleTimers(
  queues: PipelineQueues,
  config: ConnectedConfig,
  stages: StageName[],
): Promise<void> {
  if (stages.includes('archive') && config.undecidedRetentionDays > 0)
    await queues.every('archive', 'undecided-photos', 3600_000, { sweep: 'undecided' });
  if (stages.includes('archive') && config.reconcile.intervalMs > 0)
    await queues.every('archive', 'reconcile', config.reconcile.intervalMs, { sweep: 'reconcile' });
  if (stages.includes('release')) {
    await queues.every('release', 'licence-expiry', config.expirySweepMs, { sweep: 'expired' });
    await queues.every('release', 'feed-health', config.feedCheckMs, { sweep: 'feeds' });
  }
}

/**
 * With the archive stage (and the reconciler on, `LIGHTBOX_RECONCILE_INTERVAL_S` > 0): a Redis that
 * lost its data is rebuilt at once from object storage (every acceptance), its timers put back; a
 * failover or restart reconciles after the grace period.
 */
export async function watchRedis(
  { redis, queues, config }: Lightbox,
  stages: StageName[],
  log: Logger,
): Promise<RedisWatch | undefined> {
  if (!stages.includes('archive') || config.reconcile.intervalMs <= 0) return undefined;
  const reconcileSoon = (jobId: string, delay: number, everything = false) =>
    queues.add('archive', { sweep: 'reconcile', ...(everything ? { everything } : {}) }, { jobId, delay });
  const afterGrace = config.reconcile.graceMs + 5_000;
  const watch = new RedisWatch(redis, stateKeys(config.redisPrefix).schemaVersion, {
    async onLoss() {
      log.error('Redis lost its data: rebuilding it from object storage (reconcile)');
      await migrateState(redis, config.redisPrefix);
      await scheduleTimers(queues, config, stages);
      const at = Date.now();
      await reconcileSoon(`reconcile-loss-${at}`, 0, true);
      // Uploads under way during the loss are older than the grace period by then.
      await reconcileSoon(`reconcile-loss-${at}-late`, afterGrace);
    },
    async onNewPrimary(runId) {
      log.warn(
        { runId },
        'another Redis server answers (failover or restart): reconcile after the grace period',
      );
      await reconcileSoon(`reconcile-primary-${runId}`, afterGrace);
    },
    onError: (err) => log.debug({ err: err.message }, 'Redis watch: no answer'),
  });
  await watch.start();
  return watch;
}

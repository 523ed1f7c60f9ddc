import { IntakeRejections } from '@lightbox/catalog';
import { loadConfig, requireConnections } from '@lightbox/config';
import { createLogger } from '@lightbox/logger';
import { LightboxMetrics } from '@lightbox/metrics';
import { closeOnSignals } from '@lightbox/queue';
import { liveSettings, openLightbox, photoIntake, serveProcessMetrics } from '@lightbox/runtime';
import { HotFolderWatcher } from './hot-folder.js';
import { InboxPollers } from './inbox-pollers.js';

const config = requireConnections(loadConfig());
const log = createLogger({ name: 'ingest', level: config.logLevel });
const lightbox = await openLightbox(config, { name: 'ingest', log });
const { redis, store, photos } = lightbox;
const intake = await photoIntake(lightbox);

const rejections = new IntakeRejections(redis, config.redisPrefix, photos);
const watchers = config.hotFolders.map(
  ({ feed, dir }) =>
    new HotFolderWatcher({
      dir,
      feed,
      pollMs: config.hotFolderPollMs,
      after: config.hotFolderAfter,
      sidecarWaitMs: config.sidecarWaitMs,
      quietMs: config.hotFolderQuietMs,
      incompleteMs: config.hotFolderIncompleteMs,
      maxBytes: config.limits.maxUploadBytes,
      rejections,
      accept: (path, source) => intake.acceptFile(path, source),
      log,
    }),
);
for (const [i, watcher] of watchers.entries()) {
  await watcher.start();
  log.info({ dir: config.hotFolders[i]?.dir, feed: config.hotFolders[i]?.feed }, 'watching hot folder');
}

// S3 inboxes as admins leave them (runtime settings, seeded from LIGHTBOX_S3_INBOXES): picked up
// within seconds of a change, without a restart.
const settings = await liveSettings(lightbox, log);
const inboxes = new InboxPollers({
  config,
  redis,
  accept: (body, source, contentLength) => intake.acceptStream(body, source, { contentLength }),
  log,
  rejections,
});
settings.onChange(() => inboxes.sync(settings.inboxes()));
await inboxes.sync(settings.inboxes());

// `/metrics` (S3 requests and errors, process stats), `/livez` and `/healthz` for compose/k8s probes.
const metricsServer = await serveProcessMetrics(
  lightbox,
  new LightboxMetrics('ingest', { s3: () => store.stats }),
  log,
);

closeOnSignals(
  async () => {
    metricsServer?.close();
    settings.close();
    await Promise.all([...watchers.map((w) => w.stop()), inboxes.stop()]);
    await lightbox.close();
  },
  { log: (m) => log.info(m) },
);

import { IntakeRejections } from '@lightbox/catalog';
import { loadConfig, requireConnections } from '@lightbox/config';
import { createLogger } from '@lightbox/logger';
import { LightboxMetrics } from '@lightbox/metrics';
import { closeOnSignals } from '@lightbox/queue';
import { openLightbox, photoIntake, serveProcessMetrics } from '@lightbox/runtime';
import { S3ObjectStore } from '@lightbox/storage';
import { HotFolderWatcher } from './hot-folder.js';
import { S3InboxPoller } from './s3-inbox.js';

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

const inboxStores: S3ObjectStore[] = [];
const inboxes = config.s3Inboxes.map(({ feed, bucket, prefix }) => {
  const inboxStore = new S3ObjectStore({ ...config.s3, bucket });
  inboxStores.push(inboxStore);
  log.info({ bucket, prefix, feed }, 'polling S3 inbox');
  return new S3InboxPoller({
    store: inboxStore,
    prefix,
    feed,
    redis,
    redisPrefix: config.redisPrefix,
    pollMs: config.s3InboxPollMs,
    accept: (body, source, contentLength) =>
      intake.acceptStream(body, { ...source, route: 's3-inbox' }, { contentLength }),
    log,
  });
});
for (const inbox of inboxes) inbox.start();

// `/metrics` (S3 requests and errors, process stats), `/livez` and `/healthz` for compose/k8s probes.
const metricsServer = await serveProcessMetrics(
  lightbox,
  new LightboxMetrics('ingest', { s3: () => store.stats }),
  log,
);

closeOnSignals(
  async () => {
    metricsServer?.close();
    await Promise.all([...watchers.map((w) => w.stop()), ...inboxes.map((i) => i.stop())]);
    for (const s of inboxStores) s.destroy();
    await lightbox.close();
  },
  { log: (m) => log.info(m) },
);

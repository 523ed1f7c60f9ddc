import { join } from 'node:path';
import { PhotoCatalog } from '@lightbox/catalog';
import { loadConfig, requireConnections } from '@lightbox/config';
import { PhotoIntake } from '@lightbox/intake';
import { createLogger } from '@lightbox/logger';
import { closeOnSignals, PipelineQueues } from '@lightbox/queue';
import { createRedis } from '@lightbox/redis';
import { S3ObjectStore } from '@lightbox/storage';
import { HotFolderWatcher } from './hot-folder.js';

const config = requireConnections(loadConfig());
const log = createLogger({ name: 'ingest', level: config.logLevel });
const redis = createRedis(config.redisUrl, { connectionName: 'lightbox-hotfolder' });
const store = new S3ObjectStore({ ...config.s3, publicBaseUrl: config.publicBaseUrl });
const queues = new PipelineQueues({ redisUrl: config.redisUrl, prefix: config.redisPrefix });
const intake = new PhotoIntake({
  store,
  photos: new PhotoCatalog(redis, config.redisPrefix),
  queues,
  spoolDir: join(config.dataDir, 'spool'),
  maxBytes: config.limits.maxUploadBytes,
});
const dir = join(config.dataDir, 'inbox');
const watcher = new HotFolderWatcher({
  dir,
  feed: 'hotfolder',
  pollMs: config.hotFolderPollMs,
  accept: (path, source) => intake.acceptFile(path, source),
  log,
});
await watcher.start();
log.info({ dir }, 'watching hot folder');

closeOnSignals(
  async () => {
    await watcher.stop();
    await queues.close();
    redis.disconnect();
    store.destroy();
  },
  { log: (m) => log.info(m) },
);

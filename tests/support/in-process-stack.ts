import { buildApiServer } from '@lightbox/api';
import { loadConfig, requireConnections } from '@lightbox/config';
import { createLogger } from '@lightbox/logger';
import { type Lightbox, openLightbox, photoIntake } from '@lightbox/runtime';
import { createStoryDesk } from '@lightbox/story-desk';
import { randomPrefix, startLocalRedis, startLocalS3, tempDir } from '@lightbox/test-infra';
import { startWorkerApp, type WorkerApp } from '@lightbox/worker';

/** A clock a test moves by hand (epoch ms). */
export interface FakeClock {
  (): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function fakeClock(start = Date.now()): FakeClock {
  let now = start;
  return Object.assign(() => now, {
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  });
}

export interface InProcessStack {
  /** The API (with the dashboard), for `inject`. */
  app: ReturnType<typeof buildApiServer>;
  /** The API process's connections: queues, catalogs, feed health. */
  api: Lightbox;
  worker: WorkerApp;
  close(): Promise<void>;
}

/**
 * The real API and a real worker (every stage) in this process, on a local redis-server and
 * s3rver, sharing one clock: for end-to-end tests that must move time (feed silence) rather than
 * wait for it. Everything else is what `lightbox start` runs, minus the process boundaries.
 */
export async function startInProcessStack(
  env: Record<string, string>,
  clock: () => number = Date.now,
): Promise<InProcessStack> {
  const [redis, s3, data] = await Promise.all([startLocalRedis(), startLocalS3(), tempDir()]);
  const config = requireConnections(
    loadConfig({
      LIGHTBOX_DATA_DIR: data.path,
      REDIS_URL: redis.url,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      LIGHTBOX_REDIS_PREFIX: randomPrefix('stack'),
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  const log = createLogger({ name: 'in-process', level: 'silent' });
  const worker = await startWorkerApp({ config, log, clock });
  const api = await openLightbox(config, { name: 'api', log, clock });
  const { redis: r, store, photos, stories, queues, lifecycle, audit, feedHealth, settings } = api;
  const { desk } = createStoryDesk({ stories, photos, lifecycle, queues, audit, store }, config);
  const app = buildApiServer(
    config,
    {
      redis: r,
      store,
      photos,
      stories,
      queues,
      intake: await photoIntake(api),
      desk,
      audit,
      feedHealth,
      settings,
    },
    log,
  );
  await app.ready();
  return {
    app,
    api,
    worker,
    async close() {
      await app.close();
      await worker.close(5000);
      await api.close();
      await Promise.all([redis.stop(), s3.stop(), data.remove()]);
    },
  };
}

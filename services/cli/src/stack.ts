import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFeedKeys, type LightboxConfig, loadOrCreateCredentials } from '@lightbox/config';
import { PUBLIC_OBJECT_PREFIXES } from '@lightbox/contracts';
import {
  type EmbeddedRedis,
  type EmbeddedS3,
  findFreePort,
  spawnTypeScript,
  startRedisServer,
  startS3rver,
  waitFor,
} from '@lightbox/embedded';
import { SUPERVISOR_PID_ENV } from '@lightbox/queue';
import { S3ObjectStore } from '@lightbox/storage';
import { claimPidFile } from './pid-file.js';
import { ensureRedisServer } from './setup.js';

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);
const serviceEntry = (pkg: string) => join(dirname(fileURLToPath(import.meta.resolve(pkg))), 'main.ts');

export interface StackOptions {
  config: LightboxConfig;
  /** Worker processes to run (each serves every stage). */
  workers: number;
  say: (line: string) => void;
  /** Extra environment for the service processes. */
  env?: NodeJS.ProcessEnv;
  /** `inherit` shows service logs on this terminal; `ignore` hides them. */
  serviceOutput?: 'inherit' | 'ignore';
}

export interface RunningStack {
  apiUrl: string;
  /** `$LIGHTBOX_DATA_DIR/credentials.json`: generated keys and tokens. */
  credentialsPath: string;
  env: NodeJS.ProcessEnv;
  feedKey: { feed: string; key: string };
  editorToken: string;
  adminToken: string;
  /** `/metrics` URLs of the worker and ingest processes. */
  workerMetrics: string[];
  redis?: EmbeddedRedis;
  s3?: EmbeddedS3;
  stop(): Promise<void>;
}

interface Supervised {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  child?: ChildProcess;
  restarts: number;
}

/**
 * Starts everything on this machine: embedded redis-server and s3rver when `REDIS_URL` /
 * `S3_ENDPOINT` are unset, then the API, worker(s) and hot-folder watcher as separate processes,
 * restarting any that die. Resolves once the API reports healthy.
 */
export async function startStack({
  config,
  workers,
  say,
  env = {},
  serviceOutput = 'inherit',
}: StackOptions): Promise<RunningStack> {
  await mkdir(config.dataDir, { recursive: true });
  const pidFile = await claimPidFile(config.dataDir);
  const { credentials, created, path: credentialsPath } = await loadOrCreateCredentials(config.dataDir);
  const feedKeys = config.feedKeys.length > 0 ? config.feedKeys : credentials.feedKeys;
  const editorTokens = config.editorTokens.length > 0 ? config.editorTokens : credentials.editorTokens;
  const adminTokens = config.adminTokens.length > 0 ? config.adminTokens : credentials.adminTokens;
  if (created) say(`Generated credentials in ${credentialsPath}`);

  let redis: EmbeddedRedis | undefined;
  let s3: EmbeddedS3 | undefined;
  const services: Supervised[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(services.map(stopService));
    await s3?.stop();
    await redis?.stop();
    await pidFile.release();
  };
  try {
    // REDIS_URL or a Sentinel group (REDIS_SENTINELS…) reach the services through the environment.
    let redisEnv: NodeJS.ProcessEnv = {};
    if (!config.redis) {
      const bin = ensureRedisServer(say);
      redis = await startRedisServer({ dataDir: join(config.dataDir, 'redis'), bin });
      redisEnv = { REDIS_URL: redis.url };
    }
    let s3Env: NodeJS.ProcessEnv = {};
    if (!config.s3.endpoint) {
      // Signed requests only, with the generated key pair; published galleries and renditions stay
      // readable by anyone, as from a public bucket.
      s3 = await startS3rver({
        dataDir: join(config.dataDir, 's3'),
        bucket: config.s3.bucket,
        credentials: {
          accessKeyId: credentials.s3AccessKeyId,
          secretAccessKey: credentials.s3SecretAccessKey,
        },
        publicReadPrefixes: [...PUBLIC_OBJECT_PREFIXES],
      });
      s3Env = {
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      };
    }
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      ...env,
      // The supervisor has already shown the AWS SDK's Node-version notice once; don't repeat it per process.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [SUPERVISOR_PID_ENV]: String(process.pid),
      // glibc: cap malloc arenas so libvips threads do not fragment memory (sharp's advice).
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      LIGHTBOX_DATA_DIR: config.dataDir,
      PORT: String(config.port),
      HOST: config.host,
      ...redisEnv,
      ...s3Env,
      LIGHTBOX_FEED_KEYS: formatFeedKeys(feedKeys),
      LIGHTBOX_EDITOR_TOKENS: editorTokens.join(','),
      LIGHTBOX_ADMIN_TOKENS: adminTokens.join(','),
    };
    const store = new S3ObjectStore({
      endpoint: childEnv.S3_ENDPOINT,
      region: config.s3.region,
      bucket: config.s3.bucket,
      accessKeyId: childEnv.S3_ACCESS_KEY_ID,
      secretAccessKey: childEnv.S3_SECRET_ACCESS_KEY,
    });
    await store.ensureBucket();
    store.destroy();

    services.push(
      { name: 'api', entry: serviceEntry('@lightbox/api'), env: childEnv, restarts: 0 },
      ...(await Promise.all(
        Array.from({ length: workers }, async (_, i) => ({
          name: `worker-${i + 1}`,
          entry: serviceEntry('@lightbox/worker'),
          // Each worker serves /metrics on its own port (a fixed base + i when LIGHTBOX_METRICS_PORT is set;
          // the ingest process takes the next one), on LIGHTBOX_METRICS_HOST or HOST.
          env: {
            ...childEnv,
            LIGHTBOX_METRICS_PORT: String(
              config.metricsPort !== undefined
                ? config.metricsPort + i
                : await findFreePort(config.metricsHost),
            ),
          },
          restarts: 0,
        })),
      )),
      {
        name: 'ingest',
        entry: serviceEntry('@lightbox/ingest'),
        env: {
          ...childEnv,
          LIGHTBOX_METRICS_PORT: String(
            config.metricsPort !== undefined
              ? config.metricsPort + workers
              : await findFreePort(config.metricsHost),
          ),
        },
        restarts: 0,
      },
    );
    const launch = (svc: Supervised) => {
      // Own process group: Ctrl-C reaches only the supervisor, which stops services, then S3, then Redis.
      const child = spawnTypeScript(svc.entry, [], {
        env: svc.env,
        stdio: ['ignore', serviceOutput, serviceOutput],
        detached: true,
      });
      svc.child = child;
      child.once('exit', (code, signal) => {
        if (stopping) return;
        svc.restarts += 1;
        const delay = Math.min(10_000, 250 * 2 ** Math.min(svc.restarts, 6));
        say(`${svc.name} exited (${signal ?? code}); restarting in ${delay} ms`);
        setTimeout(() => !stopping && launch(svc), delay).unref();
      });
    };
    for (const svc of services) launch(svc);

    const apiUrl = `http://${hostForUrl(config.host)}:${config.port}`;
    await waitFor(
      async () => {
        const res = await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
        return res.ok;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `the API at ${apiUrl}/healthz` },
    );

    return {
      apiUrl,
      credentialsPath,
      env: childEnv,
      feedKey: feedKeys[0] as { feed: string; key: string },
      editorToken: editorTokens[0] as string,
      workerMetrics: services
        .filter((s) => s.name !== 'api')
        .map((s) => `http://${hostForUrl(config.metricsHost)}:${s.env.LIGHTBOX_METRICS_PORT}/metrics`),
      adminToken: adminTokens[0] as string,
      redis,
      s3,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** SIGTERM, then SIGKILL after 25 s: workers finish or return their active jobs in that time. */
function stopService(svc: Supervised): Promise<void> {
  return new Promise<void>((resolve) => {
    const child = svc.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Credentials,
  formatFeedKeys,
  type LightboxConfig,
  loadOrCreateCredentials,
} from '@lightbox/config';
import { PUBLIC_OBJECT_PREFIXES } from '@lightbox/contracts';
import {
  type EmbeddedRedis,
  type EmbeddedS3,
  findFreePort,
  Supervisor,
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

/** Embedded redis-server and s3rver for what the config leaves unset, and the environment they give. */
async function startBackEnds(
  config: LightboxConfig,
  credentials: Credentials,
  say: (line: string) => void,
): Promise<{ redis?: EmbeddedRedis; s3?: EmbeddedS3; env: NodeJS.ProcessEnv }> {
  let redis: EmbeddedRedis | undefined;
  let s3: EmbeddedS3 | undefined;
  try {
    // REDIS_URL or a Sentinel group (REDIS_SENTINELS…) reach the services through the environment.
    if (!config.redis) {
      const bin = ensureRedisServer(say);
      redis = await startRedisServer({ dataDir: join(config.dataDir, 'redis'), bin });
    }
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
    }
  } catch (err) {
    await redis?.stop();
    throw err;
  }
  const env: NodeJS.ProcessEnv = {
    ...(redis ? { REDIS_URL: redis.url } : {}),
    ...(s3
      ? {
          S3_ENDPOINT: s3.endpoint,
          S3_ACCESS_KEY_ID: s3.accessKeyId,
          S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        }
      : {}),
  };
  return { redis, s3, env };
}

/** The API, N workers and the ingest process, each worker and ingest with its own /metrics port. */
async function serviceSpecs(config: LightboxConfig, workers: number, env: NodeJS.ProcessEnv) {
  // A fixed base + i when LIGHTBOX_METRICS_PORT is set (ingest takes the one after the workers'),
  // else a free port; on LIGHTBOX_METRICS_HOST or HOST.
  const metricsPort = async (i: number) =>
    String(
      config.metricsPort !== undefined ? config.metricsPort + i : await findFreePort(config.metricsHost),
    );
  const specs = [{ name: 'api', entry: serviceEntry('@lightbox/api'), env }];
  for (let i = 0; i < workers; i++)
    specs.push({
      name: `worker-${i + 1}`,
      entry: serviceEntry('@lightbox/worker'),
      env: { ...env, LIGHTBOX_METRICS_PORT: await metricsPort(i) },
    });
  specs.push({
    name: 'ingest',
    entry: serviceEntry('@lightbox/ingest'),
    env: { ...env, LIGHTBOX_METRICS_PORT: await metricsPort(workers) },
  });
  return specs;
}

/**
 * Starts everything on this machine: embedded redis-server and s3rver when `REDIS_URL` /
 * `S3_ENDPOINT` are unset, then the API, worker(s) and hot-folder watcher as separate processes
 * under the supervisor (packages/embedded), which restarts any that die. Resolves once the API
 * reports healthy.
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

  // Own process groups: Ctrl-C reaches only the supervisor, which stops services, then S3, then Redis.
  const supervisor = new Supervisor({
    output: serviceOutput,
    detached: true,
    onExit: (svc, why, delay) => say(`${svc.name} exited (${why}); restarting in ${delay} ms`),
  });
  let backEnds: Awaited<ReturnType<typeof startBackEnds>> | undefined;
  const stopAll = async () => {
    await supervisor.stopAll();
    await backEnds?.s3?.stop();
    await backEnds?.redis?.stop();
    await pidFile.release();
  };
  try {
    backEnds = await startBackEnds(config, credentials, say);
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
      ...backEnds.env,
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

    const services = (await serviceSpecs(config, workers, childEnv)).map((spec) => supervisor.start(spec));
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
      redis: backEnds.redis,
      s3: backEnds.s3,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

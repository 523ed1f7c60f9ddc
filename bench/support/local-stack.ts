import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PUBLIC_OBJECT_PREFIXES } from '@lightbox/contracts';
import {
  type EmbeddedRedis,
  type EmbeddedS3,
  findFreePort,
  generateS3KeyPair,
  type SupervisedProcess,
  Supervisor,
  startRedisServer,
  startS3rver,
  waitFor,
  whichRedisServer,
} from '@lightbox/embedded';
import { tempDir } from '@lightbox/test-infra';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const serviceEntry = (pkg: string) =>
  join(dirname(fileURLToPath(import.meta.resolve(pkg))), 'main.ts');

/** One Lightbox service process (api, ingest, worker), with the tail of its output. */
export interface Service extends SupervisedProcess {
  kills: number;
  /** Where this process serves Prometheus `/metrics` (the API serves it on its own port). */
  metricsUrl: string;
}

export function alive(svc: Service): boolean {
  return !!svc.child && svc.child.exitCode === null && svc.child.signalCode === null;
}

/** Peak resident memory of a process (VmHWM), in MB; 0 when unknown. */
export async function peakRssMb(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(status.match(/VmHWM:\s+(\d+)\s+kB/)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

/** Calls the API as an editor (`call`) and pushes photos as a wire feed (`pushPhoto`). */
export function apiClient(apiUrl: string, editorToken: string, feedKey: string) {
  return {
    call(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${editorToken}`);
      return fetch(`${apiUrl}${path}`, { ...init, headers, signal: AbortSignal.timeout(15_000) });
    },
    pushPhoto(bytes: Buffer, filename: string, timeoutMs: number): Promise<Response> {
      return fetch(`${apiUrl}/v1/photos`, {
        method: 'POST',
        headers: { authorization: `Bearer ${feedKey}`, 'content-type': 'image/jpeg', 'x-filename': filename },
        body: new Uint8Array(bytes),
        signal: AbortSignal.timeout(timeoutMs),
      });
    },
  };
}

/**
 * What every Lightbox service a bench starts runs with: its data dir, S3, one feed and one editor
 * (both named `bench`), no rate limit, quiet logs, capped glibc arenas. Redis and the listener are
 * the caller's.
 */
export function benchServiceEnv(options: {
  dataDir: string;
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  feedKey: string;
  editorToken: string;
}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LIGHTBOX_DATA_DIR: options.dataDir,
    S3_ENDPOINT: options.s3.endpoint,
    S3_ACCESS_KEY_ID: options.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: options.s3.secretAccessKey,
    LIGHTBOX_FEED_KEYS: `bench:${options.feedKey}`,
    LIGHTBOX_EDITOR_TOKENS: `bench:${options.editorToken}`,
    LIGHTBOX_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    MALLOC_ARENA_MAX: '2',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

export interface LocalStack {
  apiUrl: string;
  dataDir: string;
  inbox: string;
  feedKey: string;
  editorToken: string;
  redis: EmbeddedRedis;
  s3: EmbeddedS3;
  api: Service;
  ingest: Service;
  workers: Service[];
  /** Restarts redis-server on the same port and data (graceful SHUTDOWN first). */
  restartRedis(): Promise<void>;
  /** Stops s3rver for `ms`, then starts it again on the same port and data. */
  s3Outage(ms: number): Promise<void>;
  /** Starts one more worker process (e.g. `{ QUEUES: 'render' }`), supervised like the others. */
  addWorker(env?: NodeJS.ProcessEnv): Promise<Service>;
  /** Stops a worker started by `addWorker` (SIGTERM) and forgets it. */
  removeWorker(svc: Service): Promise<void>;
  /** Keeps every service running (restarting any that exits), like `lightbox start` does. */
  supervise(on: boolean): void;
  /** Calls the API with the editor token. */
  call(path: string, init?: RequestInit): Promise<Response>;
  /** Pushes a JPEG like a wire feed (`POST /v1/photos` with the feed key); the raw response. */
  pushPhoto(bytes: Buffer, filename: string, timeoutMs: number): Promise<Response>;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * The production layout on this machine, for benchmarks and fault drills: redis-server (AOF),
 * s3rver, and the API, hot-folder and worker services as separate processes that the caller can
 * kill, restart or starve.
 */
export async function startLocalStack(options: {
  workers: number;
  env?: NodeJS.ProcessEnv;
  /** Extra environment for the first worker processes, by index. */
  workerEnv?: (index: number) => NodeJS.ProcessEnv;
}): Promise<LocalStack> {
  const bin = whichRedisServer();
  if (!bin) throw new Error('redis-server is not on PATH (apt-get install -y redis-server)');
  const data = await tempDir('lightbox-bench-');
  const [redisPort, s3Port, apiPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  let redis = await startRedisServer({ dataDir: join(data.path, 'redis'), bin, port: redisPort });
  const s3Options = {
    dataDir: join(data.path, 's3'),
    bucket: 'lightbox',
    port: s3Port,
    credentials: generateS3KeyPair(),
    // As `lightbox start` runs it: published galleries and renditions are public, the rest is not.
    publicReadPrefixes: [...PUBLIC_OBJECT_PREFIXES],
  };
  let s3 = await startS3rver(s3Options);
  const inbox = join(data.path, 'inbox');
  await mkdir(inbox, { recursive: true });
  const feedKey = `feed_${randomBytes(12).toString('hex')}`;
  const editorToken = `editor_${randomBytes(12).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...benchServiceEnv({ dataDir: data.path, s3, feedKey, editorToken }),
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    ...options.env,
  };
  // The supervisor `lightbox start` uses, restarting a killed process after half a second.
  const supervisor = new Supervisor({ output: 'capture', restartDelayMs: () => 500 });
  const service = async (name: string, pkg: string, extra: NodeJS.ProcessEnv = {}): Promise<Service> => {
    const metricsPort = pkg === '@lightbox/api' ? apiPort : await findFreePort();
    return supervisor.start({
      name,
      entry: serviceEntry(pkg),
      env: pkg === '@lightbox/api' ? env : { ...env, LIGHTBOX_METRICS_PORT: String(metricsPort), ...extra },
      kills: 0,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    });
  };
  const api = await service('api', '@lightbox/api');
  const ingest = await service('ingest', '@lightbox/ingest');
  const workers: Service[] = [];
  for (let i = 0; i < options.workers; i++)
    workers.push(await service(`worker-${i + 1}`, '@lightbox/worker', options.workerEnv?.(i)));
  let workersStarted = workers.length;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitFor(async () => (await fetch(`${apiUrl}/healthz`)).ok, {
    timeoutMs: 60_000,
    intervalMs: 200,
    what: 'the API',
  });
  const stack: LocalStack = {
    apiUrl,
    dataDir: data.path,
    inbox,
    feedKey,
    editorToken,
    redis,
    s3,
    api,
    ingest,
    workers,
    async restartRedis() {
      await redis.stop();
      await sleep(1000);
      redis = await startRedisServer({ dataDir: join(data.path, 'redis'), bin, port: redisPort });
      stack.redis = redis;
    },
    async s3Outage(ms) {
      await s3.stop();
      await sleep(ms);
      s3 = await startS3rver(s3Options);
      stack.s3 = s3;
    },
    async addWorker(extra = {}) {
      // Numbered on from every worker started so far: a name is never reused (peak RSS is kept by name).
      const svc = await service(`worker-${++workersStarted}`, '@lightbox/worker', extra);
      workers.push(svc);
      return svc;
    },
    async removeWorker(svc) {
      workers.splice(workers.indexOf(svc), 1);
      await supervisor.remove(svc);
    },
    supervise(on) {
      supervisor.setRestarting(on);
    },
    ...apiClient(apiUrl, editorToken, feedKey),
    async stop({ keepData = false } = {}) {
      await supervisor.stopAll();
      await s3.stop();
      await redis.stop();
      if (!keepData) await data.remove();
    },
  };
  return stack;
}

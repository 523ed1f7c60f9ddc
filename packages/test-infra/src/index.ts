import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer, startS3rver } from '@lightbox/embedded';

/**
 * Real back ends for tests. Where a container engine answers, testcontainers runs the production
 * images (Redis, MinIO); otherwise a local redis-server and s3rver on loopback. Never mocks.
 */

export interface TestRedis {
  url: string;
  kind: 'redis-server' | 'container';
  stop(): Promise<void>;
}

export interface TestS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  kind: 's3rver' | 'minio-container';
  stop(): Promise<void>;
}

type Testcontainers = typeof import('testcontainers');

let runtime: Promise<Testcontainers | undefined> | undefined;

/**
 * testcontainers, when a container runtime answers; undefined otherwise. Imported dynamically:
 * newer testcontainers releases crash on import under Node 20, and most machines here have no engine.
 */
export function containerRuntime(): Promise<Testcontainers | undefined> {
  runtime ??= (async () => {
    if (process.env.LIGHTBOX_TEST_CONTAINERS === '0') return undefined;
    try {
      const tc = (await import('testcontainers')) as Testcontainers;
      await tc.getContainerRuntimeClient();
      return tc;
    } catch {
      return undefined;
    }
  })();
  return runtime;
}

export async function tempDir(prefix = 'lightbox-test-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export async function startLocalRedis(): Promise<TestRedis> {
  const dir = await tempDir('lightbox-redis-');
  const server = await startRedisServer({ dataDir: dir.path, appendOnly: false });
  return {
    url: server.url,
    kind: 'redis-server',
    async stop() {
      await server.stop();
      await dir.remove();
    },
  };
}

export async function startContainerRedis(tc: Testcontainers): Promise<TestRedis> {
  const container = await new tc.GenericContainer('redis:7-alpine')
    .withCommand(['redis-server', '--maxmemory-policy', 'noeviction', '--appendonly', 'yes'])
    .withExposedPorts(6379)
    .start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    kind: 'container',
    stop: async () => {
      await container.stop();
    },
  };
}

export async function startLocalS3(bucket = 'lightbox'): Promise<TestS3> {
  const dir = await tempDir('lightbox-s3-');
  const server = await startS3rver({ dataDir: dir.path, bucket });
  return {
    endpoint: server.endpoint,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    region: 'us-east-1',
    kind: 's3rver',
    async stop() {
      await server.stop();
      await dir.remove();
    },
  };
}

export async function startContainerS3(tc: Testcontainers): Promise<TestS3> {
  const container = await new tc.GenericContainer('minio/minio:latest')
    .withCommand(['server', '/data'])
    .withEnvironment({ MINIO_ROOT_USER: 'lightbox', MINIO_ROOT_PASSWORD: 'lightbox-secret' })
    .withExposedPorts(9000)
    .withWaitStrategy(tc.Wait.forHttp('/minio/health/live', 9000))
    .start();
  return {
    endpoint: `http://${container.getHost()}:${container.getMappedPort(9000)}`,
    accessKeyId: 'lightbox',
    secretAccessKey: 'lightbox-secret',
    region: 'us-east-1',
    kind: 'minio-container',
    stop: async () => {
      await container.stop();
    },
  };
}

/** Every Redis back end available on this machine, for contract suites. */
export async function redisBackends(): Promise<{ name: string; start: () => Promise<TestRedis> }[]> {
  const tc = await containerRuntime();
  return [
    { name: 'redis-server', start: startLocalRedis },
    ...(tc ? [{ name: 'redis container', start: () => startContainerRedis(tc) }] : []),
  ];
}

/** Every S3 back end available on this machine, for contract suites. */
export async function s3Backends(): Promise<{ name: string; start: () => Promise<TestS3> }[]> {
  const tc = await containerRuntime();
  return [
    { name: 's3rver', start: () => startLocalS3() },
    ...(tc ? [{ name: 'MinIO container', start: () => startContainerS3(tc) }] : []),
  ];
}

/** A unique key prefix per test, so tests can share one Redis (as BullMQ's own tests do). */
export function randomPrefix(label = 'test'): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Polls until `check` returns a truthy value. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`Condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

/** Repository root, and test fixtures under `tests/fixtures/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const fixturePath = (relative: string) => join(REPO_ROOT, 'tests', 'fixtures', relative);
export const demoPath = (relative: string) => join(REPO_ROOT, 'demo', relative);

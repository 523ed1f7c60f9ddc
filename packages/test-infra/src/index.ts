import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type EmbeddedRedis,
  type EmbeddedSentinel,
  findFreePort,
  generateS3KeyPair,
  startRedisSentinel,
  startRedisServer,
  startS3rver,
} from '@lightbox/embedded';

/**
 * Real back ends for tests. Where a container engine answers, testcontainers runs the production
 * images (Redis, SeaweedFS); otherwise a local redis-server and s3rver on loopback. Never mocks.
 * `LIGHTBOX_TEST_S3=swift` puts the S3 suites and the end-to-end stacks on OpenStack Swift's S3 API
 * (Debian's python3-swift) instead: a real S3 implementation where no container engine exists.
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
  kind: 's3rver' | 'seaweedfs-container' | 'swift';
  /** Where anonymous readers (downstream sites) fetch the stack's bucket, when not the S3 URL. */
  publicBaseUrl?: string;
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

/** A replicated Redis on loopback: a primary, a replica and three Sentinels watching them. */
export interface TestRedisGroup {
  /** The group's name, for `REDIS_SENTINEL_NAME`. */
  name: string;
  sentinels: { host: string; port: number }[];
  primary: EmbeddedRedis;
  replica: EmbeddedRedis;
  /** SIGKILLs the primary (the Sentinels then promote the replica). */
  killPrimary(): void;
  stop(): Promise<void>;
}

/** Starts `TestRedisGroup`; Sentinels declare a silent primary down after `downAfterMs`. */
export async function startLocalRedisGroup({ downAfterMs = 1000 } = {}): Promise<TestRedisGroup> {
  const dir = await tempDir('lightbox-redis-group-');
  const name = 'lightbox-test';
  const primary = await startRedisServer({ dataDir: join(dir.path, 'primary'), appendOnly: false });
  const replica = await startRedisServer({
    dataDir: join(dir.path, 'replica'),
    appendOnly: false,
    replicaOf: { host: primary.host, port: primary.port },
  });
  const sentinels: EmbeddedSentinel[] = [];
  for (let i = 0; i < 3; i++)
    sentinels.push(
      await startRedisSentinel({
        dataDir: join(dir.path, `sentinel-${i}`),
        monitor: { name, host: primary.host, port: primary.port },
        quorum: 2,
        downAfterMs,
        failoverTimeoutMs: 5_000,
      }),
    );
  return {
    name,
    sentinels: sentinels.map((s) => ({ host: s.host, port: s.port })),
    primary,
    replica,
    killPrimary: () => primary.kill(),
    async stop() {
      await Promise.all(sentinels.map((s) => s.stop()));
      await Promise.all([primary.stop(), replica.stop()]);
      await dir.remove();
    },
  };
}

/** Pinned, as in docker-compose.yml (a test keeps them equal). */
export const REDIS_IMAGE = 'redis:7.4.2-alpine';

export async function startContainerRedis(tc: Testcontainers): Promise<TestRedis> {
  const container = await new tc.GenericContainer(REDIS_IMAGE)
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
  const server = await startS3rver({ dataDir: dir.path, bucket, credentials: generateS3KeyPair() });
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

/** SeaweedFS (maintained, Apache-2.0; MinIO's community edition was archived), pinned as in docker-compose.yml. */
export const SEAWEEDFS_IMAGE = 'chrislusf/seaweedfs:4.47';

export async function startContainerS3(tc: Testcontainers): Promise<TestS3> {
  const accessKeyId = 'lightbox';
  const secretAccessKey = `lightbox-${Math.random().toString(36).slice(2, 12)}`;
  const identities = {
    identities: [
      {
        name: 'lightbox',
        credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }],
        actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'],
      },
    ],
  };
  const container = await new tc.GenericContainer(SEAWEEDFS_IMAGE)
    .withCommand(['server', '-dir=/data', '-s3', '-s3.port=8333', '-s3.config=/etc/seaweedfs/s3.json'])
    .withCopyContentToContainer([{ content: JSON.stringify(identities), target: '/etc/seaweedfs/s3.json' }])
    .withExposedPorts(8333)
    .withWaitStrategy(tc.Wait.forHttp('/healthz', 8333))
    .start();
  return {
    endpoint: `http://${container.getHost()}:${container.getMappedPort(8333)}`,
    accessKeyId,
    secretAccessKey,
    region: 'us-east-1',
    kind: 'seaweedfs-container',
    stop: async () => {
      await container.stop();
    },
  };
}

/** Debian's Python, where python3-swift lives (a pyenv or venv python3 on PATH would not have it). */
const SWIFT_PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SWIFT_LAUNCHER = fileURLToPath(new URL('../swift/swift_s3.py', import.meta.url));
export const SWIFT_INSTALL_HINT =
  'OpenStack Swift was not found: install it with `apt-get install -y python3-swift memcached` (.ci/run does).';

/** True when Swift (python3-swift) and memcached are installed. */
export function swiftInstalled(): boolean {
  const swift = spawnSync(SWIFT_PYTHON, ['-c', 'import swift.common.middleware.s3api'], { stdio: 'ignore' });
  const memcached = spawnSync('sh', ['-c', 'command -v memcached'], { stdio: 'ignore' });
  return swift.status === 0 && memcached.status === 0;
}

/**
 * OpenStack Swift with its s3api middleware on loopback (proxy, account, container and object
 * servers and memcached, in a scratch directory). Starts in a few seconds; see swift/swift_s3.py.
 * `publicBucket` is created world-readable through Swift's own URL (`publicBaseUrl`), as a CDN in
 * front of a bucket would be: S3 anonymous reads are not part of s3api.
 */
export async function startSwiftS3(publicBucket?: string): Promise<TestS3> {
  if (!swiftInstalled()) throw new Error(SWIFT_INSTALL_HINT);
  const dir = await tempDir('lightbox-swift-');
  const port = await findFreePort();
  const args = [SWIFT_LAUNCHER, dir.path, String(port), ...(publicBucket ? [publicBucket] : [])];
  const child = spawn(SWIFT_PYTHON, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Swift did not start within 90 s')), 90_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(`ready ${port}`)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-8000);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`Swift exited with code ${code}`));
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    await dir.remove();
    throw new Error(`${(err as Error).message}:\n${output.trim()}`);
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'lightbox:tester',
    secretAccessKey: 'lightbox-secret',
    region: 'us-east-1',
    kind: 'swift',
    ...(publicBucket ? { publicBaseUrl: `http://127.0.0.1:${port}/v1/AUTH_lightbox/${publicBucket}` } : {}),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await dir.remove();
    },
  };
}

/** `LIGHTBOX_TEST_S3=swift`: the S3 suites and end-to-end stacks run on Swift (see above). */
export const testS3OnSwift = () => process.env.LIGHTBOX_TEST_S3 === 'swift';

/**
 * The S3 an end-to-end stack should use instead of its embedded s3rver: Swift when
 * LIGHTBOX_TEST_S3=swift, the SeaweedFS container where an engine answers; undefined otherwise.
 */
export async function startStackS3(bucket = 'lightbox'): Promise<TestS3 | undefined> {
  if (testS3OnSwift()) return startSwiftS3(bucket);
  const tc = await containerRuntime();
  return tc ? startContainerS3(tc) : undefined;
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
  if (testS3OnSwift()) return [{ name: 'OpenStack Swift (s3api)', start: () => startSwiftS3() }];
  const tc = await containerRuntime();
  return [
    { name: 's3rver', start: () => startLocalS3() },
    ...(tc ? [{ name: 'SeaweedFS container', start: () => startContainerS3(tc) }] : []),
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

import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort } from '@lightbox/embedded';
import {
  containerRuntime,
  demoPath,
  eventually,
  REPO_ROOT,
  startContainerRedis,
  startStackS3,
  type TestRedis,
  type TestS3,
  tempDir,
} from '@lightbox/test-infra';

export interface StackUnderTest {
  apiUrl: string;
  /** The S3 endpoint and bucket the stack uses (embedded s3rver, a container or Swift). */
  s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string };
  dataDir: string;
  feedKey: string;
  editorToken: string;
  adminToken: string;
  output: () => string;
  /** The Redis the stack uses (as printed by `lightbox start`). */
  redisUrl: string;
  /** Which back ends `lightbox start` runs itself (the rest come from test-infra). */
  embedded: { redis: boolean; s3: boolean };
  process: ChildProcess;
  /**
   * Stops the stack like a user: SIGINT to the whole process group, as Ctrl-C in a terminal does
   * (or SIGTERM to the CLI alone). Resolves with the CLI's exit code. Data is kept.
   */
  stop(signal?: 'SIGINT' | 'SIGTERM'): Promise<number | null>;
  /** Starts `lightbox start` again on the same data directory, port and back ends. */
  restart(): Promise<StackUnderTest>;
  /** Stops everything and removes the data directory and any containers. */
  destroy(): Promise<void>;
}

interface Shared {
  dataDir: string;
  port: number;
  env: NodeJS.ProcessEnv;
  cleanup: () => Promise<void>;
}

/**
 * Boots the real stack the way a user does: `lightbox start` (bin/lightbox.js), which runs
 * redis-server, s3rver, the API, a worker and the hot folder as separate processes. With a container
 * engine, Redis and SeaweedFS come from testcontainers instead; with LIGHTBOX_TEST_S3=swift, S3 is
 * OpenStack Swift's S3 API (test-infra's `startStackS3`).
 */
export async function startStackProcess(extraEnv: NodeJS.ProcessEnv = {}): Promise<StackUnderTest> {
  const data = await tempDir('lightbox-e2e-');
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LIGHTBOX_DATA_DIR: data.path,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    // Tests poll the API far faster than any newsroom client; the limiter has its own tests.
    LIGHTBOX_RATE_LIMIT_PER_MINUTE: '100000',
    // Test files are written whole in one go: a short quiet period keeps the suites quick.
    LIGHTBOX_HOTFOLDER_QUIET_MS: '600',
    // Suites read feeds right after a manifest: feeds with every publish (the refresh has its own tests).
    LIGHTBOX_FEED_REFRESH_MS: '0',
    ...extraEnv,
  };
  const tc = await containerRuntime();
  const [redis, s3] = await Promise.all([tc ? startContainerRedis(tc) : undefined, startStackS3()]);
  const backEnds = [redis, s3].filter((b): b is TestRedis | TestS3 => b !== undefined);
  if (redis) env.REDIS_URL = redis.url;
  if (s3) {
    Object.assign(env, {
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      ...(s3.publicBaseUrl ? { PUBLIC_BASE_URL: s3.publicBaseUrl } : {}),
    });
  }
  return launch({
    dataDir: data.path,
    port,
    env,
    cleanup: async () => {
      await Promise.all(backEnds.map((b) => b.stop()));
      await data.remove();
    },
  });
}

async function launch(shared: Shared): Promise<StackUnderTest> {
  // Its own process group, like a shell job, so stop() can SIGINT the group as Ctrl-C does.
  const child = spawn(process.execPath, [join(REPO_ROOT, 'services/cli/bin/lightbox.js'), 'start'], {
    env: shared.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = (c: Buffer) => {
    output += c.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually(
      // The banner's last line: the whole banner is in (it may arrive in several chunks).
      async () => /Press Ctrl-C.*to stop\./.test(output) || child.exitCode !== null,
      90_000,
      200,
    );
    if (child.exitCode !== null) throw new Error(`lightbox start exited with ${child.exitCode}`);
  } catch (err) {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  const credentials = JSON.parse(await readFile(join(shared.dataDir, 'credentials.json'), 'utf8'));
  const storage = output.match(/Object storage: (\S+)\/([^/\s]+)\s/);
  if (!storage) throw new Error(`No object storage line in:\n${output}`);
  const stop = async (signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      if (signal === 'SIGINT') process.kill(-child.pid, 'SIGINT');
      else child.kill('SIGTERM');
    }
    return exited;
  };
  return {
    apiUrl: `http://127.0.0.1:${shared.port}`,
    dataDir: shared.dataDir,
    s3: {
      endpoint: storage[1] as string,
      bucket: storage[2] as string,
      accessKeyId: shared.env.S3_ACCESS_KEY_ID ?? credentials.s3AccessKeyId,
      secretAccessKey: shared.env.S3_SECRET_ACCESS_KEY ?? credentials.s3SecretAccessKey,
    },
    feedKey: credentials.feedKeys[0].key,
    editorToken: credentials.editorTokens[0],
    adminToken: credentials.adminTokens[0],
    output: () => output,
    redisUrl: shared.env.REDIS_URL ?? (output.match(/Redis: +(redis:\/\/\S+)/)?.[1] as string),
    embedded: { redis: !shared.env.REDIS_URL, s3: !shared.env.S3_ENDPOINT },
    process: child,
    stop,
    async restart() {
      await stop();
      return launch(shared);
    },
    async destroy() {
      await stop();
      await shared.cleanup();
    },
  };
}

/** Calls the stack's API, with a bearer token when given (feed key, editor or admin token). */
export function stackApi(stack: () => StackUnderTest) {
  return (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    return fetch(`${stack().apiUrl}${path}`, { ...init, headers });
  };
}

/** Registers the demo story (demo/story.json: the Paris 2024 closing ceremony); the raw response. */
export async function registerDemoStory(stack: StackUnderTest): Promise<Response> {
  return stackApi(() => stack)('/v1/stories', {
    method: 'POST',
    token: stack.editorToken,
    headers: { 'content-type': 'application/json' },
    body: await readFile(demoPath('story.json')),
  });
}

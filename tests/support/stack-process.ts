import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findFreePort } from '@lightbox/embedded';
import {
  containerRuntime,
  eventually,
  REPO_ROOT,
  startContainerRedis,
  startContainerS3,
  type TestRedis,
  type TestS3,
  tempDir,
} from '@lightbox/test-infra';

export interface StackUnderTest {
  apiUrl: string;
  dataDir: string;
  feedKey: string;
  editorToken: string;
  output: () => string;
  /** SIGTERM, then resolve with the exit code. */
  stop(): Promise<number | null>;
  process: ChildProcess;
}

/**
 * Boots the real stack the way a user does: `lightbox start` (bin/lightbox.js), which runs
 * redis-server, s3rver, the API, a worker and the hot folder as separate processes. With a container
 * engine, Redis and MinIO come from testcontainers instead.
 */
export async function startStackProcess(extraEnv: NodeJS.ProcessEnv = {}): Promise<StackUnderTest> {
  const data = await tempDir('lightbox-e2e-');
  const port = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LIGHTBOX_DATA_DIR: data.path,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const containers: (TestRedis | TestS3)[] = [];
  const tc = await containerRuntime();
  if (tc) {
    const [redis, s3] = await Promise.all([startContainerRedis(tc), startContainerS3(tc)]);
    containers.push(redis, s3);
    Object.assign(env, {
      REDIS_URL: redis.url,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY_ID: s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
  }
  const child = spawn(process.execPath, [join(REPO_ROOT, 'services/cli/bin/lightbox.js'), 'start'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually(
      async () => output.includes('Lightbox is running.') || child.exitCode !== null,
      90_000,
      200,
    );
    if (child.exitCode !== null) throw new Error(`lightbox start exited with ${child.exitCode}:\n${output}`);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  const credentials = JSON.parse(await readFile(join(data.path, 'credentials.json'), 'utf8'));
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    dataDir: data.path,
    feedKey: credentials.feedKeys[0].key,
    editorToken: credentials.editorTokens[0],
    output: () => output,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      await Promise.all(containers.map((c) => c.stop()));
      await data.remove();
      return code;
    },
  };
}

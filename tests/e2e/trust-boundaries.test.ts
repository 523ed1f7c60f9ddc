import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '@lightbox/embedded';
import { eventually, REPO_ROOT, tempDir } from '@lightbox/test-infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, descendants, isWildcard, listeningSockets } from '../support/processes.js';
import { type StackUnderTest, startStackProcess } from '../support/stack-process.js';

const run = promisify(execFile);
const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
const CLI = join(REPO_ROOT, 'services/cli/bin/lightbox.js');

/** Waits until every pid is gone; returns those still alive after `timeoutMs`. */
async function waitGone(pids: number[], timeoutMs = 60_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 200));
  return pids.filter(alive);
}

/** Every process of a stack (supervisor and below) once all of them listen (API, Redis, S3, metrics). */
async function stackProcesses(root: number, listeners: number): Promise<number[]> {
  return eventually(async () => {
    const pids = [root, ...(await descendants(root))];
    return (await listeningSockets(pids)).length >= listeners && pids;
  }, 60_000);
}

/** Issue 12, findings 4, 8 and 9, on the stack `lightbox start` runs. */
describe('trust boundaries of the running stack: listeners, banner, stopping', () => {
  let stack: StackUnderTest;

  beforeAll(async () => {
    stack = await startStackProcess({ LIGHTBOX_METRICS_TOKEN: METRICS_TOKEN });
  });
  afterAll(async () => {
    await stack?.destroy();
  });

  /** API, worker /metrics, ingest /metrics, and redis-server and S3 when the stack runs its own. */
  const listenerCount = () => 3 + Number(stack.embedded.redis) + Number(stack.embedded.s3);

  it('listens on loopback only: no socket of the stack on a wildcard address (finding 4)', async () => {
    const root = stack.process.pid as number;
    const pids = await stackProcesses(root, listenerCount());
    const listeners = await listeningSockets(pids);
    expect(listeners.filter((l) => isWildcard(l.address))).toEqual([]);
    expect(listeners.every((l) => l.address === '127.0.0.1')).toBe(true);
  });

  it('every /metrics needs the metrics token when one is set (finding 4)', async () => {
    const urls = [
      `${stack.apiUrl}/metrics`,
      ...[...stack.output().matchAll(/http:\/\/127\.0\.0\.1:\d+\/metrics/g)].map((m) => m[0]),
    ];
    const unique = [...new Set(urls)];
    expect(unique.length).toBeGreaterThanOrEqual(3); // API, worker, ingest
    for (const url of unique) {
      expect([url, (await fetch(url)).status]).toEqual([url, 401]);
      expect([url, (await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status]).toEqual([
        url,
        401,
      ]);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect([url, ok.status]).toEqual([url, 200]);
      expect(await ok.text()).toContain('lightbox_');
    }
  });

  it('prints no secret when its output is not a terminal, and says where credentials.json is (finding 8)', async () => {
    const credentials = JSON.parse(readFileSync(join(stack.dataDir, 'credentials.json'), 'utf8'));
    const output = stack.output();
    expect(output).toContain('Lightbox is running.');
    for (const secret of [
      credentials.feedKeys[0].key,
      credentials.editorTokens[0],
      credentials.adminTokens[0],
      credentials.s3SecretAccessKey,
      METRICS_TOKEN,
    ])
      expect(output).not.toContain(secret);
    expect(output).toContain(join(stack.dataDir, 'credentials.json'));
  });

  it('`lightbox stop` stops the supervisor and every process it started (finding 9)', async () => {
    const root = stack.process.pid as number;
    const pids = await stackProcesses(root, listenerCount());
    const pidFile = join(stack.dataDir, 'lightbox.pid');
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(root));
    const { stdout } = await run(process.execPath, [CLI, 'stop'], {
      env: { ...process.env, LIGHTBOX_DATA_DIR: stack.dataDir },
      timeout: 90_000,
    });
    expect(stdout).toMatch(/Stopped/);
    expect(await waitGone(pids, 5_000)).toEqual([]);
    expect(existsSync(pidFile)).toBe(false);
    // A second stop finds nothing to stop.
    const again = await run(process.execPath, [CLI, 'stop'], {
      env: { ...process.env, LIGHTBOX_DATA_DIR: stack.dataDir },
    });
    expect(again.stdout).toMatch(/not running/);
  });

  it('SIGTERM to the supervisor alone stops every child (finding 9)', async () => {
    stack = await stack.restart();
    const pids = await stackProcesses(stack.process.pid as number, listenerCount());
    await stack.stop('SIGTERM');
    expect(await waitGone(pids)).toEqual([]);
  });
});

/** `npm start`, as the README says: npm → sh → lightbox, all in one process group. */
describe('a stack started with `npm start` (finding 9)', () => {
  let data: { path: string; remove(): Promise<void> };
  let npm: ChildProcess | undefined;
  let output = '';

  async function npmStart(): Promise<{ npm: ChildProcess; pids: number[] }> {
    output = '';
    const child = spawn('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        LIGHTBOX_DATA_DIR: data.path,
        PORT: String(await findFreePort()),
        LOG_LEVEL: 'warn',
        REDIS_URL: '',
        S3_ENDPOINT: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, as a shell job is
    });
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    npm = child;
    await eventually(
      async () => output.includes('Lightbox is running.') || child.exitCode !== null,
      90_000,
      200,
    );
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
    return { npm: child, pids: await stackProcesses(child.pid as number, 5) };
  }

  beforeAll(async () => {
    data = await tempDir('lightbox-npm-start-');
  });
  afterAll(async () => {
    if (npm?.pid && alive(npm.pid)) process.kill(-npm.pid, 'SIGKILL');
    await data?.remove();
  });

  it('SIGINT to its process group (Ctrl-C) stops everything', async () => {
    const started = await npmStart();
    process.kill(-(started.npm.pid as number), 'SIGINT');
    expect(await waitGone([started.npm.pid as number, ...started.pids])).toEqual([]);
  });

  it('SIGTERM to its process group stops everything', async () => {
    const started = await npmStart();
    process.kill(-(started.npm.pid as number), 'SIGTERM');
    expect(await waitGone([started.npm.pid as number, ...started.pids])).toEqual([]);
  });

  it('SIGTERM to npm alone (npm does not forward it) stops everything too', async () => {
    const started = await npmStart();
    process.kill(started.npm.pid as number, 'SIGTERM');
    expect(await waitGone(started.pids)).toEqual([]);
  });
});

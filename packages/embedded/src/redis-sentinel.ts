import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Launcher, spawnCommand, stopChild, tailOutput } from './node-process.js';
import { findFreePort, waitFor } from './ports.js';
import { pingRedisPort } from './redis-server.js';

export interface EmbeddedSentinelOptions {
  /** Where its config file lives (Sentinel rewrites it as it learns the group). */
  dataDir: string;
  port?: number;
  /** Address to listen on and announce to the other Sentinels (default 127.0.0.1). */
  bind?: string;
  /** The group it watches: its name and the primary to start from. */
  monitor: { name: string; host: string; port: number };
  /** Sentinels that must agree the primary is down before one fails it over. */
  quorum: number;
  /** How long the primary may not answer before it counts as down (Sentinel's default is 30 s). */
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  /** The password of the primary and replicas (`sentinel auth-pass`). */
  authPass?: string;
  /** redis-sentinel binary; default from PATH. */
  bin?: string;
  launcher?: Launcher;
}

export interface EmbeddedSentinel {
  host: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Path of redis-sentinel on PATH, or undefined. */
export function whichRedisSentinel(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-sentinel'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Runs one `redis-sentinel` watching a primary, for tests and the multi-host chaos run. */
export async function startRedisSentinel(options: EmbeddedSentinelOptions): Promise<EmbeddedSentinel> {
  const bin = options.bin ?? whichRedisSentinel();
  if (!bin) throw new Error('redis-sentinel was not found on PATH (apt-get install -y redis-sentinel)');
  await mkdir(options.dataDir, { recursive: true });
  const host = options.bind ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort());
  const { name } = options.monitor;
  const conf = join(options.dataDir, `sentinel-${port}.conf`);
  await writeFile(
    conf,
    [
      `port ${port}`,
      `bind ${host}`,
      `sentinel announce-ip ${host}`,
      `dir ${options.dataDir}`,
      'daemonize no',
      'loglevel warning',
      `sentinel monitor ${name} ${options.monitor.host} ${options.monitor.port} ${options.quorum}`,
      `sentinel down-after-milliseconds ${name} ${options.downAfterMs ?? 5000}`,
      `sentinel failover-timeout ${name} ${options.failoverTimeoutMs ?? 30_000}`,
      `sentinel parallel-syncs ${name} 1`,
      ...(options.authPass ? [`sentinel auth-pass ${name} ${options.authPass}`] : []),
      // Sentinels off loopback sit on a private network: reachable by the group, without a password.
      ...(host === '127.0.0.1' ? [] : ['protected-mode no']),
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const child = spawnCommand(
    bin,
    [conf],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    options.launcher,
  );
  const output = tailOutput(child);
  try {
    await waitFor(() => pingRedisPort(port, host), {
      what: `redis-sentinel on ${host}:${port}`,
      timeoutMs: 20_000,
    });
  } catch {
    child.kill('SIGKILL');
    throw new Error(`redis-sentinel did not start on ${host}:${port}:\n${output().trim()}`);
  }
  return {
    host,
    port,
    process: child,
    stop: () => stopChild(child, 5_000),
  };
}

import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { type Launcher, spawnCommand, stopChild, tailOutput } from './node-process.js';
import { livePidFrom, processAlive } from './pid-files.js';
import { findFreePort, waitFor } from './ports.js';

export interface EmbeddedRedisOptions {
  /** Directory for the AOF and RDB files. */
  dataDir: string;
  port?: number;
  /** redis-server binary; default from PATH. */
  bin?: string;
  /** Persist with AOF (everysec). Tests may turn it off for speed. */
  appendOnly?: boolean;
  /** Address to listen on (default 127.0.0.1); the URL names it too. */
  bind?: string;
  /** Start as a replica of this primary (`replicaof`). */
  replicaOf?: { host: string; port: number };
  /**
   * Clients must authenticate (`requirepass`); replicas use it to reach their primary too
   * (`masterauth`). Needed to listen anywhere but loopback (protected mode).
   */
  password?: string;
  /** Runs redis-server through this command (e.g. in a network namespace). */
  launcher?: Launcher;
}

export interface EmbeddedRedis {
  url: string;
  port: number;
  process: ChildProcess;
  /** Graceful SHUTDOWN (flushes the AOF), then waits for exit. */
  stop(): Promise<void>;
  /** SIGKILL, for chaos tests. */
  kill(): void;
  /** The address it listens on. */
  host: string;
}

export class RedisServerMissingError extends Error {
  override readonly name = 'RedisServerMissingError';
}

export const REDIS_INSTALL_HINT =
  'redis-server was not found on PATH. Install it with `sudo apt-get install -y redis-server` ' +
  '(Debian/Ubuntu) or `brew install redis` (macOS), or set REDIS_URL to an existing Redis 6.2+.';

/** Path of redis-server on PATH, or undefined. */
export function whichRedisServer(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** True when a Redis (server or Sentinel) answers PING at host:port (after AUTH when a password is given). */
export function pingRedisPort(port: number, host = '127.0.0.1', password?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let data = '';
    socket.setTimeout(500);
    const auth = password ? `AUTH ${password}\r\n` : '';
    socket.on('connect', () => socket.write(`${auth}PING\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      const replies = data.split('\r\n');
      if (replies.length > (password ? 2 : 1)) {
        socket.destroy();
        resolve((replies[password ? 1 : 0] ?? '').startsWith('+PONG'));
      }
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * A redis-server left running on this data directory by a supervisor that was killed would share
 * the AOF with a new one. Shut it down (gracefully, so its AOF is complete) before starting.
 */
async function stopStaleServer(pidFile: string): Promise<void> {
  const pid = await livePidFrom(pidFile, 'redis-server');
  if (pid === undefined) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await rm(pidFile, { force: true });
}

/**
 * Starts a private redis-server on loopback, configured as BullMQ's production guide asks:
 * AOF everysec and `maxmemory-policy noeviction`. It runs in its own process group, so a Ctrl-C
 * reaches only the supervisor, which stops Redis last, after the workers have finished.
 */
export async function startRedisServer(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
  const bin = options.bin ?? whichRedisServer();
  if (!bin) throw new RedisServerMissingError(REDIS_INSTALL_HINT);
  await mkdir(options.dataDir, { recursive: true });
  const pidFile = join(options.dataDir, 'redis-server.pid');
  await stopStaleServer(pidFile);
  const host = options.bind ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort());
  const args = [
    '--port',
    String(port),
    '--bind',
    host,
    '--protected-mode',
    'yes',
    '--dir',
    options.dataDir,
    '--appendonly',
    options.appendOnly === false ? 'no' : 'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
    // Photo records are hashes of ~20 JSON fields, a few over Redis's 64-byte listpack default:
    // kept as listpacks they take about half the memory of a hashtable (docs/operations.md).
    '--hash-max-ziplist-value',
    '2048',
    '--daemonize',
    'no',
    '--pidfile',
    pidFile,
    '--loglevel',
    'warning',
    ...(options.replicaOf ? ['--replicaof', options.replicaOf.host, String(options.replicaOf.port)] : []),
  ];
  if (options.password) {
    // In a file only its owner reads, never on the command line (which every local user can read).
    const conf = join(options.dataDir, 'auth.conf');
    await writeFile(conf, `requirepass ${options.password}\nmasterauth ${options.password}\n`, {
      mode: 0o600,
    });
    args.unshift(conf);
  }
  const child = spawnCommand(
    bin,
    args,
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    options.launcher,
  );
  const output = tailOutput(child);
  let earlyExit = false;
  child.once('exit', () => {
    earlyExit = true;
  });
  try {
    await waitFor(
      async () => {
        if (earlyExit) throw new Error('exited');
        return pingRedisPort(port, host, options.password);
      },
      { what: `redis-server on port ${port}`, timeoutMs: 20_000 },
    );
  } catch {
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}:\n${output().trim()}`);
  }
  return {
    url: `redis://${host}:${port}`,
    port,
    host,
    process: child,
    kill: () => child.kill('SIGKILL'),
    // redis-server shuts down gracefully on SIGTERM, flushing the AOF.
    stop: () => stopChild(child, 10_000),
  };
}

import { execFileSync, spawnSync } from 'node:child_process';
import { REDIS_INSTALL_HINT, whichRedisServer } from '@lightbox/embedded';

/**
 * Makes sure `redis-server` is on PATH. As root on Debian/Ubuntu it installs Debian's package;
 * otherwise it explains what to do and fails.
 */
export function ensureRedisServer(say: (line: string) => void): string {
  const found = whichRedisServer();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (isRoot && hasApt) {
    say(
      'redis-server is missing: installing Debian package redis-server (apt-get install -y redis-server) …',
    );
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const installed = whichRedisServer();
    if (installed) return installed;
  }
  throw new Error(
    `${REDIS_INSTALL_HINT}${isRoot ? '' : '\n(Lightbox installs it itself only when run as root on Debian/Ubuntu.)'}`,
  );
}

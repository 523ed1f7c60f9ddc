import { readFile } from 'node:fs/promises';

/** True while a process with this pid exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The pid in a pid file, when that process is alive and its command line contains `command` (so a
 * pid reused by another program is never taken for ours). Without /proc the pid file is trusted.
 */
export async function livePidFrom(pidFile: string, command: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined;
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes(command) ? pid : undefined;
  } catch {
    return pid;
  }
}

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { livePidFrom, processAlive } from '@lightbox/embedded';

/** The supervisor's pid, in the data directory: what `lightbox stop` signals. */
export const pidFilePath = (dataDir: string) => join(dataDir, 'lightbox.pid');

/** The pid of the supervisor running on `dataDir`, if one is (never a pid reused by another program). */
export function runningSupervisor(dataDir: string): Promise<number | undefined> {
  return livePidFrom(pidFilePath(dataDir), 'lightbox');
}

/**
 * Writes this process's pid to the data directory, refusing when another supervisor runs there (two
 * would share one Redis AOF and one S3 directory). A file left by a supervisor that was killed is
 * replaced. `release` removes it, if it is still ours.
 */
export async function claimPidFile(dataDir: string): Promise<{ path: string; release(): Promise<void> }> {
  const path = pidFilePath(dataDir);
  const other = await runningSupervisor(dataDir);
  if (other !== undefined && other !== process.pid)
    throw new Error(
      `Lightbox is already running on ${dataDir} (pid ${other}); stop it with \`lightbox stop\`, or use another LIGHTBOX_DATA_DIR`,
    );
  await writeFile(path, `${process.pid}\n`, { mode: 0o644 });
  return {
    path,
    async release() {
      const current = await readFile(path, 'utf8').catch(() => '');
      if (current.trim() === String(process.pid)) await rm(path, { force: true });
    },
  };
}

/**
 * `lightbox stop`: SIGTERM to the supervisor named in the pid file, then waits until it has stopped
 * every process it started and exited. Returns the exit code.
 */
export async function stopSupervisor(
  dataDir: string,
  say: (line: string) => void,
  timeoutMs = 90_000,
): Promise<number> {
  const pid = await runningSupervisor(dataDir);
  if (pid === undefined) {
    say(`Lightbox is not running on ${dataDir} (no live supervisor in ${pidFilePath(dataDir)}).`);
    return 0;
  }
  say(`Stopping Lightbox (pid ${pid}; finishing active jobs) …`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (processAlive(pid)) {
    say(`Lightbox (pid ${pid}) is still stopping after ${Math.round(timeoutMs / 1000)} s.`);
    return 1;
  }
  say('Stopped.');
  return 0;
}

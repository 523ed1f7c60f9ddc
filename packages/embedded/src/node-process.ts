import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** The tsx loader, resolved from this package so children work from any working directory. */
export const TSX_LOADER_URL = import.meta.resolve('tsx');

/**
 * A command that runs another one somewhere else, e.g. `['ip', 'netns', 'exec', 'host-a']` to run
 * it in a network namespace (the multi-host chaos run). It must exec the command (same pid).
 */
export type Launcher = readonly string[];

/** Spawns `bin args…`, through `launcher` when one is given. */
export function spawnCommand(
  bin: string,
  args: string[],
  options: SpawnOptions,
  launcher?: Launcher,
): ChildProcess {
  if (!launcher || launcher.length === 0) return spawn(bin, args, options);
  const [head, ...rest] = launcher as [string, ...string[]];
  return spawn(head, [...rest, bin, ...args], options);
}

/** Spawns `node --import tsx <entry.ts> ...args`: how every Lightbox service process runs. */
export function spawnTypeScript(
  entry: string,
  args: string[],
  options: SpawnOptions,
  launcher?: Launcher,
): ChildProcess {
  return spawnCommand(process.execPath, ['--import', TSX_LOADER_URL, entry, ...args], options, launcher);
}

/** Stops a child process: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Keeps the last `limit` characters a child writes (stdout and stderr), for error messages. */
export function tailOutput(child: ChildProcess, limit = 4000): () => string {
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-limit);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => output;
}

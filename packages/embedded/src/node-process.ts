import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** The tsx loader, resolved from this package so children work from any working directory. */
export const TSX_LOADER_URL = import.meta.resolve('tsx');

/** Spawns `node --import tsx <entry.ts> ...args`: how every Lightbox service process runs. */
export function spawnTypeScript(entry: string, args: string[], options: SpawnOptions): ChildProcess {
  return spawn(process.execPath, ['--import', TSX_LOADER_URL, entry, ...args], options);
}

import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { IntakeResult, IntakeSource } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';

/** Suffixes of files an uploader is still writing. */
export const IN_PROGRESS_SUFFIXES = ['.tmp', '.part', '.filepart', '.crdownload', '.partial', '.uploading'];

export const PROCESSED_DIR = '_processed';
export const ERROR_DIR = '_error';

export interface HotFolderOptions {
  dir: string;
  feed: string;
  pollMs: number;
  accept: (path: string, source: IntakeSource) => Promise<IntakeResult>;
  log: Logger;
}

/** True for names the watcher must leave alone: hidden files, upload temporaries, its own folders. */
export function isIgnoredName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    name.startsWith('.') ||
    name.startsWith('_') ||
    lower.endsWith('.reason.txt') ||
    IN_PROGRESS_SUFFIXES.some((suffix) => lower.endsWith(suffix))
  );
}

interface Seen {
  size: number;
  mtimeMs: number;
}

/**
 * Watches one drop folder by polling (reliable on network and FUSE mounts, where inotify is not).
 * A file is taken only when its size and mtime were the same on two polls in a row. After a
 * successful hand-off (original in S3, job queued) it moves to `_processed/`; rejects move to
 * `_error/` with a `.reason.txt`. Files left by a previous run are picked up on start.
 */
export class HotFolderWatcher {
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: HotFolderOptions) {}

  /** Creates the folder and its `_processed/` and `_error/` sub-folders. */
  async prepare(): Promise<void> {
    await mkdir(join(this.options.dir, PROCESSED_DIR), { recursive: true });
    await mkdir(join(this.options.dir, ERROR_DIR), { recursive: true });
  }

  /** Prepares the folder and polls every `pollMs` until `stop()`. */
  async start(): Promise<void> {
    await this.prepare();
    this.schedule(0);
  }

  private schedule(delay: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .catch((err) =>
          this.options.log.error(
            { err: (err as Error).message, dir: this.options.dir },
            'hot folder poll failed',
          ),
        )
        .finally(() => this.schedule(this.options.pollMs));
    }, delay);
  }

  /** One pass over the folder. Public for tests. */
  async poll(): Promise<void> {
    const entries = await readdir(this.options.dir, { withFileTypes: true });
    const present = new Set<string>();
    for (const entry of entries) {
      if (this.stopped) return;
      if (!entry.isFile() || isIgnoredName(entry.name)) continue;
      const path = join(this.options.dir, entry.name);
      present.add(path);
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(path);
      } catch {
        continue; // vanished
      }
      const previous = this.seen.get(path);
      this.seen.set(path, { size: info.size, mtimeMs: info.mtimeMs });
      if (!previous || previous.size !== info.size || previous.mtimeMs !== info.mtimeMs) continue; // not stable yet
      await this.take(path);
    }
    for (const path of this.seen.keys()) if (!present.has(path)) this.seen.delete(path);
  }

  private async take(path: string): Promise<void> {
    const { log, feed } = this.options;
    const name = basename(path);
    let result: IntakeResult;
    try {
      result = await this.options.accept(path, { feed, filename: name });
    } catch (err) {
      // Storage or Redis trouble: leave the file where it is; the next poll tries again.
      log.warn({ file: name, err: (err as Error).message }, 'hand-off failed; will retry');
      return;
    }
    this.seen.delete(path);
    if (result.status === 'rejected') {
      const target = await this.moveTo(ERROR_DIR, path);
      await writeFile(`${target}.reason.txt`, `${result.reason ?? 'rejected'}\nphotoId: ${result.photoId}\n`);
      log.warn({ file: name, photoId: result.photoId, reason: result.reason }, 'hot folder file rejected');
      return;
    }
    await this.moveTo(PROCESSED_DIR, path);
    log.info(
      { file: name, photoId: result.photoId, duplicate: result.duplicate },
      'hot folder file accepted',
    );
  }

  /** Moves into a sub-folder, never overwriting an earlier file of the same name. */
  private async moveTo(folder: string, path: string): Promise<string> {
    const name = basename(path);
    let target = join(this.options.dir, folder, name);
    for (let n = 1; await exists(target); n++) target = join(this.options.dir, folder, `${n}-${name}`);
    await rename(path, target);
    return target;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntakeResult, IntakeSource } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';
import { PollLoop } from './poll-loop.js';
import { isSidecarName, sidecarStem } from './sidecar-names.js';

/** Suffixes of files an uploader is still writing. */
export const IN_PROGRESS_SUFFIXES = ['.tmp', '.part', '.filepart', '.crdownload', '.partial', '.uploading'];

export const PROCESSED_DIR = '_processed';
export const ERROR_DIR = '_error';

/** A sidecar left without its photo this long goes to `_error/`. */
export const ORPHAN_SIDECAR_MS = 60_000;

export interface HotFolderOptions {
  dir: string;
  feed: string;
  pollMs: number;
  /** After a successful hand-off: move to `_processed/` or delete. */
  after?: 'move' | 'delete';
  /** How long an image without a sidecar waits for one (NewsML-G2 `<name>.xml`). */
  sidecarWaitMs?: number;
  accept: (path: string, source: IntakeSource) => Promise<IntakeResult>;
  log: Logger;
  /** Clock, for tests. */
  now?: () => number;
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
  firstSeen: number;
  /** When size and mtime were first seen unchanged on a second poll. */
  stableSince?: number;
}

/**
 * Watches one drop folder by polling (reliable on network and FUSE mounts, where inotify is not).
 * A file is taken only when its size and mtime were the same on two polls in a row. An image with a
 * NewsML-G2 sidecar (same basename, `.xml`) is taken together with it; one without waits
 * `sidecarWaitMs` for it. After a successful hand-off (original in S3, job queued) files move to
 * `_processed/` (or are deleted); rejects move to `_error/` with a `.reason.txt`. Files left by a
 * previous run are picked up on start; exact duplicates are recognised by hash, never ingested twice.
 */
export class HotFolderWatcher {
  private readonly seen = new Map<string, Seen>();
  private readonly loop: PollLoop;
  private readonly now: () => number;

  constructor(private readonly options: HotFolderOptions) {
    this.loop = new PollLoop(
      () => this.poll(),
      this.options.pollMs,
      (err) => this.options.log.error({ err: err.message, dir: this.options.dir }, 'hot folder poll failed'),
    );
    this.now = options.now ?? Date.now;
  }

  /** Creates the folder and its `_processed/` and `_error/` sub-folders. */
  async prepare(): Promise<void> {
    await mkdir(join(this.options.dir, PROCESSED_DIR), { recursive: true });
    await mkdir(join(this.options.dir, ERROR_DIR), { recursive: true });
  }

  /** Prepares the folder and polls every `pollMs` until `stop()`. */
  async start(): Promise<void> {
    await this.prepare();
    this.loop.start();
  }

  /** Size and mtime of every candidate, with how long it has been stable. */
  private async observe(): Promise<Map<string, Seen>> {
    const now = this.now();
    const entries = await readdir(this.options.dir, { withFileTypes: true });
    const current = new Map<string, Seen>();
    for (const entry of entries) {
      if (!entry.isFile() || isIgnoredName(entry.name)) continue;
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(join(this.options.dir, entry.name));
      } catch {
        continue; // vanished
      }
      const previous = this.seen.get(entry.name);
      const same = previous && previous.size === info.size && previous.mtimeMs === info.mtimeMs;
      current.set(entry.name, {
        size: info.size,
        mtimeMs: info.mtimeMs,
        firstSeen: previous?.firstSeen ?? now,
        stableSince: same ? (previous.stableSince ?? now) : undefined,
      });
    }
    this.seen.clear();
    for (const [name, s] of current) this.seen.set(name, s);
    return current;
  }

  /** One pass over the folder. Public for tests. */
  async poll(): Promise<void> {
    const files = await this.observe();
    const now = this.now();
    const sidecars = new Map<string, string>();
    for (const name of files.keys()) if (isSidecarName(name)) sidecars.set(sidecarStem(name), name);
    const claimedSidecars = new Set<string>();

    for (const [name, seen] of files) {
      if (this.loop.stopped) return;
      if (isSidecarName(name) || seen.stableSince === undefined) continue;
      const sidecar = sidecars.get(sidecarStem(name));
      if (sidecar) {
        claimedSidecars.add(sidecar);
        if (files.get(sidecar)?.stableSince === undefined) continue; // sidecar still arriving
      } else if (now - seen.stableSince < (this.options.sidecarWaitMs ?? 0)) {
        continue; // give a sidecar a moment to arrive
      }
      await this.take(name, sidecar);
    }
    for (const sidecar of sidecars.values()) {
      const seen = files.get(sidecar);
      if (claimedSidecars.has(sidecar) || !seen?.stableSince || now - seen.firstSeen < ORPHAN_SIDECAR_MS)
        continue;
      await this.reject(
        [sidecar],
        'orphan_sidecar: a NewsML-G2 sidecar arrived without a photo of the same name',
      );
    }
  }

  private async take(name: string, sidecar: string | undefined): Promise<void> {
    const { log, feed, dir } = this.options;
    const path = join(dir, name);
    let result: IntakeResult;
    try {
      const source: IntakeSource = { feed, filename: name };
      if (sidecar) source.sidecar = await readFile(join(dir, sidecar));
      result = await this.options.accept(path, source);
    } catch (err) {
      // Storage or Redis trouble: leave the files where they are; the next poll tries again.
      log.warn({ file: name, err: (err as Error).message }, 'hand-off failed; will retry');
      return;
    }
    const names = sidecar ? [name, sidecar] : [name];
    for (const n of names) this.seen.delete(n);
    if (result.status === 'rejected' && !result.duplicate) {
      await this.reject(names, `${result.reason ?? 'rejected'}\nphotoId: ${result.photoId}`);
      log.warn({ file: name, photoId: result.photoId, reason: result.reason }, 'hot folder file rejected');
      return;
    }
    for (const n of names) {
      if (this.options.after === 'delete') await rm(join(dir, n), { force: true });
      else await this.moveTo(PROCESSED_DIR, n);
    }
    log.info(
      { file: name, sidecar, photoId: result.photoId, duplicate: result.duplicate, version: result.version },
      'hot folder file accepted',
    );
  }

  private async reject(names: string[], reason: string): Promise<void> {
    for (const n of names) {
      this.seen.delete(n);
      const target = await this.moveTo(ERROR_DIR, n);
      await writeFile(`${target}.reason.txt`, `${reason}\n`);
    }
  }

  /** Moves into a sub-folder, never overwriting an earlier file of the same name. */
  private async moveTo(folder: string, name: string): Promise<string> {
    let target = join(this.options.dir, folder, name);
    for (let n = 1; await exists(target); n++) target = join(this.options.dir, folder, `${n}-${name}`);
    await rename(join(this.options.dir, name), target);
    return target;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
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

import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IntakeRejection } from '@lightbox/catalog';
import { type IntakeResult, type IntakeSource, imageEnds, transmissionRefused } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';
import { isSidecarName, sidecarStem } from '@lightbox/newsml';
import { PollLoop } from './poll-loop.js';

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
  /** A file is taken once its size and modification time stayed the same this long (default 5 s). */
  quietMs?: number;
  /**
   * A file that is not a complete image (no JPEG end-of-image marker, no PNG IEND) is looked at
   * again until it stayed unchanged this long (default 60 s), then goes to `_error/`.
   */
  incompleteMs?: number;
  /** Larger files go to `_error/` at once (the upload limit). */
  maxBytes?: number;
  /** Files rejected after hand-off (a stage found the bytes unusable), to move from `_processed/` to `_error/`. */
  rejections?: { drain(feed: string, handle: (r: IntakeRejection) => Promise<void>): Promise<number> };
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
  /** When the file was first seen with this size and mtime. */
  since: number;
}

export const DEFAULT_QUIET_MS = 5000;
export const DEFAULT_INCOMPLETE_MS = 60_000;

/**
 * Watches one drop folder by polling (reliable on network and FUSE mounts, where inotify is not).
 * A file is taken only when its size and mtime stayed the same for `quietMs` and it is a complete
 * image; a writer that pauses mid-file is waited for. An image with a NewsML-G2 sidecar (same
 * basename, `.xml`) is taken together with it; one without waits `sidecarWaitMs` for it. After a
 * successful hand-off (original in S3, recorded, work queued) files move to `_processed/` (or are
 * deleted). Every file that ends rejected goes to `_error/` with a `.reason.txt`: at once when
 * intake refuses it or it is over the size limit, after `incompleteMs` when it never becomes a
 * whole image, and from `_processed/` when a stage rejects it later. Files left by a previous run
 * are picked up on start; exact duplicates are recognised by hash, never ingested twice.
 */
export class HotFolderWatcher {
  private readonly seen = new Map<string, Seen>();
  /** Files already logged as waiting to be whole, so the log says it once. */
  private readonly waitingLogged = new Set<string>();
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
        since: same ? previous.since : now,
      });
    }
    this.seen.clear();
    for (const [name, s] of current) this.seen.set(name, s);
    return current;
  }

  /** True once the file stayed unchanged for the quiet period. */
  private quiet(seen: Seen | undefined, now: number): boolean {
    return seen !== undefined && now - seen.since >= (this.options.quietMs ?? DEFAULT_QUIET_MS);
  }

  /** One pass over the folder. Public for tests. */
  async poll(): Promise<void> {
    await this.moveLateRejections();
    const files = await this.observe();
    const now = this.now();
    const sidecars = new Map<string, string>();
    for (const name of files.keys()) if (isSidecarName(name)) sidecars.set(sidecarStem(name), name);
    const claimedSidecars = new Set<string>();

    for (const [name, seen] of files) {
      if (this.loop.stopped) return;
      if (isSidecarName(name)) continue;
      const limit = this.options.maxBytes;
      if (limit !== undefined && seen.size > limit) {
        // Never read: a file over the limit (or a huge sparse one) goes at once.
        await this.reject([name], `too_large: ${seen.size} bytes exceeds the ${limit}-byte upload limit`);
        this.options.log.warn({ file: name, bytes: seen.size, limit }, 'hot folder file over the size limit');
        continue;
      }
      if (!this.quiet(seen, now)) continue;
      const sidecar = sidecars.get(sidecarStem(name));
      if (sidecar) {
        claimedSidecars.add(sidecar);
        if (!this.quiet(files.get(sidecar), now)) continue; // sidecar still arriving
      } else if (
        now - seen.since <
        (this.options.quietMs ?? DEFAULT_QUIET_MS) + (this.options.sidecarWaitMs ?? 0)
      ) {
        continue; // give a sidecar a moment to arrive
      }
      if (!(await this.whole(name, seen, now))) continue;
      await this.take(name, sidecar);
    }
    for (const sidecar of sidecars.values()) {
      const seen = files.get(sidecar);
      if (
        claimedSidecars.has(sidecar) ||
        !this.quiet(seen, now) ||
        now - (seen?.firstSeen ?? now) < ORPHAN_SIDECAR_MS
      )
        continue;
      await this.reject(
        [sidecar],
        'orphan_sidecar: a NewsML-G2 sidecar arrived without a photo of the same name',
      );
    }
  }

  /**
   * Whether a quiet file is a whole image. One that is not waits (a writer may resume), and after
   * `incompleteMs` unchanged goes to `_error/`.
   */
  private async whole(name: string, seen: Seen, now: number): Promise<boolean> {
    const path = join(this.options.dir, name);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      return false; // vanished meanwhile
    }
    // Whole as far as its bytes tell (intake's rule); formats that cannot tell are taken as they are.
    if (imageEnds(bytes) !== false) {
      this.waitingLogged.delete(name);
      return true;
    }
    const waitMs = this.options.incompleteMs ?? DEFAULT_INCOMPLETE_MS;
    if (now - seen.since >= waitMs) {
      await this.reject(
        [name],
        `truncated: the image has no end (no JPEG end-of-image marker / PNG IEND) and the file stayed unchanged for ${Math.round(waitMs / 1000)} s`,
      );
      this.waitingLogged.delete(name);
      this.options.log.warn({ file: name, bytes: seen.size }, 'hot folder file incomplete: moved to _error');
    } else if (!this.waitingLogged.has(name)) {
      this.waitingLogged.add(name);
      this.options.log.info(
        { file: name, bytes: seen.size },
        'hot folder file not a whole image yet: waiting',
      );
    }
    return false;
  }

  /** Files a stage rejected after hand-off leave `_processed/` for `_error/`, with the reason. */
  private async moveLateRejections(): Promise<void> {
    const { rejections, feed, dir, log } = this.options;
    if (!rejections) return;
    await rejections.drain(feed, async (r) => {
      const processed = await newestProcessed(join(dir, PROCESSED_DIR), r.filename);
      const reason = `${r.reason}\nphotoId: ${r.photoId}`;
      if (processed) {
        await this.moveTo(ERROR_DIR, join(PROCESSED_DIR, processed), r.filename, reason);
      } else {
        // Deleted after hand-off (`after: delete`) or moved away by hand: the reason still lands.
        await writeFile(join(dir, ERROR_DIR, `${r.filename}.reason.txt`), `${reason}\n`);
      }
      log.warn(
        { file: r.filename, photoId: r.photoId, reason: r.reason },
        'hot folder file rejected in processing',
      );
    });
  }

  private async take(name: string, sidecar: string | undefined): Promise<void> {
    const { log, feed, dir } = this.options;
    const path = join(dir, name);
    let result: IntakeResult;
    try {
      const source: IntakeSource = { feed, filename: name, route: 'hot-folder' };
      if (sidecar) source.sidecar = await readFile(join(dir, sidecar));
      result = await this.options.accept(path, source);
    } catch (err) {
      // Storage or Redis trouble: leave the files where they are; the next poll tries again.
      log.warn({ file: name, err: (err as Error).message }, 'hand-off failed; will retry');
      return;
    }
    const names = sidecar ? [name, sidecar] : [name];
    for (const n of names) this.seen.delete(n);
    if (transmissionRefused(result)) {
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
      await this.moveTo(ERROR_DIR, n, n, reason);
    }
  }

  /**
   * Moves into a sub-folder, never overwriting an earlier file of the same name. With a reason,
   * `<name>.reason.txt` is written first: whoever sees the file in `_error/` finds its reason.
   */
  private async moveTo(folder: string, from: string, name = from, reason?: string): Promise<string> {
    let target = join(this.options.dir, folder, name);
    const taken = async (t: string) =>
      (await exists(t)) || (reason !== undefined && (await exists(`${t}.reason.txt`)));
    for (let n = 1; await taken(target); n++) target = join(this.options.dir, folder, `${n}-${name}`);
    if (reason !== undefined) await writeFile(`${target}.reason.txt`, `${reason}\n`);
    await rename(join(this.options.dir, from), target);
    return target;
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}

/** The newest file in `_processed/` that is `name` or a numbered copy of it (`2-name`). */
async function newestProcessed(folder: string, name: string): Promise<string | undefined> {
  let best: { file: string; mtimeMs: number } | undefined;
  for (const file of await readdir(folder).catch(() => [] as string[])) {
    if (file !== name && !(file.endsWith(`-${name}`) && /^\d+$/.test(file.slice(0, -name.length - 1))))
      continue;
    const info = await stat(join(folder, file)).catch(() => undefined);
    if (info && (!best || info.mtimeMs >= best.mtimeMs)) best = { file, mtimeMs: info.mtimeMs };
  }
  return best?.file;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

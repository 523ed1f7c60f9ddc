import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { IntakeRejections } from '@lightbox/catalog';
import { type IntakeResult, type IntakeSource, transmissionRefused } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';
import { isSidecarName, sidecarStem } from '@lightbox/newsml';
import type { Redis } from '@lightbox/redis';
import { ObjectNotFoundError, type ObjectStore } from '@lightbox/storage';
import { PollLoop } from './poll-loop.js';

export interface S3InboxOptions {
  /** The inbox bucket. */
  store: ObjectStore;
  /** Key prefix to watch, '' or ending in '/'. */
  prefix: string;
  feed: string;
  redis: Redis;
  /** Lightbox's Redis key prefix. */
  redisPrefix: string;
  pollMs: number;
  /** Takes the object's bytes (`contentLength`: their length, so they go up in one PUT). */
  accept: (body: Readable, source: IntakeSource, contentLength?: number) => Promise<IntakeResult>;
  log: Logger;
  /** How long a claim protects an object being processed; a crashed claimant's objects are retried after it. */
  claimTtlMs?: number;
  /** Objects over this many bytes go to `_error/` as `too_large` without being read (the upload limit). */
  maxBytes?: number;
  /** Objects a stage rejected after hand-off, to move from `_processed/` to `_error/`. */
  rejections?: Pick<IntakeRejections, 'drain'>;
}

/** Sub-prefixes the poller writes to and never reads from. */
export const INBOX_PROCESSED = '_processed/';
export const INBOX_ERROR = '_error/';

/**
 * Polls an S3 prefix for new photos (as Guardian Grid ingests from S3). Each object is claimed in
 * Redis with `SET NX PX` before it is read, so with several ingest processes exactly one takes it;
 * a claimant that dies loses the claim after `claimTtlMs`, and the sha256 dedupe makes the retry
 * harmless. After a hand-off the object moves to `<prefix>_processed/` (rejects to
 * `<prefix>_error/` with a `.reason.txt` object). A NewsML-G2 sidecar with the same name travels
 * with its photo.
 */
export class S3InboxPoller {
  private readonly loop: PollLoop;
  private readonly consumer = randomUUID();

  constructor(private readonly options: S3InboxOptions) {
    this.loop = new PollLoop(
      () => this.poll(),
      this.options.pollMs,
      (err) =>
        this.options.log.error(
          { err: err.message, bucket: this.options.store.bucket },
          'S3 inbox poll failed',
        ),
    );
  }

  private claimKey(key: string) {
    return `${this.options.redisPrefix}:state:inbox-claim:${this.options.store.bucket}/${key}`;
  }

  start(): void {
    this.loop.start();
  }

  /** One pass over the prefix. Public for tests. */
  async poll(): Promise<void> {
    const { store, prefix } = this.options;
    const keys = (await store.list(prefix)).filter((k) => {
      const rest = k.slice(prefix.length);
      return (
        rest !== '' &&
        !rest.startsWith(INBOX_PROCESSED) &&
        !rest.startsWith(INBOX_ERROR) &&
        !rest.includes('/') &&
        !rest.startsWith('.')
      );
    });
    await this.moveLateRejections();
    const sidecars = new Map(keys.filter(isSidecarName).map((k) => [sidecarStem(k), k]));
    for (const key of keys) {
      if (this.loop.stopped) return;
      if (isSidecarName(key)) continue;
      await this.take(key, sidecars.get(sidecarStem(key)));
    }
  }

  private async take(key: string, sidecarKey: string | undefined): Promise<void> {
    const { store, redis, log, feed, prefix } = this.options;
    const claim = this.claimKey(key);
    const ok = await redis.set(claim, this.consumer, 'PX', this.options.claimTtlMs ?? 10 * 60_000, 'NX');
    if (ok !== 'OK') return; // another ingest process has it
    const name = key.slice(prefix.length);
    try {
      const size = (await store.head(key))?.size;
      if (size === undefined) return; // taken and moved by another process
      if (this.options.maxBytes !== undefined && size > this.options.maxBytes) {
        const reason = `too_large: the object has ${size} bytes; the limit is ${this.options.maxBytes}`;
        await this.moveTo(INBOX_ERROR, sidecarKey ? [key, sidecarKey] : [key], reason);
        await redis.set(claim, 'done', 'PX', 24 * 3600_000);
        log.warn({ object: key, reason }, 'S3 inbox object rejected');
        return;
      }
      let body: Buffer;
      try {
        body = await store.get(key);
      } catch (err) {
        if (err instanceof ObjectNotFoundError) return; // taken and moved by another process
        throw err;
      }
      const source: IntakeSource = { feed, filename: name };
      if (sidecarKey) source.sidecar = await store.get(sidecarKey);
      const result = await this.options.accept(Readable.from([body]), source, body.length);
      const rejected = transmissionRefused(result);
      await this.moveTo(
        rejected ? INBOX_ERROR : INBOX_PROCESSED,
        sidecarKey ? [key, sidecarKey] : [key],
        rejected ? `${result.reason ?? 'rejected'}\nphotoId: ${result.photoId}` : undefined,
      );
      // Keep the claim a while: a listing that still shows the object must not take it again.
      await redis.set(claim, 'done', 'PX', 24 * 3600_000);
      // `object`, not `key`: the logger redacts fields named key (secrets).
      log.info(
        { object: key, photoId: result.photoId, status: result.status, duplicate: result.duplicate },
        'S3 inbox object taken',
      );
    } catch (err) {
      await redis.del(claim);
      log.warn({ object: key, err: (err as Error).message }, 'S3 inbox hand-off failed; will retry');
    }
  }

  /** Objects a stage rejected after hand-off leave `_processed/` for `_error/`, with the reason. */
  private async moveLateRejections(): Promise<void> {
    const { rejections, feed, prefix, store, log } = this.options;
    if (!rejections) return;
    await rejections.drain(
      feed,
      async (r) => {
        const processed = `${prefix}${INBOX_PROCESSED}${r.filename}`;
        const reason = `${r.reason}\nphotoId: ${r.photoId}`;
        if (await store.head(processed)) {
          await store.copy(processed, `${prefix}${INBOX_ERROR}${r.filename}`);
          await store.delete(processed);
        }
        // Moved away by hand (or by another inbox of the feed): the reason still lands.
        await store.put(`${prefix}${INBOX_ERROR}${r.filename}.reason.txt`, `${reason}\n`, {
          contentType: 'text/plain; charset=utf-8',
        });
        log.warn(
          { object: r.filename, photoId: r.photoId, reason: r.reason },
          'S3 inbox object rejected in processing',
        );
      },
      100,
      's3-inbox',
    );
  }

  /** Moves objects under `<prefix><folder>`; with a reason, writes `<name>.reason.txt` beside the first. */
  private async moveTo(folder: string, keys: string[], reason?: string): Promise<void> {
    const { store, prefix } = this.options;
    for (const k of keys) {
      await store.copy(k, `${prefix}${folder}${k.slice(prefix.length)}`);
      await store.delete(k);
    }
    if (reason)
      await store.put(
        `${prefix}${folder}${(keys[0] as string).slice(prefix.length)}.reason.txt`,
        `${reason}\n`,
        {
          contentType: 'text/plain; charset=utf-8',
        },
      );
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}

import type { Readable } from 'node:stream';
import type { IntakeRejections } from '@lightbox/catalog';
import type { LightboxConfig } from '@lightbox/config';
import type { IntakeResult, IntakeSource } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';
import type { Redis } from '@lightbox/redis';
import type { StoredInbox } from '@lightbox/settings';
import { S3ObjectStore } from '@lightbox/storage';
import { S3InboxPoller } from './s3-inbox.js';

export interface InboxPollersDeps {
  config: Pick<LightboxConfig, 's3' | 'redisPrefix' | 's3InboxPollMs' | 'limits'>;
  redis: Redis;
  /** `contentLength`: the object's size, when S3 gave it (one PUT of a known length). */
  accept: (body: Readable, source: IntakeSource, contentLength?: number) => Promise<IntakeResult>;
  log: Logger;
  /** Objects a stage rejected after hand-off (moved from `_processed/` to `_error/`). */
  rejections?: Pick<IntakeRejections, 'drain'>;
}

interface Running {
  /** What the poller was started from: a change to any of it restarts the poller. */
  definition: string;
  poller: S3InboxPoller;
  store: S3ObjectStore;
}

/** What makes two inbox settings poll the same way (not who changed them, or when). */
const definitionOf = (i: StoredInbox) =>
  JSON.stringify([
    i.feed,
    i.bucket,
    i.prefix,
    i.priority,
    i.endpoint,
    i.region,
    i.accessKeyId,
    i.secretAccessKey,
  ]);

/**
 * The ingest service's S3 inbox pollers, kept in step with the runtime settings: `sync` starts a
 * poller for each new inbox, restarts one whose inbox changed, and stops (after its pass in flight)
 * one whose inbox was deleted. An inbox with its own endpoint or credentials gets its own client.
 */
export class InboxPollers {
  private readonly running = new Map<string, Running>();
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: InboxPollersDeps) {}

  /** Brings the pollers in line with `inboxes`; calls run one after another. */
  sync(inboxes: StoredInbox[]): Promise<void> {
    this.syncing = this.syncing.then(() => this.apply(inboxes));
    return this.syncing;
  }

  /** The inbox ids polled now. */
  ids(): string[] {
    return [...this.running.keys()].sort();
  }

  private async apply(inboxes: StoredInbox[]): Promise<void> {
    const wanted = new Map(inboxes.map((i) => [i.id, i]));
    for (const [id, running] of this.running) {
      const inbox = wanted.get(id);
      if (inbox && definitionOf(inbox) === running.definition) continue;
      await this.stopOne(id, running);
    }
    for (const inbox of inboxes) if (!this.running.has(inbox.id)) this.start(inbox);
  }

  private start(inbox: StoredInbox): void {
    const { config, redis, accept, log } = this.deps;
    const store = new S3ObjectStore({
      ...config.s3,
      ...(inbox.endpoint ? { endpoint: inbox.endpoint } : {}),
      ...(inbox.region ? { region: inbox.region } : {}),
      ...(inbox.accessKeyId
        ? { accessKeyId: inbox.accessKeyId, secretAccessKey: inbox.secretAccessKey }
        : {}),
      bucket: inbox.bucket,
    });
    const poller = new S3InboxPoller({
      store,
      prefix: inbox.prefix,
      feed: inbox.feed,
      redis,
      redisPrefix: config.redisPrefix,
      pollMs: config.s3InboxPollMs,
      maxBytes: config.limits.maxUploadBytes,
      ...(this.deps.rejections ? { rejections: this.deps.rejections } : {}),
      accept: (body, source, contentLength) =>
        accept(body, { ...source, route: 's3-inbox', priority: inbox.priority }, contentLength),
      log,
    });
    poller.start();
    this.running.set(inbox.id, { definition: definitionOf(inbox), poller, store });
    log.info(
      { inbox: inbox.id, bucket: inbox.bucket, prefix: inbox.prefix, feed: inbox.feed },
      'polling S3 inbox',
    );
  }

  private async stopOne(id: string, running: Running): Promise<void> {
    this.running.delete(id);
    await running.poller.stop();
    running.store.destroy();
    this.deps.log.info({ inbox: id }, 'S3 inbox no longer polled');
  }

  async stop(): Promise<void> {
    await this.syncing;
    for (const [id, running] of [...this.running]) await this.stopOne(id, running);
  }
}

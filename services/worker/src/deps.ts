import type { ActivityPublisher } from '@lightbox/activity';
import type { StoryArchive, UndecidedPhotoArchive } from '@lightbox/archive';
import type { IntakeRejections, PhotoCatalog, PhotoLifecycle, StoryCatalog } from '@lightbox/catalog';
import type { FeedHealth } from '@lightbox/feed-health';
import type { DuplicateOptions } from '@lightbox/gallery';
import type { RenderSettings } from '@lightbox/imaging';
import type { Logger } from '@lightbox/logger';
import type { MatchOptions } from '@lightbox/matching';
import type { LightboxMetrics } from '@lightbox/metrics';
import type { LifecycleWork } from '@lightbox/queue';
import type { Reconciler } from '@lightbox/recovery';
import type { ObjectStore } from '@lightbox/storage';
import type { PublishScheduler, StoryDesk } from '@lightbox/story-desk';
import type { WebhookNotifier, WebhookSender } from '@lightbox/webhooks';
import type { ExpirySweep } from './stages/expiry-sweep.js';
import type { FeedCheck } from './stages/feed-check.js';

/**
 * Everything the worker's stages may use from the outside world, each one small repository or
 * setting. No stage gets all of it: each declares the few it needs (`needs` in its file) and is
 * handed just those (`STAGE_BINDINGS`).
 */
export interface WorkerDeps {
  store: ObjectStore;
  photos: PhotoCatalog;
  /** The only writer of a photo's status (docs/lifecycle.md). */
  lifecycle: PhotoLifecycle;
  /** Queues what a lifecycle change sets off, and each photo's next step (the pipeline table). */
  work: LifecycleWork;
  /** Hot-folder files rejected after hand-off, for their watcher. */
  intakeRejections: IntakeRejections;
  stories: StoryCatalog;
  log: Logger;
  render: RenderSettings;
  matchOptions: MatchOptions;
  galleries: DuplicateOptions;
  publishing: PublishScheduler;
  /** Least time between two publishes of one story (see PublishScheduler). */
  publishSpacingMs: number;
  desk: StoryDesk;
  /** Moves closed stories' state to S3 (archive stage). */
  archive: StoryArchive;
  /** Moves photos no story claimed to S3 after `undecidedRetentionMs` (0: keep them). */
  undecidedArchive: UndecidedPhotoArchive;
  undecidedRetentionMs: number;
  /** Puts back what Redis lost from object storage (archive queue, `sweep: reconcile`). */
  reconciler: Reconciler;
  /** Acceptances younger than this are left to their upload. */
  reconcileGraceMs: number;
  /** Expires photos whose licence ran out (a repeating job on the release queue). */
  expirySweep: ExpirySweep;
  /** Each feed's counts (a stage's rejection counts against its feed). */
  feedHealth: FeedHealth;
  /** Judges feed health and tells subscribers (a repeating job on the release queue). */
  feedCheck: FeedCheck;
  webhooks: WebhookNotifier;
  webhookSender: WebhookSender;
  /** Live feed and dashboard numbers; publishing never fails a job. */
  activity: ActivityPublisher;
  metrics?: LightboxMetrics;
}

/** The dependencies named by a stage's `needs`. */
export type Needs<K extends readonly (keyof WorkerDeps)[]> = Pick<WorkerDeps, K[number]>;

/** Only the named dependencies, so a stage cannot reach one it did not declare. */
export function pick<K extends keyof WorkerDeps>(deps: WorkerDeps, needs: readonly K[]): Pick<WorkerDeps, K> {
  return Object.fromEntries(needs.map((k) => [k, deps[k]])) as Pick<WorkerDeps, K>;
}

import type { ConnectedConfig } from '@lightbox/config';
import { AcceptanceLog, PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import type { Logger } from '@lightbox/logger';
import { LifecycleWork } from '@lightbox/queue';
import { type Lightbox, openLightbox } from '@lightbox/runtime';
import {
  createStoryDesk,
  type PublishScheduler,
  type StoryCopies,
  type StoryDesk,
} from '@lightbox/story-desk';
import { Reconciler } from './reconciler.js';

/** What the reconciler needs besides `Lightbox`: the desk that adopts stories, and a logger. */
export interface ReconcileParts {
  desk: StoryDesk;
  publishing: PublishScheduler;
  copies: StoryCopies;
  log: Logger;
}

/**
 * The reconciler over a process's connections: replays go through an intake of their own, deciding
 * as the API's does, provenance checks included.
 */
export async function buildReconciler(lightbox: Lightbox, parts: ReconcileParts): Promise<Reconciler> {
  const { config, store, queues, photos, lifecycle, audit } = lightbox;
  const acceptances = new AcceptanceLog(store);
  const intake = new PhotoIntake({
    store,
    photos,
    lifecycle,
    work: new LifecycleWork(queues, (storyId) => parts.publishing.schedule(storyId)),
    audit,
    acceptances,
    provenance: await ProvenanceStep.create({
      trustAnchors: config.c2paTrustAnchors,
      store,
      feedRules: config.feedRules,
    }),
    maxBytes: config.limits.maxUploadBytes,
    maxInputPixels: config.limits.maxInputPixels,
  });
  return new Reconciler({ ...lightbox, ...parts, prefix: config.redisPrefix, acceptances, intake });
}

/** A reconciler with connections of its own, from config: `lightbox reconcile`. */
export async function openReconciler(
  config: ConnectedConfig,
  log: Logger,
): Promise<{ reconciler: Reconciler; close(): Promise<void> }> {
  // Like any process start: a Redis that lost everything gets its schema marker back first.
  const lightbox = await openLightbox(config, { name: 'reconcile', log });
  const { stories, photos, lifecycle, queues, audit, store } = lightbox;
  const desk = createStoryDesk({ stories, photos, lifecycle, queues, audit, store }, config);
  return { reconciler: await buildReconciler(lightbox, { ...desk, log }), close: () => lightbox.close() };
}

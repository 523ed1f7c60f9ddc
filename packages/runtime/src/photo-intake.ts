import { ActivityPublisher } from '@lightbox/activity';
import { AcceptanceLog, PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import type { Lightbox } from './open-lightbox.js';

/**
 * Intake as the API and the ingest service run it: the provenance step (C2PA trust anchors, feed
 * rules), the acceptance records in object storage and the wait for Redis replicas (acknowledged
 * means durable), the live feed's `received` events, the upload and pixel limits.
 */
export async function photoIntake({
  config,
  redis,
  store,
  photos,
  lifecycle,
  work,
  audit,
  feedHealth,
  replicaAcks,
}: Lightbox): Promise<PhotoIntake> {
  return new PhotoIntake({
    store,
    photos,
    lifecycle,
    work,
    audit,
    acceptances: new AcceptanceLog(store),
    replicaAcks,
    provenance: await ProvenanceStep.create({
      trustAnchors: config.c2paTrustAnchors,
      store,
      feedRules: config.feedRules,
    }),
    feedRules: config.feedRules,
    arrivals: feedHealth,
    activity: new ActivityPublisher(redis, config.redisPrefix),
    maxBytes: config.limits.maxUploadBytes,
    maxInputPixels: config.limits.maxInputPixels,
  });
}

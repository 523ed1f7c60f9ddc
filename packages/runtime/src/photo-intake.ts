import { join } from 'node:path';
import { AcceptanceLog, PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import type { Lightbox } from './open-lightbox.js';

/**
 * Intake as the API and the ingest service run it: the provenance step (C2PA trust anchors, feed
 * rules), the acceptance records in object storage and the wait for Redis replicas (acknowledged
 * means durable), spooling under the data dir, the upload limit.
 */
export async function photoIntake({
  config,
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
    spoolDir: join(config.dataDir, 'spool'),
    maxBytes: config.limits.maxUploadBytes,
  });
}

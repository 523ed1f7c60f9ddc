import { join } from 'node:path';
import { PhotoIntake, ProvenanceStep } from '@lightbox/intake';
import type { Lightbox } from './open-lightbox.js';

/**
 * Intake as the API and the ingest service run it: the provenance step (C2PA trust anchors, feed
 * rules), spooling under the data dir, the upload limit.
 */
export async function photoIntake({
  config,
  store,
  photos,
  lifecycle,
  work,
  audit,
  feedHealth,
}: Lightbox): Promise<PhotoIntake> {
  return new PhotoIntake({
    store,
    photos,
    lifecycle,
    work,
    audit,
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

import { join } from 'node:path';
import { PhotoIntake } from '@lightbox/intake';
import type { Lightbox } from './open-lightbox.js';

/** Intake as the API and the ingest service run it: spooling under the data dir, the upload limit. */
export function photoIntake({ config, store, photos, lifecycle, work, audit }: Lightbox): PhotoIntake {
  return new PhotoIntake({
    store,
    photos,
    lifecycle,
    work,
    audit,
    spoolDir: join(config.dataDir, 'spool'),
    maxBytes: config.limits.maxUploadBytes,
  });
}

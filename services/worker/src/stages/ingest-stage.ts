import { type JobPayloads, RejectedInputError } from '@lightbox/contracts';
import { ImageInputError, probeImage } from '@lightbox/imaging';
import { readPhotoMetadata } from '@lightbox/metadata';
import { jobIdFor } from '@lightbox/queue';
import type { StageDeps } from './deps.js';
import { rejectPhoto } from './reject.js';

/**
 * ingest: reads the original's header and embedded metadata into the normalised record, rejects
 * what is not a usable image, and hands the photo to render.
 */
export class IngestStage {
  constructor(private readonly deps: StageDeps) {}

  async handle({ photoId }: JobPayloads['ingest']): Promise<void> {
    const { photos, store, queues, log } = this.deps;
    const photo = await photos.require(photoId);
    if (photo.status === 'rejected' || photo.status === 'killed') return;

    const original = await store.get(photo.originalKey);
    let probe: Awaited<ReturnType<typeof probeImage>>;
    try {
      probe = await probeImage(original, this.deps.maxInputPixels);
    } catch (err) {
      if (err instanceof ImageInputError)
        await rejectPhoto(photos, photoId, new RejectedInputError(err.code, err.message));
      throw err;
    }
    const { metadata, warnings } = await readPhotoMetadata(original);
    metadata.width = probe.displayWidth;
    metadata.height = probe.displayHeight;
    if (probe.orientation !== undefined) metadata.orientation = probe.orientation;
    for (const warning of warnings) log.warn({ photoId, warning }, 'metadata warning');

    await photos.update(photoId, { status: 'processing', metadata });
    await queues.add('render', { photoId }, { jobId: jobIdFor(photoId) });
  }
}

import { clip } from '@lightbox/activity';
import { type JobPayloads, RejectedInputError } from '@lightbox/contracts';
import { ImageInputError, probeImage } from '@lightbox/imaging';
import { FINAL_STATUSES } from '@lightbox/lifecycle';
import { addLogContext } from '@lightbox/logger';
import { mergeMetadata, readPhotoMetadata } from '@lightbox/metadata';
import { jobIdFor, priorityOptions } from '@lightbox/queue';
import type { StageDeps } from './deps.js';
import { rejectPhoto } from './reject.js';

/**
 * ingest: checks that the current version's original is an image Lightbox can use (format,
 * dimensions, pixel limit, orientation) and hands the photo to render; unusable bytes end the
 * photo `rejected` with the reason. Intake already recorded the metadata, embargo and restrictions.
 */
export class IngestStage {
  constructor(private readonly deps: StageDeps) {}

  async handle({ photoId }: JobPayloads['ingest']): Promise<void> {
    const { photos, store, queues, log } = this.deps;
    const photo = await photos.require(photoId);
    addLogContext({ feed: photo.feed });
    if (FINAL_STATUSES.has(photo.status)) return;

    const original = await store.get(photo.originalKey);
    let probe: Awaited<ReturnType<typeof probeImage>>;
    try {
      probe = await probeImage(original, this.deps.maxInputPixels);
    } catch (err) {
      if (err instanceof ImageInputError)
        await rejectPhoto(this.deps, photo, new RejectedInputError(err.code, err.message));
      throw err;
    }
    // Records accepted before intake read metadata (an upgrade with work in flight) are read here.
    let metadata = photo.metadata;
    if (!metadata) {
      const { metadata: embedded, warnings } = await readPhotoMetadata(original);
      for (const warning of warnings) log.warn({ photoId, warning }, 'metadata warning');
      metadata = photo.sidecar ? mergeMetadata(embedded, photo.sidecar) : embedded;
    }
    metadata = {
      ...metadata,
      width: probe.displayWidth,
      height: probe.displayHeight,
      ...(probe.orientation !== undefined ? { orientation: probe.orientation } : {}),
    };
    const written = await photos.update(
      photoId,
      { metadata },
      { version: photo.version, notIn: [...FINAL_STATUSES] },
    );
    if (!written) return; // a newer version or a kill came meanwhile: its own jobs carry on
    await queues.add(
      'render',
      { photoId },
      { jobId: jobIdFor(photoId, `v${photo.version}`), ...priorityOptions(photo.priority) },
    );
    await this.deps.activity.publish({
      kind: 'received',
      at: new Date().toISOString(),
      photoId,
      feed: photo.feed,
      caption: clip(metadata.caption ?? metadata.headline),
      credit: metadata.creditLine ?? metadata.credit,
    });
  }
}

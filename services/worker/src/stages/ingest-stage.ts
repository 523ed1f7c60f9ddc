import { clip } from '@lightbox/activity';
import { type JobPayloads, type Photo, RejectedInputError } from '@lightbox/contracts';
import { ImageInputError, probeImage } from '@lightbox/imaging';
import { addLogContext } from '@lightbox/logger';
import { mergeMetadata, readPhotoMetadata } from '@lightbox/metadata';
import { jobIdFor } from '@lightbox/queue';
import { interpretTransmission } from '@lightbox/wire-rules';
import type { StageDeps } from './deps.js';
import { rejectPhoto } from './reject.js';

/**
 * ingest: reads the current version's original into the normalised record (embedded metadata,
 * then the NewsML-G2 sidecar's fields over it), notes restrictions and embargoes, rejects what is
 * not a usable image, and hands the photo to render. For a killed photo it removes the renditions
 * and republishes its gallery instead.
 */
export class IngestStage {
  constructor(private readonly deps: StageDeps) {}

  async handle({ photoId }: JobPayloads['ingest']): Promise<void> {
    const { photos, store, queues, log } = this.deps;
    const photo = await photos.require(photoId);
    addLogContext({ feed: photo.feed });
    if (photo.status === 'killed') return this.removeKilled(photo);
    if (photo.status === 'rejected') return;

    const original = await store.get(photo.originalKey);
    let probe: Awaited<ReturnType<typeof probeImage>>;
    try {
      probe = await probeImage(original, this.deps.maxInputPixels);
    } catch (err) {
      if (err instanceof ImageInputError)
        await rejectPhoto(photos, photoId, new RejectedInputError(err.code, err.message), this.deps.activity);
      throw err;
    }
    const { metadata: embedded, warnings } = await readPhotoMetadata(original);
    const metadata =
      photo.sidecar && Object.keys(photo.sidecar).length > 0
        ? mergeMetadata(embedded, photo.sidecar)
        : embedded;
    metadata.width = probe.displayWidth;
    metadata.height = probe.displayHeight;
    if (probe.orientation !== undefined) metadata.orientation = probe.orientation;
    for (const warning of warnings) log.warn({ photoId, warning }, 'metadata warning');

    const meaning = interpretTransmission(metadata);
    const embargoUntil =
      meaning.embargo.state === 'until' && Date.parse(meaning.embargo.until) > Date.now()
        ? meaning.embargo.until
        : null;
    const hold =
      meaning.embargo.state === 'unreadable'
        ? `embargo time not understood: "${meaning.embargo.text}"`
        : null;
    await photos.update(photoId, {
      status: 'processing',
      metadata,
      restrictions: meaning.restrictions,
      embargoUntil,
      hold,
      error: null,
    });
    await queues.add('render', { photoId }, { jobId: jobIdFor(photoId, `v${photo.version}`) });
    await this.deps.activity.publish({
      kind: 'received',
      at: new Date().toISOString(),
      photoId,
      feed: photo.feed,
      caption: clip(metadata.caption ?? metadata.headline),
      credit: metadata.creditLine ?? metadata.credit,
    });
  }

  /** A kill: renditions leave S3 and the photo leaves its gallery within one publish cycle. */
  private async removeKilled(photo: Photo): Promise<void> {
    const { store, photos, stories, log } = this.deps;
    await Promise.all((photo.renditions ?? []).map((r) => store.delete(r.key)));
    if (photo.renditions) await photos.update(photo.photoId, { renditions: null, placeholder: null });
    await photos.stopAwaitingStory(photo.photoId);
    if (photo.storyId) {
      await stories.removePhoto(photo.storyId, photo.photoId);
      await this.deps.publishing.schedule(photo.storyId);
    }
    await this.deps.activity.publish({
      kind: 'killed',
      at: new Date().toISOString(),
      photoId: photo.photoId,
      storyId: photo.storyId,
      reason: photo.killed?.reason ?? 'kill notice',
    });
    await this.deps.webhooks.notify('photo.killed', {
      photoId: photo.photoId,
      storyId: photo.storyId ?? null,
      reason: photo.killed?.reason ?? 'kill notice',
      killedAt: photo.killed?.at ?? new Date().toISOString(),
    });
    log.info(
      { photoId: photo.photoId, storyId: photo.storyId, reason: photo.killed?.reason },
      'photo killed: renditions removed',
    );
  }
}

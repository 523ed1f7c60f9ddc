import {
  type JobPayloads,
  objectKeys,
  type Photo,
  type PhotoMetadata,
  RejectedInputError,
  type Rendition,
} from '@lightbox/contracts';
import {
  FORMAT_CONTENT_TYPES,
  FORMAT_EXTENSIONS,
  headerMismatch,
  ImageInputError,
  type ImageProbe,
  probeImage,
  type RenderedPhoto,
  renderOriginal,
  withDecodedSize,
} from '@lightbox/imaging';
import { FINAL_STATUSES, WAITING_STATUSES } from '@lightbox/lifecycle';
import { addLogContext } from '@lightbox/logger';
import { mergeMetadata, readPhotoMetadata } from '@lightbox/metadata';
import type { StageJobContext } from '@lightbox/queue';
import type { Needs } from '../deps.js';
import { REJECT_NEEDS, rejectPhoto } from './reject.js';

export const RENDER_NEEDS = ['photos', 'store', 'render', ...REJECT_NEEDS] as const;

/** Statuses in which a photo's renditions must not exist at public URLs. */
const NOT_PUBLIC = [...FINAL_STATUSES, ...WAITING_STATUSES];

/**
 * render: the one stage that reads the original: one download, one decode, every rendition,
 * uploaded to `renditions/<photoId>/<name>.<ext>`. Intake read the metadata and the image header;
 * the header of the bytes downloaded must agree with what it recorded, or the photo is rejected
 * with the difference as the reason. A photo waiting for its embargo or an editor is not rendered:
 * its renditions would be readable at a public URL before release. The lifecycle queues the render
 * when it is released.
 */
export class RenderStage {
  constructor(private readonly deps: Needs<typeof RENDER_NEEDS>) {}

  async handle({ photoId }: JobPayloads['render'], context: Pick<StageJobContext, 'jobId'>): Promise<void> {
    const { photos, store, work } = this.deps;
    const photo = await photos.require(photoId);
    addLogContext({ feed: photo.feed });
    if (NOT_PUBLIC.includes(photo.status)) return;

    const original = await store.get(photo.originalKey);
    let rendered: RenderedPhoto;
    let probe: ImageProbe;
    try {
      probe = await probeImage(original, this.deps.render.maxInputPixels);
      const m = photo.metadata;
      const mismatch =
        photo.probe &&
        headerMismatch(
          { header: photo.probe, width: m?.width, height: m?.height, orientation: m?.orientation },
          probe,
        );
      if (mismatch)
        return await rejectPhoto(this.deps, photo, new RejectedInputError('probe_mismatch', mismatch));
      rendered = await renderOriginal(original, photo, this.deps.render, probe);
    } catch (err) {
      if (err instanceof ImageInputError)
        await rejectPhoto(this.deps, photo, new RejectedInputError(err.code, err.message));
      throw err;
    }
    // Checked again before uploading: a kill or embargo may have come while rendering.
    const current = await photos.require(photoId);
    if (current.version !== photo.version || NOT_PUBLIC.includes(current.status)) return;

    const renditions: Rendition[] = await Promise.all(
      rendered.renditions.map(async (r) => {
        const key = objectKeys.rendition(photoId, r.name, FORMAT_EXTENSIONS[r.format]);
        await store.put(key, r.data, {
          contentType: FORMAT_CONTENT_TYPES[r.format],
          cacheControl: 'public, max-age=3600',
        });
        return {
          name: r.name,
          key,
          width: r.width,
          height: r.height,
          format: r.format,
          bytes: r.data.length,
        };
      }),
    );
    const written = await photos.update(
      photoId,
      {
        renditions,
        placeholder: rendered.placeholder,
        phash: rendered.phash,
        ...(photo.probe ? {} : { metadata: await this.legacyMetadata(photo, original, probe) }),
      },
      { version: photo.version, notIn: NOT_PUBLIC },
    );
    if (!written) {
      // Killed, embargoed or held while uploading: what was just written goes (the take-down
      // may have run already). A newer version's render overwrites these keys itself.
      const now = await photos.require(photoId);
      if (NOT_PUBLIC.includes(now.status)) await Promise.all(renditions.map((r) => store.delete(r.key)));
      return;
    }
    // Accepted by an earlier release during an upgrade: filed in the search index by number now.
    if (photo.seq === undefined) await photos.reindex(photoId);
    await work.advance('render', photo, context.jobId);
  }

  /**
   * A record accepted by a release before intake read the image header (an upgrade with work in
   * flight): its size and orientation from the bytes just decoded, its metadata read from them when
   * it has none.
   */
  private async legacyMetadata(photo: Photo, original: Buffer, probe: ImageProbe): Promise<PhotoMetadata> {
    let metadata = photo.metadata;
    if (!metadata) {
      const { metadata: embedded } = await readPhotoMetadata(original);
      metadata = photo.sidecar ? mergeMetadata(embedded, photo.sidecar) : embedded;
    }
    return withDecodedSize(metadata, probe);
  }
}

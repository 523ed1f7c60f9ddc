import {
  type JobPayloads,
  objectKeys,
  type PhotoMetadata,
  RejectedInputError,
  type Rendition,
} from '@lightbox/contracts';
import {
  FORMAT_CONTENT_TYPES,
  FORMAT_EXTENSIONS,
  ImageInputError,
  renderRenditions,
} from '@lightbox/imaging';
import { jobIdFor } from '@lightbox/queue';
import type { StageDeps } from './deps.js';
import { rejectPhoto } from './reject.js';

/** The credit a watermark shows: the printed credit line, else credit, byline or source. */
export function watermarkTextFor(metadata: PhotoMetadata | undefined): string | undefined {
  return metadata?.creditLine ?? metadata?.credit ?? metadata?.byline ?? metadata?.source;
}

/** render: one decode, every rendition, uploaded to `renditions/<photoId>/<name>.<ext>`. */
export class RenderStage {
  constructor(private readonly deps: StageDeps) {}

  async handle({ photoId }: JobPayloads['render']): Promise<void> {
    const { photos, store, queues } = this.deps;
    const photo = await photos.require(photoId);
    if (photo.status === 'rejected' || photo.status === 'killed') return;

    const original = await store.get(photo.originalKey);
    let rendered: Awaited<ReturnType<typeof renderRenditions>>;
    try {
      rendered = await renderRenditions(original, {
        renditions: this.deps.renditions,
        watermarkText: watermarkTextFor(photo.metadata),
        maxInputPixels: this.deps.maxInputPixels,
      });
    } catch (err) {
      if (err instanceof ImageInputError)
        await rejectPhoto(photos, photoId, new RejectedInputError(err.code, err.message));
      throw err;
    }

    const renditions: Rendition[] = await Promise.all(
      rendered.map(async (r) => {
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
    await photos.update(photoId, { renditions });
    await queues.add('match', { photoId }, { jobId: jobIdFor(photoId) });
  }
}

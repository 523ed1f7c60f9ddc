import {
  type JobPayloads,
  objectKeys,
  type Photo,
  type PhotoMetadata,
  RejectedInputError,
  type Rendition,
  type RenditionSpec,
  type WatermarkConfig,
} from '@lightbox/contracts';
import {
  FORMAT_CONTENT_TYPES,
  FORMAT_EXTENSIONS,
  ImageInputError,
  type RenderedPhoto,
  renderPhoto,
  resolveWatermark,
} from '@lightbox/imaging';
import { addLogContext } from '@lightbox/logger';
import { rightsFromMetadata } from '@lightbox/metadata';
import { jobIdFor } from '@lightbox/queue';
import type { StageDeps } from './deps.js';
import { rejectPhoto } from './reject.js';

/** The credit a watermark shows: the printed credit line, else credit, byline or source. */
export function watermarkTextFor(metadata: PhotoMetadata | undefined): string | undefined {
  return metadata?.creditLine ?? metadata?.credit ?? metadata?.byline ?? metadata?.source;
}

export interface RenderSettings {
  renditions: readonly RenditionSpec[];
  watermark?: WatermarkConfig;
  /** Logo PNGs by configured path, loaded at start-up. */
  logos: ReadonlyMap<string, Buffer>;
  maxInputPixels: number;
}

/**
 * What the render stage does to an original, without the I/O: resolve the photo's watermark from
 * the feed/agency rules, then make every rendition (with rights metadata) and the placeholder.
 * The render benchmark runs exactly this.
 */
export function renderOriginal(
  original: Buffer,
  photo: Pick<Photo, 'feed' | 'metadata'>,
  settings: RenderSettings,
): Promise<RenderedPhoto> {
  const m = photo.metadata;
  const watermark = resolveWatermark(
    settings.watermark,
    {
      feed: photo.feed,
      agency: m?.agency,
      credit: watermarkTextFor(m),
      photographer: m?.parsedCredit?.photographer ?? m?.byline,
      source: m?.source,
    },
    settings.logos,
  );
  return renderPhoto(original, {
    renditions: settings.renditions,
    watermark,
    rights: rightsFromMetadata(m),
    maxInputPixels: settings.maxInputPixels,
  });
}

/** render: one decode, every rendition, uploaded to `renditions/<photoId>/<name>.<ext>`. */
export class RenderStage {
  constructor(private readonly deps: StageDeps) {}

  async handle({ photoId }: JobPayloads['render']): Promise<void> {
    const { photos, store, queues } = this.deps;
    const photo = await photos.require(photoId);
    addLogContext({ feed: photo.feed });
    if (photo.status === 'rejected' || photo.status === 'killed') return;

    const original = await store.get(photo.originalKey);
    let rendered: RenderedPhoto;
    try {
      rendered = await renderOriginal(original, photo, this.deps.render);
    } catch (err) {
      if (err instanceof ImageInputError)
        await rejectPhoto(photos, photoId, new RejectedInputError(err.code, err.message), this.deps.activity);
      throw err;
    }

    // A newer version arrived while rendering: its own job renders it; do not overwrite with this one.
    const current = await photos.require(photoId);
    if (current.version !== photo.version || current.status === 'killed' || current.status === 'rejected')
      return;

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
    await photos.update(photoId, { renditions, placeholder: rendered.placeholder, phash: rendered.phash });
    // Killed while uploading: remove what was just written (the kill's cleanup may have run already).
    if ((await photos.require(photoId)).status === 'killed') {
      await Promise.all(renditions.map((r) => store.delete(r.key)));
      await photos.update(photoId, { renditions: null, placeholder: null });
      return;
    }
    // Embargoed photos are held here: matching (and so publishing) waits until the embargo lifts.
    const delay = photo.embargoUntil ? Math.max(0, Date.parse(photo.embargoUntil) - Date.now()) : 0;
    await queues.add('match', { photoId }, { jobId: jobIdFor(photoId, `v${photo.version}`), delay });
  }
}

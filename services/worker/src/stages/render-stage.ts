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
import { FINAL_STATUSES, WAITING_STATUSES } from '@lightbox/lifecycle';
import { addLogContext } from '@lightbox/logger';
import { rightsFromMetadata } from '@lightbox/metadata';
import { jobIdFor, priorityOptions } from '@lightbox/queue';
import { mostSyntheticSourceType } from '@lightbox/wire-rules';
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
  photo: Pick<Photo, 'feed' | 'metadata' | 'provenance'>,
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
    // The source type that counts: a signed manifest's more synthetic statement wins over the XMP.
    rights: rightsFromMetadata(m, {
      digitalSourceType: mostSyntheticSourceType(
        m?.digitalSourceType,
        photo.provenance?.c2pa.digitalSourceType,
      )?.uri,
    }),
    maxInputPixels: settings.maxInputPixels,
  });
}

/** Statuses in which a photo's renditions must not exist at public URLs. */
const NOT_PUBLIC = [...FINAL_STATUSES, ...WAITING_STATUSES];

/**
 * render: one decode, every rendition, uploaded to `renditions/<photoId>/<name>.<ext>`. A photo
 * waiting for its embargo or an editor is not rendered: its renditions would be readable at a
 * public URL before release. The lifecycle queues the render when it is released.
 */
export class RenderStage {
  constructor(private readonly deps: StageDeps) {}

  async handle({ photoId }: JobPayloads['render']): Promise<void> {
    const { photos, store, queues } = this.deps;
    const photo = await photos.require(photoId);
    addLogContext({ feed: photo.feed });
    if (NOT_PUBLIC.includes(photo.status)) return;

    const original = await store.get(photo.originalKey);
    let rendered: RenderedPhoto;
    try {
      rendered = await renderOriginal(original, photo, this.deps.render);
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
      { renditions, placeholder: rendered.placeholder, phash: rendered.phash },
      { version: photo.version, notIn: NOT_PUBLIC },
    );
    if (!written) {
      // Killed, embargoed or held while uploading: what was just written goes (the take-down
      // may have run already). A newer version's render overwrites these keys itself.
      const now = await photos.require(photoId);
      if (NOT_PUBLIC.includes(now.status)) await Promise.all(renditions.map((r) => store.delete(r.key)));
      return;
    }
    await queues.add(
      'match',
      { photoId },
      { jobId: jobIdFor(photoId, `v${photo.version}`), ...priorityOptions(photo.priority) },
    );
  }
}

import type { Photo, PhotoMetadata, RenditionSpec, WatermarkConfig } from '@lightbox/contracts';
import { rightsFromMetadata } from '@lightbox/metadata';
import { mostSyntheticSourceType } from '@lightbox/wire-rules';
import { type ImageProbe, type RenderedPhoto, renderPhoto } from './render.js';
import { resolveWatermark } from './watermark-rules.js';

/** The credit a watermark shows: the printed credit line, else credit, byline or source. */
export function watermarkTextFor(metadata: PhotoMetadata | undefined): string | undefined {
  return metadata?.creditLine ?? metadata?.credit ?? metadata?.byline ?? metadata?.source;
}

/** What rendering an original needs besides the photo: the rendition set, watermark rules, logos, limits. */
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
 * The render stage and the render benchmark both run exactly this.
 */
export function renderOriginal(
  original: Buffer,
  photo: Pick<Photo, 'feed' | 'metadata' | 'provenance'>,
  settings: RenderSettings,
  probe?: ImageProbe,
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
    probe,
  });
}

/**
 * The size and orientation an original showed when decoded, over its metadata: for a record accepted
 * before intake read the image header (an upgrade with work in flight).
 */
export function withDecodedSize(metadata: PhotoMetadata, probe: ImageProbe): PhotoMetadata {
  return {
    ...metadata,
    width: probe.displayWidth,
    height: probe.displayHeight,
    ...(probe.orientation !== undefined ? { orientation: probe.orientation } : {}),
  };
}

import type { Placeholder, RenditionSpec } from '@lightbox/contracts';
import { buildIimBlock, buildXmpPacket, iimDigest, type RightsRecord } from '@lightbox/metadata';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { classifySharpError, damagedJpegData, ImageInputError } from './errors.js';
import { compactSrgbProfile, isSrgbProfile } from './icc.js';
import { spliceJpegMetadata } from './jpeg-segments.js';
import { differenceHash } from './perceptual-hash.js';
import { computePlaceholder } from './placeholder.js';
import { renditionSize } from './renditions.js';
import { type Watermark, watermarkOverlay } from './watermark.js';

export interface RenderOptions {
  renditions: readonly RenditionSpec[];
  /** Drawn on renditions with `watermark: true`; none when undefined. */
  watermark?: Watermark;
  /** Rights and caption written into each rendition (IIM + XMP for JPEG, XMP for WebP/AVIF). */
  rights?: RightsRecord;
  /** Refuse inputs above this many pixels without decoding them (decompression bombs). */
  maxInputPixels: number;
  /** The input's header, when the caller read it already (`probeImage`): not read again. */
  probe?: ImageProbe;
}

export interface RenderedRendition {
  name: string;
  format: RenditionSpec['format'];
  width: number;
  height: number;
  data: Buffer;
}

export interface RenderedPhoto {
  renditions: RenderedRendition[];
  placeholder: Placeholder;
  /** Perceptual hash (dHash, 16 hex digits) for near-duplicate grouping. */
  phash: string;
}

export interface ImageProbe {
  format: string;
  width: number;
  height: number;
  orientation?: number;
  /** Width and height after applying EXIF orientation. */
  displayWidth: number;
  displayHeight: number;
  /** Embedded ICC profile, if any. */
  icc?: Buffer;
  space?: string;
}

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

const sizeKey = (s: { width: number; height: number }) => `${s.width}x${s.height}`;

/** Distinct sizes, largest first. */
function uniqueSizes(sizes: { width: number; height: number }[]): { width: number; height: number }[] {
  const seen = new Map(sizes.map((s) => [sizeKey(s), s]));
  return [...seen.values()].sort((a, b) => b.width * b.height - a.width * a.height);
}

async function resizeRaw(
  src: RawImage,
  size: { width: number; height: number },
  channels: 3 | 4,
): Promise<RawImage> {
  const data = await sharp(src.data, { raw: { width: src.width, height: src.height, channels } })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data, width: size.width, height: size.height };
}

const SUPPORTED_INPUTS = new Set(['jpeg', 'png', 'webp', 'tiff', 'heif', 'avif', 'gif']);

/**
 * Reads the header only: format, dimensions, orientation and profile. Throws `ImageInputError` for
 * unsupported formats, broken headers and images over the pixel limit.
 */
export async function probeImage(input: Buffer, maxInputPixels: number): Promise<ImageProbe> {
  if (input.length === 0) throw new ImageInputError('empty_image', 'The file is empty (0 bytes)');
  let meta: Metadata;
  try {
    meta = await sharp(input, { limitInputPixels: maxInputPixels }).metadata();
  } catch (err) {
    throw (
      classifySharpError(err, maxInputPixels) ?? new ImageInputError('corrupt_image', (err as Error).message)
    );
  }
  if (!meta.format || !SUPPORTED_INPUTS.has(meta.format)) {
    throw new ImageInputError('unsupported_format', `Unsupported image format: ${meta.format ?? 'unknown'}`);
  }
  if (!meta.width || !meta.height) throw new ImageInputError('corrupt_image', 'Image has no dimensions');
  if (meta.width * meta.height > maxInputPixels) {
    throw new ImageInputError(
      'too_many_pixels',
      `Image is ${meta.width}x${meta.height} (${((meta.width * meta.height) / 1e6).toFixed(1)} MP), over the ${(maxInputPixels / 1e6).toFixed(0)} MP limit`,
    );
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  return {
    format: meta.format,
    width: meta.width,
    height: meta.height,
    orientation: meta.orientation,
    displayWidth: rotated ? meta.height : meta.width,
    displayHeight: rotated ? meta.width : meta.height,
    icc: meta.icc,
    space: meta.space,
  };
}

/**
 * Makes every rendition from one decode. The original is decoded once, with shrink-on-load, to the
 * largest rendition (auto-oriented, converted to sRGB from its embedded profile — skipped when that
 * profile already is sRGB), and the smaller renditions are derived from that raw intermediate.
 * Each output carries a compact sRGB profile and the rights metadata, and nothing else (no GPS,
 * no camera serials). Throws `ImageInputError` when the input is unusable.
 */
export async function renderPhoto(input: Buffer, options: RenderOptions): Promise<RenderedPhoto> {
  if (options.renditions.length === 0) throw new Error('No renditions configured');
  const probe = options.probe ?? (await probeImage(input, options.maxInputPixels));
  const sizes = options.renditions.map((spec) =>
    renditionSize(spec, probe.displayWidth, probe.displayHeight),
  );
  const baseSize = sizes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const alreadySrgb = probe.space !== 'cmyk' && isSrgbProfile(probe.icc);

  const decode = (failOn: 'warning' | 'truncated') =>
    sharp(input, {
      failOn,
      limitInputPixels: options.maxInputPixels,
      sequentialRead: true,
      ignoreIcc: alreadySrgb,
    })
      .autoOrient()
      .resize(baseSize.width, baseSize.height, { fit: 'fill' })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  let base: { data: Buffer; info: OutputInfo };
  try {
    // Strict first: damaged JPEG data must never be rendered as grey or noise and published.
    // Harmless warnings (an sRGB profile libpng dislikes, stray bytes before a marker) get a
    // lenient second decode, which still refuses a file cut short.
    base = await decode('warning');
  } catch (strictErr) {
    const damaged = damagedJpegData(strictErr);
    if (damaged) throw damaged;
    try {
      base = await decode('truncated');
    } catch (err) {
      throw classifySharpError(err, options.maxInputPixels) ?? err;
    }
  }
  const channels = base.info.channels as 3 | 4;

  // Each distinct size is made once, from the next larger one (2048 → 1024 → 320 …): renditions of
  // the same size share their resize, and smaller ones never resample the big intermediate again.
  const distinct = uniqueSizes(sizes);
  const made = new Map<string, Promise<RawImage>>();
  let previous: Promise<RawImage> = Promise.resolve({
    data: base.data,
    width: base.info.width,
    height: base.info.height,
  });
  for (const size of distinct) {
    const source = previous;
    const next = source.then((src) =>
      src.width === size.width && src.height === size.height ? src : resizeRaw(src, size, channels),
    );
    made.set(sizeKey(size), next);
    previous = next;
  }
  const rawOf = (size: { width: number; height: number }) => made.get(sizeKey(size)) as Promise<RawImage>;

  const rights = options.rights ?? {};
  const xmp = buildXmpPacket(rights);
  const iim = buildIimBlock(rights);
  const digest = iimDigest(iim);
  const icc = await compactSrgbProfile();
  const placeholderPromise = previous.then((smallest) =>
    computePlaceholder(smallest.data, smallest.width, smallest.height, channels),
  );
  const phashPromise = previous.then((smallest) =>
    differenceHash(smallest.data, smallest.width, smallest.height, channels),
  );

  const renditions = await Promise.all(
    options.renditions.map(async (spec, i) => {
      const size = sizes[i] as { width: number; height: number };
      const src = await rawOf(size);
      let pipeline = sharp(src.data, { raw: { width: src.width, height: src.height, channels } });
      if (spec.watermark && options.watermark) {
        const overlay = await watermarkOverlay(options.watermark, size.width, size.height);
        if (overlay) {
          pipeline = pipeline.composite([
            {
              input: overlay.data,
              raw: { width: overlay.width, height: overlay.height, channels: 4 },
              left: overlay.left,
              top: overlay.top,
            },
          ]);
        }
      }
      let data: Buffer;
      if (spec.format === 'jpeg') {
        const jpeg = await pipeline.jpeg({ quality: spec.quality }).toBuffer();
        data = spliceJpegMetadata(jpeg, { icc, xmp, iim, iimDigest: digest });
      } else {
        const encoded =
          spec.format === 'webp'
            ? pipeline.webp({ quality: spec.quality, effort: 2 })
            : pipeline.avif({ quality: spec.quality, effort: 2 });
        data = await encoded.withIccProfile('srgb').withXmp(xmp).toBuffer();
      }
      return { name: spec.name, format: spec.format, width: size.width, height: size.height, data };
    }),
  );
  const [placeholder, phash] = await Promise.all([placeholderPromise, phashPromise]);
  return { renditions, placeholder, phash };
}

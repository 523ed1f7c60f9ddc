import type { Placeholder, RenditionSpec } from '@lightbox/contracts';
import { buildIimBlock, buildXmpPacket, iimDigest, type RightsRecord } from '@lightbox/metadata';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { classifySharpError, ImageInputError } from './errors.js';
import { compactSrgbProfile, isSrgbProfile } from './icc.js';
import { spliceJpegMetadata } from './jpeg-segments.js';
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
  const probe = await probeImage(input, options.maxInputPixels);
  const sizes = options.renditions.map((spec) =>
    renditionSize(spec, probe.displayWidth, probe.displayHeight),
  );
  const baseSize = sizes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
  const alreadySrgb = probe.space !== 'cmyk' && isSrgbProfile(probe.icc);

  let base: { data: Buffer; info: OutputInfo };
  try {
    base = await sharp(input, {
      failOn: 'truncated',
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
  } catch (err) {
    throw classifySharpError(err, options.maxInputPixels) ?? err;
  }
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels as 3 | 4 };

  const rights = options.rights ?? {};
  const xmp = buildXmpPacket(rights);
  const iim = buildIimBlock(rights);
  const [icc, placeholder] = await Promise.all([
    compactSrgbProfile(),
    computePlaceholder(base.data, raw.width, raw.height, raw.channels),
  ]);

  const renditions = await Promise.all(
    options.renditions.map(async (spec, i) => {
      const size = sizes[i] as { width: number; height: number };
      let pipeline = sharp(base.data, { raw });
      if (size.width !== raw.width || size.height !== raw.height)
        pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
      if (spec.watermark && options.watermark) {
        // sharp composites over the resized image, so the overlay is laid out for the output size.
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
        data = spliceJpegMetadata(jpeg, { icc, xmp, iim, iimDigest: iimDigest(iim) });
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
  return { renditions, placeholder };
}

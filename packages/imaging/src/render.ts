import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { classifySharpError, ImageInputError } from './errors.js';
import { fitInside, type RenditionSpec } from './renditions.js';
import { type WatermarkStyle, watermarkOverlay } from './watermark.js';

export interface RenderOptions {
  renditions: readonly RenditionSpec[];
  /** Text for renditions with `watermark: true`; no text means no watermark. */
  watermarkText?: string;
  watermarkStyle?: WatermarkStyle;
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

export interface ImageProbe {
  format: string;
  width: number;
  height: number;
  orientation?: number;
  /** Width and height after applying EXIF orientation. */
  displayWidth: number;
  displayHeight: number;
}

const SUPPORTED_INPUTS = new Set(['jpeg', 'png', 'webp', 'tiff', 'heif', 'avif', 'gif']);

/**
 * Reads the header only: format, dimensions and orientation. Throws `ImageInputError` for
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
  };
}

/**
 * Makes every rendition from one decode: the original is decoded once with shrink-on-load to the
 * largest rendition (auto-oriented, sRGB), and the smaller renditions are derived from that
 * intermediate. Throws `ImageInputError` when the input is corrupt or truncated.
 */
export async function renderRenditions(input: Buffer, options: RenderOptions): Promise<RenderedRendition[]> {
  if (options.renditions.length === 0) return [];
  const largest = Math.max(...options.renditions.map((r) => r.longEdge));
  let base: { data: Buffer; info: OutputInfo };
  try {
    base = await sharp(input, {
      failOn: 'truncated',
      limitInputPixels: options.maxInputPixels,
      sequentialRead: true,
    })
      .rotate()
      .resize(largest, largest, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw classifySharpError(err, options.maxInputPixels) ?? err;
  }
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };

  return Promise.all(
    options.renditions.map(async (spec) => {
      const size = fitInside(raw.width, raw.height, spec.longEdge, spec.withoutEnlargement ?? true);
      let pipeline = sharp(base.data, { raw });
      if (size.width !== raw.width || size.height !== raw.height) {
        pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
      }
      if (spec.watermark && options.watermarkText) {
        // sharp composites over the resized image, so the overlay is laid out for the output size.
        const overlay = await watermarkOverlay(
          options.watermarkText,
          size.width,
          size.height,
          options.watermarkStyle,
        );
        if (overlay)
          pipeline = pipeline.composite([{ input: overlay.input, left: overlay.left, top: overlay.top }]);
      }
      if (spec.format === 'jpeg') pipeline = pipeline.jpeg({ quality: spec.quality, mozjpeg: false });
      else if (spec.format === 'webp') pipeline = pipeline.webp({ quality: spec.quality, effort: 2 });
      else pipeline = pipeline.avif({ quality: spec.quality, effort: 2 });
      const out = await pipeline.toBuffer({ resolveWithObject: true });
      return {
        name: spec.name,
        format: spec.format,
        width: out.info.width,
        height: out.info.height,
        data: out.data,
      };
    }),
  );
}

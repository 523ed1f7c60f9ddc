import type { Placeholder } from '@lightbox/contracts';
import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';

const hex = (n: number) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');

/**
 * Dominant colour and ThumbHash of an image, computed from a ≤100 px copy (ThumbHash is defined
 * for images up to 100×100). Pass the smallest rendition's pixels: resizing them is cheap.
 */
export async function computePlaceholder(
  raw: Buffer,
  width: number,
  height: number,
  channels: 3 | 4,
): Promise<Placeholder> {
  const small = sharp(raw, { raw: { width, height, channels } }).resize(100, 100, { fit: 'inside' });
  const [{ data, info }, stats] = await Promise.all([
    small.clone().ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
    small.clone().stats(),
  ]);
  const hash = rgbaToThumbHash(info.width, info.height, data);
  const { r, g, b } = stats.dominant;
  return { dominantColor: `#${hex(r)}${hex(g)}${hex(b)}`, thumbhash: Buffer.from(hash).toString('base64') };
}

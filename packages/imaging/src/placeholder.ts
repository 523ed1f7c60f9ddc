import type { Placeholder } from '@lightbox/contracts';
import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';

const hex = (n: number) =>
  Math.max(0, Math.min(255, Math.round(n)))
    .toString(16)
    .padStart(2, '0');

/**
 * The most common colour of sRGB pixels (3 or 4 channels), as sharp's `stats().dominant` finds it:
 * a 16×16×16 histogram of the RGB values, the fullest bin's centre (the first fullest in green,
 * red, blue order).
 */
export function dominantColour(pixels: Uint8Array, channels: 3 | 4): { r: number; g: number; b: number } {
  const bins = new Uint32Array(4096);
  for (let i = 0; i + 2 < pixels.length; i += channels) {
    const bin =
      ((pixels[i] as number) >> 4) |
      (((pixels[i + 1] as number) >> 4) << 4) |
      (((pixels[i + 2] as number) >> 4) << 8);
    bins[bin] = (bins[bin] as number) + 1;
  }
  let best = 0;
  for (let g = 0; g < 16; g++)
    for (let r = 0; r < 16; r++)
      for (let b = 0; b < 16; b++) {
        const bin = r | (g << 4) | (b << 8);
        if ((bins[bin] as number) > (bins[best] as number)) best = bin;
      }
  return { r: (best & 15) * 16 + 8, g: ((best >> 4) & 15) * 16 + 8, b: (best >> 8) * 16 + 8 };
}

/**
 * Dominant colour (of the pixels given) and ThumbHash (of a ≤100 px copy: ThumbHash is defined for
 * images up to 100×100). Pass the smallest rendition's pixels: one small resize, the rest in JS.
 */
export async function computePlaceholder(
  raw: Buffer,
  width: number,
  height: number,
  channels: 3 | 4,
): Promise<Placeholder> {
  const { data, info } = await sharp(raw, { raw: { width, height, channels } })
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const hash = rgbaToThumbHash(info.width, info.height, data);
  const { r, g, b } = dominantColour(raw, channels);
  return { dominantColor: `#${hex(r)}${hex(g)}${hex(b)}`, thumbhash: Buffer.from(hash).toString('base64') };
}

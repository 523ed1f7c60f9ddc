import sharp from 'sharp';

/**
 * 64-bit difference hash (dHash) of an image as 16 hex digits: the picture shrunk to 9×8 grey
 * pixels, one bit per horizontal neighbour pair (is the left one brighter?). Frames of the same
 * moment differ by a few bits; different pictures by about half of them. Robust to resizing,
 * recompression and small colour shifts; pass the smallest rendition's pixels, it is cheap.
 */
export async function differenceHash(
  raw: Buffer,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
): Promise<string> {
  const { data } = await sharp(raw, { raw: { width, height, channels } })
    .removeAlpha()
    .greyscale()
    .resize(9, 8, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const grey = data.length === 72 ? data : Buffer.from(data.filter((_, i) => i % (data.length / 72) === 0));
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      byte = (byte << 1) | ((grey[y * 9 + x] as number) > (grey[y * 9 + x + 1] as number) ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return hex;
}

/** Perceptual hash of an encoded image (any format sharp reads). */
export async function differenceHashOf(image: Buffer): Promise<string> {
  const { data, info } = await sharp(image).rotate().raw().toBuffer({ resolveWithObject: true });
  return differenceHash(data, info.width, info.height, info.channels as 1 | 3 | 4);
}

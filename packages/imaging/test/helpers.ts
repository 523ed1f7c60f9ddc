import sharp from 'sharp';

/** A photo-like test image: gradients plus noise (flat colour is unrealistically easy). */
export async function photoLike(
  width: number,
  height: number,
  options: { orientation?: number; quality?: number } = {},
): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed >> 16) % 24;
      const i = (y * width + x) * 3;
      raw[i] = (x * 230) / width + n;
      raw[i + 1] = (y * 230) / height + n;
      raw[i + 2] = 110 + n;
    }
  }
  let img = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: options.quality ?? 90 });
  if (options.orientation) img = img.withMetadata({ orientation: options.orientation });
  return img.toBuffer();
}

export async function pixels(image: Buffer) {
  return sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
}

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Mean absolute difference per channel over a rectangle of two same-sized RGB images. */
export function meanDiff(a: Buffer, b: Buffer, width: number, box: Box, channels = 3): number {
  let sum = 0;
  let n = 0;
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) {
      for (let c = 0; c < channels; c++) {
        const i = (y * width + x) * channels + c;
        sum += Math.abs((a[i] as number) - (b[i] as number));
        n++;
      }
    }
  }
  return n === 0 ? 0 : sum / n;
}

/** Average colour of an image. */
export async function meanColour(image: Buffer): Promise<[number, number, number]> {
  const { channels } = await sharp(image).removeAlpha().stats();
  return [channels[0]?.mean ?? 0, channels[1]?.mean ?? 0, channels[2]?.mean ?? 0];
}

import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RENDITIONS,
  fitInside,
  ImageInputError,
  probeImage,
  type RenditionSpec,
  renderRenditions,
  watermarkOverlay,
} from '../src/index.js';

const MAX = 100_000_000;
const credit = 'AP Photo/Natacha Pisarenko';

/** A photo-like test image: gradients plus noise (flat colour is unrealistically easy). */
async function photoLike(
  width: number,
  height: number,
  options: { orientation?: number } = {},
): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  let seed = 42;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = (seed >> 16) % 24;
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width + n;
      raw[i + 1] = (y * 255) / height + n;
      raw[i + 2] = 128 + n;
    }
  }
  let img = sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 });
  if (options.orientation) img = img.withMetadata({ orientation: options.orientation });
  return img.toBuffer();
}

async function pixels(jpeg: Buffer) {
  return sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
}

/** Mean absolute difference per channel over a rectangle. */
function meanDiff(
  a: Buffer,
  b: Buffer,
  width: number,
  box: { left: number; top: number; width: number; height: number },
  channels = 3,
) {
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

describe('fitInside', () => {
  it('fits the long edge and never enlarges by default', () => {
    expect(fitInside(5184, 3456, 2048)).toEqual({ width: 2048, height: 1365 });
    expect(fitInside(3456, 5184, 1024)).toEqual({ width: 683, height: 1024 });
    expect(fitInside(300, 200, 1024)).toEqual({ width: 300, height: 200 });
    expect(fitInside(300, 200, 1024, false)).toEqual({ width: 1024, height: 683 });
  });
});

describe('renderRenditions', () => {
  it('makes every default rendition from the real DSLR frame', async () => {
    const out = await renderRenditions(await readFile(fixturePath('real/camera/canon-dslr.jpg')), {
      renditions: DEFAULT_RENDITIONS,
      watermarkText: credit,
      maxInputPixels: MAX,
    });
    expect(out.map((r) => [r.name, r.width, r.height, r.format])).toEqual([
      ['large', 2048, 1365, 'jpeg'],
      ['medium', 1024, 683, 'jpeg'],
      ['thumb', 320, 213, 'jpeg'],
    ]);
    for (const r of out) expect((await sharp(r.data).metadata()).format).toBe('jpeg');
  });

  it('applies EXIF orientation (portrait from a rotated landscape sensor image)', async () => {
    const input = await photoLike(600, 400, { orientation: 6 });
    expect(await probeImage(input, MAX)).toMatchObject({
      width: 600,
      height: 400,
      orientation: 6,
      displayWidth: 400,
      displayHeight: 600,
    });
    const [thumb] = await renderRenditions(input, {
      renditions: [{ name: 't', longEdge: 300, format: 'jpeg', quality: 80, watermark: false }],
      maxInputPixels: MAX,
    });
    expect([thumb?.width, thumb?.height]).toEqual([200, 300]);
    expect((await sharp(thumb?.data).metadata()).orientation).toBeUndefined();
  });

  it('renders custom sets, including WebP and enlargement when asked', async () => {
    const specs: RenditionSpec[] = [
      { name: 'square', longEdge: 500, format: 'webp', quality: 75, watermark: false },
      {
        name: 'big',
        longEdge: 900,
        format: 'jpeg',
        quality: 80,
        watermark: false,
        withoutEnlargement: false,
      },
    ];
    const out = await renderRenditions(await photoLike(800, 600), { renditions: specs, maxInputPixels: MAX });
    expect(out.map((r) => [r.name, r.format, r.width, r.height])).toEqual([
      ['square', 'webp', 500, 375],
      ['big', 'jpeg', 900, 675],
    ]);
  });

  it.each([
    ['landscape', 3000, 2000, 2048],
    ['portrait', 2000, 3000, 1024],
  ])('watermark changes only its own corner (%s)', async (_label, w, h, edge) => {
    const input = await photoLike(w, h);
    const spec: RenditionSpec = { name: 'x', longEdge: edge, format: 'jpeg', quality: 90, watermark: true };
    const [marked] = await renderRenditions(input, {
      renditions: [spec],
      watermarkText: credit,
      maxInputPixels: MAX,
    });
    const [plain] = await renderRenditions(input, {
      renditions: [{ ...spec, watermark: false }],
      maxInputPixels: MAX,
    });
    const a = await pixels(marked?.data as Buffer);
    const b = await pixels(plain?.data as Buffer);
    const { width, height } = a.info;
    const overlay = await watermarkOverlay(credit, width, height);
    expect(overlay).toBeDefined();
    const box = overlay as NonNullable<typeof overlay>;
    expect(meanDiff(a.data, b.data, width, box)).toBeGreaterThan(8);
    // Outside the watermark's JPEG blocks (16 px MCUs) the output is identical.
    const above = { left: 0, top: 0, width, height: Math.max(0, Math.floor(box.top / 16) * 16 - 16) };
    const leftOf = { left: 0, top: 0, width: Math.max(0, Math.floor(box.left / 16) * 16 - 16), height };
    expect(meanDiff(a.data, b.data, width, above)).toBeLessThan(0.5);
    expect(meanDiff(a.data, b.data, width, leftOf)).toBeLessThan(0.5);
  });

  it('scales the watermark with the rendition width', async () => {
    const big = await watermarkOverlay(credit, 2048, 1365);
    const small = await watermarkOverlay(credit, 1024, 683);
    expect((big?.height ?? 0) / (small?.height ?? 1)).toBeGreaterThan(1.7);
    expect((big?.height ?? 0) / (small?.height ?? 1)).toBeLessThan(2.3);
  });

  it('handles tiny inputs: no enlargement, no crash', async () => {
    const out = await renderRenditions(await photoLike(12, 9), {
      renditions: DEFAULT_RENDITIONS,
      watermarkText: credit,
      maxInputPixels: MAX,
    });
    expect(out.every((r) => r.width === 12 && r.height === 9)).toBe(true);
  });

  it('renders the Adobe RGB fixture', async () => {
    const out = await renderRenditions(await readFile(fixturePath('real/iptc/BonTonARTSTORplusIPTC.jpg')), {
      renditions: DEFAULT_RENDITIONS,
      maxInputPixels: MAX,
    });
    expect(out).toHaveLength(3);
  });
});

describe('bad input', () => {
  it('refuses truncated JPEGs with a clear reason', async () => {
    const full = await photoLike(800, 600);
    const truncated = full.subarray(0, Math.floor(full.length * 0.6));
    const err = await renderRenditions(truncated, {
      renditions: DEFAULT_RENDITIONS,
      maxInputPixels: MAX,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(ImageInputError);
    expect(err.code).toBe('truncated_image');
  });

  it('refuses images over the pixel limit without decoding them', async () => {
    const input = await photoLike(1200, 1000);
    await expect(probeImage(input, 1_000_000)).rejects.toMatchObject({ code: 'too_many_pixels' });
    await expect(
      renderRenditions(input, { renditions: DEFAULT_RENDITIONS, maxInputPixels: 1_000_000 }),
    ).rejects.toMatchObject({
      code: 'too_many_pixels',
    });
  });

  it('refuses non-images and empty input', async () => {
    await expect(probeImage(Buffer.from('<html>not a photo</html>'), MAX)).rejects.toMatchObject({
      code: 'unsupported_format',
    });
    await expect(probeImage(Buffer.alloc(0), MAX)).rejects.toMatchObject({ code: 'empty_image' });
  });
});

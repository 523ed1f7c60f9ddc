import { readFile } from 'node:fs/promises';
import type { RenditionSpec } from '@lightbox/contracts';
import { fixturePath } from '@lightbox/test-infra';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RENDITIONS,
  fitInside,
  ImageInputError,
  probeImage,
  renderPhoto,
  renditionSize,
} from '../src/index.js';
import { photoLike } from './helpers.js';

const MAX = 100_000_000;
const NO_WM: RenditionSpec = { name: 't', longEdge: 300, format: 'jpeg', quality: 80, watermark: false };

describe('sizes', () => {
  it('fits a long edge or a box, never enlarging by default', () => {
    expect(fitInside(5184, 3456, 2048)).toEqual({ width: 2048, height: 1365 });
    expect(fitInside(3456, 5184, 1024)).toEqual({ width: 683, height: 1024 });
    expect(fitInside(300, 200, 1024)).toEqual({ width: 300, height: 200 });
    expect(fitInside(300, 200, 1024, 1024, false)).toEqual({ width: 1024, height: 683 });
    expect(
      renditionSize(
        { name: 'og', box: { width: 1200, height: 630 }, format: 'jpeg', quality: 80, watermark: false },
        5184,
        3456,
      ),
    ).toEqual({
      width: 945,
      height: 630,
    });
  });
});

describe('renderPhoto', () => {
  it('makes the default set from the real DSLR frame with one decode', async () => {
    const { renditions, placeholder } = await renderPhoto(
      await readFile(fixturePath('real/camera/canon-dslr.jpg')),
      {
        renditions: DEFAULT_RENDITIONS,
        maxInputPixels: MAX,
      },
    );
    expect(renditions.map((r) => [r.name, r.format, r.width, r.height])).toEqual([
      ['large', 'jpeg', 2048, 1365],
      ['medium', 'jpeg', 1024, 683],
      ['medium-webp', 'webp', 1024, 683],
      ['thumb', 'jpeg', 320, 213],
    ]);
    for (const r of renditions) {
      const meta = await sharp(r.data).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual([r.format, r.width, r.height]);
    }
    expect(placeholder.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(Buffer.from(placeholder.thumbhash, 'base64').length).toBeGreaterThan(5);
  });

  it('applies EXIF orientation and leaves no orientation tag', async () => {
    const input = await photoLike(600, 400, { orientation: 6 });
    expect(await probeImage(input, MAX)).toMatchObject({
      width: 600,
      height: 400,
      orientation: 6,
      displayWidth: 400,
      displayHeight: 600,
    });
    const { renditions } = await renderPhoto(input, { renditions: [NO_WM], maxInputPixels: MAX });
    expect([renditions[0]?.width, renditions[0]?.height]).toEqual([200, 300]);
    expect((await sharp(renditions[0]?.data).metadata()).orientation).toBeUndefined();
  });

  it('renders a custom set: box, WebP, AVIF, enlargement when asked', async () => {
    const specs: RenditionSpec[] = [
      { name: 'og', box: { width: 600, height: 315 }, format: 'jpeg', quality: 80, watermark: false },
      { name: 'sq', longEdge: 500, format: 'webp', quality: 75, watermark: false },
      { name: 'av', longEdge: 400, format: 'avif', quality: 50, watermark: false },
      {
        name: 'big',
        longEdge: 900,
        format: 'jpeg',
        quality: 80,
        watermark: false,
        withoutEnlargement: false,
      },
    ];
    const { renditions } = await renderPhoto(await photoLike(800, 600), {
      renditions: specs,
      maxInputPixels: MAX,
    });
    expect(renditions.map((r) => [r.name, r.format, r.width, r.height])).toEqual([
      ['og', 'jpeg', 420, 315],
      ['sq', 'webp', 500, 375],
      ['av', 'avif', 400, 300],
      ['big', 'jpeg', 900, 675],
    ]);
    expect((await sharp(renditions[2]?.data).metadata()).format).toBe('heif');
  });

  it('handles tiny and huge inputs', async () => {
    const tiny = await renderPhoto(await photoLike(12, 9), {
      renditions: DEFAULT_RENDITIONS,
      maxInputPixels: MAX,
    });
    expect(tiny.renditions.every((r) => r.width === 12 && r.height === 9)).toBe(true);
    const huge = await renderPhoto(await photoLike(6000, 4000, { quality: 80 }), {
      renditions: DEFAULT_RENDITIONS,
      maxInputPixels: MAX,
    });
    expect(huge.renditions[0]).toMatchObject({ width: 2048, height: 1365 });
  });

  it('flattens transparency onto white', async () => {
    const png = await sharp({
      create: { width: 64, height: 64, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const { renditions } = await renderPhoto(png, { renditions: [NO_WM], maxInputPixels: MAX });
    const { channels } = await sharp(renditions[0]?.data).stats();
    expect(channels.map((c) => Math.round(c.mean))).toEqual([255, 255, 255]);
  });
});

describe('bad input', () => {
  it('refuses truncated JPEGs with a clear reason', async () => {
    const full = await photoLike(800, 600);
    const err = await renderPhoto(full.subarray(0, Math.floor(full.length * 0.6)), {
      renditions: DEFAULT_RENDITIONS,
      maxInputPixels: MAX,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageInputError);
    expect((err as ImageInputError).code).toBe('truncated_image');
  });

  // Found by a hostile test: each of these rendered as grey and colour noise and was published.
  it.each([
    ['random bytes in the middle', (b: Buffer) => fillMiddle(b, (i) => (i * 151 + 17) % 256)],
    ['zeros in the middle', (b: Buffer) => fillMiddle(b, () => 0)],
    [
      'cut in half with an end marker appended',
      (b: Buffer) => Buffer.concat([b.subarray(0, Math.floor(b.length / 2)), Buffer.from([0xff, 0xd9])]),
    ],
  ])('refuses a JPEG whose image data is damaged (%s) as corrupt_image', async (_name, damage) => {
    const full = await photoLike(800, 600);
    const err = await renderPhoto(damage(Buffer.from(full)), {
      renditions: DEFAULT_RENDITIONS,
      maxInputPixels: MAX,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageInputError);
    expect(['corrupt_image', 'truncated_image']).toContain((err as ImageInputError).code);
  });

  it('renders real agency files that carry harmless decoder warnings', async () => {
    for (const file of ['real/wire/ap-bush-waco-2003.jpg', 'real/wire/reuters-neuss-2020.jpg']) {
      const input = await readFile(fixturePath(file));
      await expect(renderPhoto(input, { renditions: [NO_WM], maxInputPixels: MAX })).resolves.toBeTruthy();
    }
  });

  it('refuses images over the pixel limit from the header alone', async () => {
    const input = await photoLike(1200, 1000);
    await expect(probeImage(input, 1_000_000)).rejects.toMatchObject({ code: 'too_many_pixels' });
    await expect(
      renderPhoto(input, { renditions: DEFAULT_RENDITIONS, maxInputPixels: 1_000_000 }),
    ).rejects.toMatchObject({ code: 'too_many_pixels' });
  });

  it('refuses non-images and empty input', async () => {
    await expect(probeImage(Buffer.from('<html>not a photo</html>'), MAX)).rejects.toMatchObject({
      code: 'unsupported_format',
    });
    await expect(probeImage(Buffer.alloc(0), MAX)).rejects.toMatchObject({ code: 'empty_image' });
  });
});

/** Overwrites a stretch in the middle of a JPEG's image data (well past its headers). */
function fillMiddle(bytes: Buffer, value: (i: number) => number): Buffer {
  const from = Math.floor(bytes.length * 0.5);
  for (let i = 0; i < Math.min(2000, bytes.length - from - 4); i++) bytes[from + i] = value(i);
  return bytes;
}

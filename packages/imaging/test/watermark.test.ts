import { readFile } from 'node:fs/promises';
import type { RenditionSpec, WatermarkConfig } from '@lightbox/contracts';
import { fixturePath } from '@lightbox/test-infra';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  fillTemplate,
  renderPhoto,
  resolveWatermark,
  resolveWatermarkStyle,
  type Watermark,
  watermarkOverlay,
} from '../src/index.js';
import { type Box, meanDiff, photoLike, pixels } from './helpers.js';

const credit = 'AP Photo/Natacha Pisarenko';
const textMark: Watermark = {
  text: credit,
  position: 'bottom-right',
  opacity: 0.85,
  textSize: 0.018,
  logoSize: 0.08,
  margin: 0.015,
};

async function logoPng(): Promise<Buffer> {
  // A red disc on transparency.
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><circle cx="50" cy="50" r="45" fill="#e00000"/><rect x="110" y="20" width="80" height="60" fill="#ffffff"/></svg>';
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Renders with and without the watermark and compares the overlay box against the rest. */
async function compare(input: Buffer, spec: RenditionSpec, mark: Watermark) {
  const [marked] = (await renderPhoto(input, { renditions: [spec], watermark: mark, maxInputPixels: 1e9 }))
    .renditions;
  const [plain] = (
    await renderPhoto(input, { renditions: [{ ...spec, watermark: false }], maxInputPixels: 1e9 })
  ).renditions;
  const a = await pixels(marked?.data as Buffer);
  const b = await pixels(plain?.data as Buffer);
  const { width, height } = a.info;
  const box = (await watermarkOverlay(mark, width, height)) as Box;
  return { a: a.data, b: b.data, width, height, box };
}

/** Regions away from the overlay's JPEG blocks (16 px MCUs): must be unchanged. */
function outside(box: Box, width: number, height: number): Box[] {
  const pad = 16;
  const top = Math.max(0, Math.floor(box.top / 16) * 16 - pad);
  const bottom = Math.min(height, Math.ceil((box.top + box.height) / 16) * 16 + pad);
  const left = Math.max(0, Math.floor(box.left / 16) * 16 - pad);
  const right = Math.min(width, Math.ceil((box.left + box.width) / 16) * 16 + pad);
  return [
    { left: 0, top: 0, width, height: top },
    { left: 0, top: bottom, width, height: height - bottom },
    { left: 0, top: 0, width: left, height },
    { left: right, top: 0, width: width - right, height },
  ].filter((r) => r.width > 0 && r.height > 0);
}

describe('watermark pixels', () => {
  it.each([
    ['landscape', 3000, 2000, 2048],
    ['portrait', 2000, 3000, 1024],
    ['huge 24 MP', 6000, 4000, 2048],
    ['small', 500, 330, 320],
  ])('%s: the watermark region changes, the rest does not', async (_label, w, h, edge) => {
    const spec: RenditionSpec = { name: 'x', longEdge: edge, format: 'jpeg', quality: 90, watermark: true };
    const { a, b, width, height, box } = await compare(
      await photoLike(w, h, { quality: 85 }),
      spec,
      textMark,
    );
    expect(box).toBeDefined();
    expect(meanDiff(a, b, width, box)).toBeGreaterThan(8);
    for (const region of outside(box, width, height))
      expect(meanDiff(a, b, width, region)).toBeLessThan(0.01);
  });

  it('marks the real DSLR fixture and leaves the rest of the frame alone', async () => {
    const input = await readFile(fixturePath('real/camera/canon-dslr.jpg'));
    const spec: RenditionSpec = {
      name: 'large',
      longEdge: 2048,
      format: 'jpeg',
      quality: 82,
      watermark: true,
    };
    const { a, b, width, height, box } = await compare(input, spec, textMark);
    expect(meanDiff(a, b, width, box)).toBeGreaterThan(8);
    for (const region of outside(box, width, height))
      expect(meanDiff(a, b, width, region)).toBeLessThan(0.01);
  });

  it.each(['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const)(
    'places a logo and text at %s',
    async (position) => {
      const mark: Watermark = { ...textMark, position, logo: { png: await logoPng(), key: 'logo' } };
      const spec: RenditionSpec = { name: 'x', longEdge: 1024, format: 'jpeg', quality: 90, watermark: true };
      const { a, b, width, height, box } = await compare(await photoLike(1600, 1000), spec, mark);
      const margin = Math.round(width * mark.margin);
      if (position.endsWith('left')) expect(box.left).toBe(margin);
      else expect(box.left + box.width).toBe(width - margin);
      if (position.startsWith('top')) expect(box.top).toBe(margin);
      else expect(box.top + box.height).toBe(height - margin);
      expect(meanDiff(a, b, width, box)).toBeGreaterThan(8);
      for (const region of outside(box, width, height))
        expect(meanDiff(a, b, width, region)).toBeLessThan(0.01);
    },
  );

  it('looks the same at 2048 and 1024: sizes scale with the width', async () => {
    const big = await watermarkOverlay(textMark, 2048, 1365);
    const small = await watermarkOverlay(textMark, 1024, 683);
    const ratio = (big?.width ?? 0) / (small?.width ?? 1);
    expect(ratio).toBeGreaterThan(1.85);
    expect(ratio).toBeLessThan(2.15);
  });

  it('is identical every time (bundled font, no system fonts)', async () => {
    const one = await watermarkOverlay({ ...textMark, text: 'Déjà vu – REUTERS/Ølaf' }, 1024, 683);
    const two = await watermarkOverlay({ ...textMark, text: 'Déjà vu – REUTERS/Ølaf' }, 1024, 683);
    expect(one?.data.equals(two?.data as Buffer)).toBe(true);
  });

  it('shrinks a long credit to fit, and gives up on images too small to carry it', async () => {
    const long = {
      ...textMark,
      text: 'THE CANADIAN PRESS/AP-Dita Alangkara and a very long credit line indeed',
    };
    const fitted = await watermarkOverlay(long, 800, 600);
    expect((fitted?.left ?? -1) >= 0 && (fitted?.width ?? 0) <= 800).toBe(true);
    expect(await watermarkOverlay(textMark, 12, 9)).toBeUndefined();
  });
});

describe('watermark rules', () => {
  const config: WatermarkConfig = {
    default: { opacity: 0.7 },
    rules: [
      { match: { agency: 'Getty Images' }, enabled: false },
      {
        match: { feed: 'staff' },
        text: 'Lightbox Daily/{photographer}',
        logo: '/etc/lightbox/logo.png',
        position: 'top-left',
      },
      { match: { agency: ['Reuters', 'AFP'] }, text: '{agency}' },
    ],
  };

  it('applies defaults, then the first matching rule', () => {
    expect(resolveWatermarkStyle(config, { feed: 'wire', agency: 'AP' })).toMatchObject({
      enabled: true,
      text: '{credit}',
      opacity: 0.7,
      position: 'bottom-right',
    });
    expect(resolveWatermarkStyle(config, { feed: 'wire', agency: 'Getty Images' }).enabled).toBe(false);
    expect(resolveWatermarkStyle(config, { feed: 'staff', agency: 'Reuters' })).toMatchObject({
      position: 'top-left',
      logo: '/etc/lightbox/logo.png',
    });
    expect(resolveWatermarkStyle(config, { feed: 'wire', agency: 'reuters' }).text).toBe('{agency}');
  });

  it('fills the text template and skips a watermark when its value is missing', () => {
    expect(fillTemplate('{credit}', { feed: 'x', credit: credit })).toBe(credit);
    expect(fillTemplate('Lightbox/{photographer}', { feed: 'x' })).toBeUndefined();
    expect(resolveWatermark(config, { feed: 'wire', agency: 'AP' })).toBeUndefined(); // no credit known
    expect(resolveWatermark(config, { feed: 'wire', agency: 'AP', credit })).toMatchObject({
      text: credit,
      opacity: 0.7,
    });
    expect(resolveWatermark(config, { feed: 'wire', agency: 'Getty Images', credit })).toBeUndefined();
  });

  it('uses loaded logos and refuses a rule whose logo was not loaded', () => {
    const png = Buffer.from('png');
    const logos = new Map([['/etc/lightbox/logo.png', png]]);
    expect(resolveWatermark(config, { feed: 'staff', photographer: 'Jane Doe' }, logos)).toMatchObject({
      text: 'Lightbox Daily/Jane Doe',
      logo: { png, key: '/etc/lightbox/logo.png' },
    });
    expect(() => resolveWatermark(config, { feed: 'staff', photographer: 'Jane Doe' })).toThrow(
      /was not loaded/,
    );
  });
});

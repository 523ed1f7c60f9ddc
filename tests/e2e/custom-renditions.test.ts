import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GalleryManifest } from '@lightbox/contracts';
import { isSrgbProfile } from '@lightbox/imaging';
import { demoPath, eventually, tempDir } from '@lightbox/test-infra';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../support/api-types.js';
import { type StackUnderTest, startStackProcess } from '../support/stack-process.js';

/**
 * A newsroom's own rendition set and watermark rules, from config files: a social card box, AVIF,
 * a logo for Reuters pictures and no watermark at all for Getty.
 */
describe('custom rendition set and watermark rules, end to end', () => {
  let stack: StackUnderTest;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const renditions = [
    { name: 'hero', longEdge: 1600, format: 'jpeg', quality: 85, watermark: true },
    { name: 'social', box: { width: 1200, height: 630 }, format: 'jpeg', quality: 80, watermark: true },
    { name: 'hero-avif', longEdge: 1600, format: 'avif', quality: 50, watermark: true },
    { name: 'tiny', longEdge: 160, format: 'webp', quality: 60, watermark: false },
  ];

  beforeAll(async () => {
    dir = await tempDir();
    const logo = join(dir.path, 'logo.png');
    await sharp({
      create: { width: 300, height: 120, channels: 4, background: { r: 220, g: 0, b: 0, alpha: 0.9 } },
    })
      .png()
      .toFile(logo);
    await writeFile(join(dir.path, 'renditions.json'), JSON.stringify(renditions));
    await writeFile(
      join(dir.path, 'watermark.json'),
      JSON.stringify({
        default: { position: 'bottom-left' },
        rules: [{ match: { agency: 'Reuters' }, logo, text: null, logoSize: 0.1 }],
      }),
    );
    stack = await startStackProcess({
      LIGHTBOX_RENDITIONS_FILE: join(dir.path, 'renditions.json'),
      LIGHTBOX_WATERMARK_FILE: join(dir.path, 'watermark.json'),
    });
  });
  afterAll(async () => {
    await stack?.destroy();
    await dir?.remove();
  });

  it('publishes every configured rendition, with the right sizes, formats and profile', async () => {
    const api = (path: string, init: RequestInit = {}) => fetch(`${stack.apiUrl}${path}`, init);
    const story = await json<{ id: string }>(
      api('/v1/stories', {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.editorToken}`, 'content-type': 'application/json' },
        body: await readFile(demoPath('story.json')),
      }),
    );
    for (const file of ['OLY_CLOSING_01.jpg', 'OLY_CLOSING_02.jpg']) {
      const res = await api('/v1/photos', {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.feedKey}`, 'content-type': 'image/jpeg' },
        body: await readFile(demoPath(`wire/${file}`)),
      });
      expect(res.status).toBe(202);
    }
    const manifest = await eventually(async () => {
      const res = await api(`/v1/galleries/${story.id}`);
      if (res.status !== 200) return undefined;
      const m = await json<GalleryManifest>(res);
      return m.photos.length === 2 ? m : undefined;
    }, 90_000);
    for (const photo of manifest.photos) {
      expect(photo.placeholder?.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
      expect(photo.renditions.map((r) => [r.name, r.format, r.width, r.height])).toEqual([
        ['hero', 'jpeg', 1600, 1067],
        ['social', 'jpeg', 945, 630],
        ['hero-avif', 'avif', 1600, 1067],
        ['tiny', 'webp', 160, 107],
      ]);
      for (const r of photo.renditions) {
        const bytes = Buffer.from(await (await fetch(r.url)).arrayBuffer());
        const meta = await sharp(bytes).metadata();
        expect([meta.width, meta.height]).toEqual([r.width, r.height]);
        expect(isSrgbProfile(meta.icc)).toBe(true);
      }
    }
  });

  it('applies the per-agency rule: Reuters pictures get the logo, bottom-left', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/photos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.feedKey}`, 'content-type': 'image/jpeg' },
      body: await readFile(demoPath('wire/RTR_PARIS_STREET.jpg')),
    });
    const { photoId } = await json<{ photoId: string }>(res);
    const photo = await eventually(async () => {
      const body = await json<{ renditions: { name: string; url: string; width: number; height: number }[] }>(
        fetch(`${stack.apiUrl}/v1/photos/${photoId}`, {
          headers: { authorization: `Bearer ${stack.editorToken}` },
        }),
      );
      return body.renditions.length === 4 ? body : undefined;
    }, 60_000);
    const hero = photo.renditions.find((r) => r.name === 'hero') as {
      url: string;
      width: number;
      height: number;
    };
    const { data, info } = await sharp(Buffer.from(await (await fetch(hero.url)).arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    // Logo: 10 % of the width, 1.5 % margin from the bottom-left corner; sample its centre.
    const margin = Math.round(hero.width * 0.015);
    const x = margin + Math.round(hero.width * 0.05);
    const y = hero.height - margin - Math.round((hero.width * 0.1 * 120) / 300 / 2);
    const i = (y * info.width + x) * info.channels;
    const [r, g, b] = [data[i] as number, data[i + 1] as number, data[i + 2] as number];
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(90);
    expect(b).toBeLessThan(90);
  });
});

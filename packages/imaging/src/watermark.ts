import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { WatermarkStyle } from '@lightbox/contracts';
import sharp from 'sharp';

const require = createRequire(import.meta.url);

/** The bundled font (DejaVu Sans Bold), so watermarks look the same on every machine. */
export const WATERMARK_FONT_FILE = join(
  dirname(require.resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSans-Bold.ttf',
);
const FONT_FAMILY = 'DejaVu Sans Bold';

/** A resolved watermark for one photo: the text and logo to draw, and how. */
export interface Watermark {
  text?: string;
  /** PNG bytes with alpha, and a stable key for caching. */
  logo?: { png: Buffer; key: string };
  position: WatermarkStyle['position'];
  opacity: number;
  textSize: number;
  logoSize: number;
  margin: number;
}

/** A pre-rendered overlay: raw unpremultiplied RGBA, ready to composite. */
export interface WatermarkOverlay {
  data: Buffer;
  width: number;
  height: number;
  left: number;
  top: number;
}

interface RawRgba {
  data: Buffer;
  width: number;
  height: number;
}

const escapeMarkup = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

async function renderText(text: string, sizePx: number, opacity: number): Promise<RawRgba> {
  const render = (colour: string, alpha: number) =>
    sharp({
      text: {
        text: `<span foreground="${colour}" fgalpha="${Math.max(1, Math.round(alpha * 100))}%">${escapeMarkup(text)}</span>`,
        font: `${FONT_FAMILY} ${sizePx}`,
        fontfile: WATERMARK_FONT_FILE,
        rgba: true,
        dpi: 72,
      },
    })
      .raw()
      .toBuffer({ resolveWithObject: true });
  const [fg, shadow] = await Promise.all([render('#ffffff', opacity), render('#000000', opacity * 0.6)]);
  const offset = Math.max(1, Math.round(sizePx / 14));
  const width = fg.info.width + offset;
  const height = fg.info.height + offset;
  const data = await sharp({
    create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite([
      {
        input: shadow.data,
        raw: { width: shadow.info.width, height: shadow.info.height, channels: 4 },
        left: offset,
        top: offset,
      },
      { input: fg.data, raw: { width: fg.info.width, height: fg.info.height, channels: 4 }, left: 0, top: 0 },
    ])
    .raw()
    .toBuffer();
  return { data, width, height };
}

async function renderLogo(png: Buffer, width: number, opacity: number): Promise<RawRgba> {
  const { data, info } = await sharp(png)
    .resize({ width, withoutEnlargement: false })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round((data[i] as number) * opacity);
  return { data, width: info.width, height: info.height };
}

/** Logo above text, aligned to the corner's side. */
async function stack(parts: RawRgba[], alignRight: boolean): Promise<RawRgba> {
  if (parts.length === 1) return parts[0] as RawRgba;
  const gap = Math.round((parts[1]?.height ?? 0) * 0.25);
  const width = Math.max(...parts.map((p) => p.width));
  const height = parts.reduce((sum, p) => sum + p.height, 0) + gap * (parts.length - 1);
  let top = 0;
  const layers = parts.map((p) => {
    const layer = {
      input: p.data,
      raw: { width: p.width, height: p.height, channels: 4 as const },
      left: alignRight ? width - p.width : 0,
      top,
    };
    top += p.height + gap;
    return layer;
  });
  const data = await sharp({
    create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .composite(layers)
    .raw()
    .toBuffer();
  return { data, width, height };
}

const cache = new Map<string, Promise<RawRgba | undefined>>();
const CACHE_LIMIT = 256;

/** Renders (once per watermark and rendition width) the overlay, shrinking it to fit inside the margins. */
async function overlayFor(mark: Watermark, width: number): Promise<RawRgba | undefined> {
  const key = JSON.stringify([
    mark.text,
    mark.logo?.key,
    mark.opacity,
    mark.textSize,
    mark.logoSize,
    mark.margin,
    mark.position,
    width,
  ]);
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      const margin = Math.round(width * mark.margin);
      const maxWidth = width - 2 * margin;
      if (maxWidth < 8) return undefined;
      const build = async (scale: number) => {
        const parts: RawRgba[] = [];
        if (mark.logo)
          parts.push(
            await renderLogo(
              mark.logo.png,
              Math.max(4, Math.round(width * mark.logoSize * scale)),
              mark.opacity,
            ),
          );
        const text = mark.text?.trim();
        if (text)
          parts.push(
            await renderText(text, Math.max(6, Math.round(width * mark.textSize * scale)), mark.opacity),
          );
        return parts.length ? stack(parts, mark.position.endsWith('right')) : undefined;
      };
      let overlay = await build(1);
      if (overlay && overlay.width > maxWidth) overlay = await build(maxWidth / overlay.width);
      return overlay && overlay.width <= maxWidth ? overlay : undefined;
    })();
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

/** Where and what to composite on a `width`×`height` rendition; undefined when nothing fits. */
export async function watermarkOverlay(
  mark: Watermark,
  width: number,
  height: number,
): Promise<WatermarkOverlay | undefined> {
  const overlay = await overlayFor(mark, width);
  if (!overlay || overlay.height > height) return undefined;
  const margin = Math.round(width * mark.margin);
  const left = mark.position.endsWith('right') ? width - margin - overlay.width : margin;
  const top = mark.position.startsWith('bottom') ? height - margin - overlay.height : margin;
  return { ...overlay, left: Math.max(0, left), top: Math.max(0, top) };
}

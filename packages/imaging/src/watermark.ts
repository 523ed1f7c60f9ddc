import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);

/** The bundled font (DejaVu Sans Bold), so watermarks look the same on every machine. */
export const WATERMARK_FONT_FILE = join(
  dirname(require.resolve('dejavu-fonts-ttf/package.json')),
  'ttf',
  'DejaVuSans-Bold.ttf',
);
const FONT_FAMILY = 'DejaVu Sans Bold';

export interface WatermarkStyle {
  /** Text height as a fraction of the rendition width, so 2048 and 1024 look alike. */
  relativeSize: number;
  /** Margin from the corner as a fraction of the rendition width. */
  relativeMargin: number;
  /** Text opacity 0–1. */
  opacity: number;
}

export const DEFAULT_WATERMARK_STYLE: WatermarkStyle = {
  relativeSize: 0.018,
  relativeMargin: 0.015,
  opacity: 0.85,
};

export interface WatermarkOverlay {
  input: Buffer;
  left: number;
  top: number;
  width: number;
  height: number;
}

const escapeMarkup = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const cache = new Map<string, Promise<{ data: Buffer; width: number; height: number }>>();
const CACHE_LIMIT = 256;

/** White text over a soft dark shadow, as PNG with alpha, rendered once per text and size. */
function renderText(text: string, sizePx: number, opacity: number) {
  const key = `${sizePx}|${opacity}|${text}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      const markup = (colour: string, alpha: number) =>
        `<span foreground="${colour}" fgalpha="${Math.round(alpha * 100)}%">${escapeMarkup(text)}</span>`;
      const render = (colour: string, alpha: number) =>
        sharp({
          text: {
            text: markup(colour, alpha),
            font: `${FONT_FAMILY} ${sizePx}`,
            fontfile: WATERMARK_FONT_FILE,
            rgba: true,
            dpi: 72,
          },
        })
          .png()
          .toBuffer({ resolveWithObject: true });
      const [fg, shadow] = await Promise.all([render('#ffffff', opacity), render('#000000', opacity * 0.6)]);
      const offset = Math.max(1, Math.round(sizePx / 14));
      const width = fg.info.width + offset;
      const height = fg.info.height + offset;
      const data = await sharp({
        create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
      })
        .composite([
          { input: shadow.data, left: offset, top: offset },
          { input: fg.data, left: 0, top: 0 },
        ])
        .png()
        .toBuffer();
      return { data, width, height };
    })();
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

/** Where and what to composite for a credit watermark in the bottom-right corner of a `width`×`height` image. */
export async function watermarkOverlay(
  text: string,
  width: number,
  height: number,
  style: WatermarkStyle = DEFAULT_WATERMARK_STYLE,
): Promise<WatermarkOverlay | undefined> {
  const clean = text.trim();
  if (!clean) return undefined;
  const margin = Math.max(2, Math.round(width * style.relativeMargin));
  let size = Math.max(8, Math.round(width * style.relativeSize));
  let rendered = await renderText(clean, size, style.opacity);
  const maxWidth = width - 2 * margin;
  if (rendered.width > maxWidth) {
    size = Math.max(6, Math.floor((size * maxWidth) / rendered.width));
    rendered = await renderText(clean, size, style.opacity);
  }
  if (rendered.width > width || rendered.height > height) return undefined; // too tiny to carry text
  return {
    input: rendered.data,
    left: Math.max(0, width - margin - rendered.width),
    top: Math.max(0, height - margin - rendered.height),
    width: rendered.width,
    height: rendered.height,
  };
}

/**
 * The floor: a standalone, minimal sharp script making the same four outputs as Lightbox's default
 * rendition set, the best known way. It imports nothing from Lightbox; it is the honest yardstick.
 *
 * - one decode with shrink-on-load, deriving the smaller renditions from the raw 2048 intermediate;
 * - the watermark pre-rendered once as raw RGBA;
 * - no ICC transform when the embedded profile already is sRGB;
 * - WebP at effort 2;
 * - two photos in flight per core (the caller's job).
 */
import sharp from 'sharp';

export interface FloorWatermark {
  data: Buffer;
  width: number;
  height: number;
}

const OUTPUTS = [
  { name: 'large', edge: 2048, format: 'jpeg', quality: 82, watermark: true },
  { name: 'medium', edge: 1024, format: 'jpeg', quality: 80, watermark: true },
  { name: 'medium-webp', edge: 1024, format: 'webp', quality: 75, watermark: true },
  { name: 'thumb', edge: 320, format: 'jpeg', quality: 70, watermark: false },
] as const;

/** Renders the watermark text once per size as raw RGBA (fontfile: the same bundled font). */
export async function floorWatermark(text: string, width: number, fontfile: string): Promise<FloorWatermark> {
  const { data, info } = await sharp({
    text: {
      text: `<span foreground="#ffffff" fgalpha="85%">${text}</span>`,
      font: `DejaVu Sans Bold ${Math.round(width * 0.018)}`,
      fontfile,
      rgba: true,
      dpi: 72,
    },
  })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function isSrgb(icc: Buffer | undefined): boolean {
  return icc !== undefined && /sRGB/.test(icc.toString('latin1', 0, Math.min(icc.length, 1024)));
}

/** A floor renderer whose watermark is rendered once per output width and reused. */
export function createFloor(text: string, fontfile: string): (input: Buffer) => Promise<Buffer[]> {
  const marks = new Map<number, Promise<FloorWatermark>>();
  const markFor = (width: number) => {
    let m = marks.get(width);
    if (!m) {
      m = floorWatermark(text, width, fontfile);
      marks.set(width, m);
    }
    return m;
  };
  return (input) => floorRender(input, markFor);
}

export async function floorRender(
  input: Buffer,
  markFor: (width: number) => Promise<FloorWatermark>,
): Promise<Buffer[]> {
  const meta = await sharp(input).metadata();
  const base = await sharp(input, { ignoreIcc: isSrgb(meta.icc) && meta.space !== 'cmyk' })
    .autoOrient()
    .resize(2048, 2048, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels };
  return Promise.all(
    OUTPUTS.map(async (o) => {
      let img = sharp(base.data, { raw }).resize(o.edge, o.edge, { fit: 'inside', withoutEnlargement: true });
      const scale = Math.min(1, o.edge / Math.max(raw.width, raw.height));
      const width = Math.round(raw.width * scale);
      const height = Math.round(raw.height * scale);
      const mark = o.watermark ? await markFor(width) : undefined;
      if (mark) {
        const margin = Math.round(width * 0.015);
        img = img.composite([
          {
            input: mark.data,
            raw: { width: mark.width, height: mark.height, channels: 4 },
            left: width - margin - mark.width,
            top: height - margin - mark.height,
          },
        ]);
      }
      return o.format === 'jpeg'
        ? img.jpeg({ quality: o.quality }).toBuffer()
        : img.webp({ quality: o.quality, effort: 2 }).toBuffer();
    }),
  );
}

import { z } from 'zod';

export const RENDITION_FORMATS = ['jpeg', 'webp', 'avif'] as const;

/** File extension of each rendition format (rendition keys end with it). */
export const FORMAT_EXTENSIONS: Record<(typeof RENDITION_FORMATS)[number], string> = {
  jpeg: 'jpg',
  webp: 'webp',
  avif: 'avif',
};
export const FORMAT_CONTENT_TYPES: Record<(typeof RENDITION_FORMATS)[number], string> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** One rendition: a long edge (fit inside a square) or a box to fit inside. */
export const renditionSpecSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'rendition names are lower-case letters, digits and hyphens'),
    longEdge: z.number().int().min(16).max(12000).optional(),
    box: z
      .object({ width: z.number().int().min(16).max(12000), height: z.number().int().min(16).max(12000) })
      .strict()
      .optional(),
    format: z.enum(RENDITION_FORMATS),
    quality: z.number().int().min(1).max(100),
    watermark: z.boolean(),
    withoutEnlargement: z.boolean().optional(),
  })
  .strict()
  .refine((s) => (s.longEdge === undefined) !== (s.box === undefined), {
    message: 'give exactly one of longEdge or box',
  });
export type RenditionSpec = z.infer<typeof renditionSpecSchema>;

export const renditionSetSchema = z
  .array(renditionSpecSchema)
  .min(1)
  .max(16)
  .refine((set) => new Set(set.map((s) => s.name)).size === set.length, {
    message: 'rendition names must be unique',
  });

export const DEFAULT_RENDITION_SET: RenditionSpec[] = [
  { name: 'large', longEdge: 2048, format: 'jpeg', quality: 82, watermark: true },
  { name: 'medium', longEdge: 1024, format: 'jpeg', quality: 80, watermark: true },
  { name: 'medium-webp', longEdge: 1024, format: 'webp', quality: 75, watermark: true },
  { name: 'thumb', longEdge: 320, format: 'jpeg', quality: 70, watermark: false },
];

export const WATERMARK_POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

/** How a watermark looks. Sizes are fractions of the rendition width, so 2048 and 1024 look alike. */
export const watermarkStyleSchema = z
  .object({
    enabled: z.boolean(),
    /** Template: `{credit}` (the printed credit line), `{agency}`, `{photographer}`, `{source}`, or literal text; null for none. */
    text: z.string().max(200).nullable(),
    /** Path of a PNG logo with alpha; null for none. */
    logo: z.string().nullable(),
    position: z.enum(WATERMARK_POSITIONS),
    opacity: z.number().min(0.05).max(1),
    /** Text height / rendition width. */
    textSize: z.number().min(0.004).max(0.1),
    /** Logo width / rendition width. */
    logoSize: z.number().min(0.02).max(0.5),
    /** Margin from the edges / rendition width. */
    margin: z.number().min(0).max(0.2),
  })
  .strict();
export type WatermarkStyle = z.infer<typeof watermarkStyleSchema>;

const oneOrMany = z.union([z.string(), z.array(z.string())]);

/** Per-feed or per-agency overrides; the first rule whose `match` fits wins. */
export const watermarkRuleSchema = z
  .object({
    match: z.object({ feed: oneOrMany.optional(), agency: oneOrMany.optional() }).strict(),
  })
  .extend(watermarkStyleSchema.partial().shape)
  .strict();
export type WatermarkRule = z.infer<typeof watermarkRuleSchema>;

export const watermarkConfigSchema = z
  .object({
    default: watermarkStyleSchema.partial().optional(),
    rules: z.array(watermarkRuleSchema).max(200).optional(),
  })
  .strict();
export type WatermarkConfig = z.infer<typeof watermarkConfigSchema>;

export const DEFAULT_WATERMARK_STYLE: WatermarkStyle = {
  enabled: true,
  text: '{credit}',
  logo: null,
  position: 'bottom-right',
  opacity: 0.85,
  textSize: 0.018,
  logoSize: 0.08,
  margin: 0.015,
};

/** Shown by downstream sites while the image loads. */
export const placeholderSchema = z.object({
  /** `#rrggbb` */
  dominantColor: z.string().regex(/^#[0-9a-f]{6}$/),
  /** ThumbHash, base64. */
  thumbhash: z.string(),
});
export type Placeholder = z.infer<typeof placeholderSchema>;

/**
 * An original's image header as intake read it, once, from the bytes received (`Photo.probe`); its
 * displayed size and EXIF orientation are the photo's `metadata.width`, `height` and `orientation`.
 * The render stage checks it against the bytes it decodes.
 */
export interface ImageHeader {
  /** The decoder's name for the format: `jpeg`, `png`, `webp`, `tiff`, `heif`, `gif`. */
  format: string;
  /** The embedded ICC profile: `srgb` (no transform needed) or `other` (converted to sRGB); none when absent. */
  icc?: 'srgb' | 'other';
  /** The colour space when it is not sRGB (`cmyk`, `b-w`, …). */
  space?: string;
}

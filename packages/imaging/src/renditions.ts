export type RenditionFormat = 'jpeg' | 'webp' | 'avif';

export interface RenditionSpec {
  name: string;
  /** Long edge in pixels; the image fits inside a `longEdge` × `longEdge` box. */
  longEdge: number;
  format: RenditionFormat;
  quality: number;
  watermark: boolean;
  /** Never upscale a smaller original (default true). */
  withoutEnlargement?: boolean;
}

export const DEFAULT_RENDITIONS: readonly RenditionSpec[] = [
  { name: 'large', longEdge: 2048, format: 'jpeg', quality: 82, watermark: true },
  { name: 'medium', longEdge: 1024, format: 'jpeg', quality: 80, watermark: true },
  { name: 'thumb', longEdge: 320, format: 'jpeg', quality: 70, watermark: false },
];

export const FORMAT_EXTENSIONS: Record<RenditionFormat, string> = { jpeg: 'jpg', webp: 'webp', avif: 'avif' };
export const FORMAT_CONTENT_TYPES: Record<RenditionFormat, string> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
};

/** Output size of a `longEdge` box fit, as libvips computes it. */
export function fitInside(
  width: number,
  height: number,
  longEdge: number,
  withoutEnlargement = true,
): { width: number; height: number } {
  const scale = longEdge / Math.max(width, height);
  if (withoutEnlargement && scale >= 1) return { width, height };
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

import { DEFAULT_RENDITION_SET, type RenditionSpec } from '@lightbox/contracts';

export type { RenditionSpec } from '@lightbox/contracts';
export { FORMAT_CONTENT_TYPES, FORMAT_EXTENSIONS } from '@lightbox/contracts';
export type RenditionFormat = RenditionSpec['format'];

export const DEFAULT_RENDITIONS: readonly RenditionSpec[] = DEFAULT_RENDITION_SET;

/** Output size when fitting `width`×`height` inside a `boxWidth`×`boxHeight` box, as libvips rounds. */
export function fitInside(
  width: number,
  height: number,
  boxWidth: number,
  boxHeight = boxWidth,
  withoutEnlargement = true,
): { width: number; height: number } {
  const scale = Math.min(boxWidth / width, boxHeight / height);
  if (withoutEnlargement && scale >= 1) return { width, height };
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The size a rendition spec gives for an image displayed at `width`×`height`. */
export function renditionSize(
  spec: RenditionSpec,
  width: number,
  height: number,
): { width: number; height: number } {
  const box = spec.box ?? { width: spec.longEdge as number, height: spec.longEdge as number };
  return fitInside(width, height, box.width, box.height, spec.withoutEnlargement ?? true);
}

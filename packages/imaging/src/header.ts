import type { ImageHeader } from '@lightbox/contracts';
import { isSrgbProfile } from './icc.js';
import type { ImageProbe } from './render.js';

/** What a probe says about an original, as recorded with the photo (`Photo.probe`). */
export function imageHeaderOf(probe: ImageProbe): ImageHeader {
  return {
    format: probe.format,
    ...(probe.icc ? { icc: isSrgbProfile(probe.icc) && probe.space !== 'cmyk' ? 'srgb' : 'other' } : {}),
    ...(probe.space && probe.space !== 'srgb' ? { space: probe.space } : {}),
  };
}

/** The header and displayed size recorded at intake. */
export interface RecordedImage {
  header: ImageHeader;
  width?: number;
  height?: number;
  orientation?: number;
}

/**
 * How the bytes being decoded differ from what intake recorded of them (format, displayed size,
 * orientation, colour), or undefined when they agree.
 */
export function headerMismatch(recorded: RecordedImage, probe: ImageProbe): string | undefined {
  const now = imageHeaderOf(probe);
  const describe = (h: ImageHeader, w?: number, ht?: number, o?: number) =>
    `${h.format} ${w ?? '?'}x${ht ?? '?'}${(o ?? 1) !== 1 ? ` orientation ${o}` : ''}${h.icc ? ` icc ${h.icc}` : ''}${h.space ? ` ${h.space}` : ''}`;
  const was = describe(recorded.header, recorded.width, recorded.height, recorded.orientation);
  const is = describe(now, probe.displayWidth, probe.displayHeight, probe.orientation);
  return was === is ? undefined : `intake read ${was}, the stored original is ${is}`;
}

import type { ImageHeader } from '@lightbox/contracts';
import { ImageInputError, imageHeaderOf, probeImage } from '@lightbox/imaging';

/** What the image header of a transmission says: usable (with its header and size), or why not. */
export type HeaderProbe =
  | {
      ok: true;
      header: ImageHeader;
      /** Displayed size (EXIF orientation applied) and the orientation. */
      size: { width: number; height: number; orientation?: number };
    }
  | { ok: false; reason: string };

/**
 * Reads the image header from the bytes received (a JPEG's head is enough): the decoder's own
 * reading, so the render stage sees the same. Corrupt headers, formats the decoder does not take
 * and images over `maxInputPixels` are not usable, with the reason (`code: message`).
 */
export async function probeHeader(bytes: Buffer, maxInputPixels: number): Promise<HeaderProbe> {
  try {
    const probe = await probeImage(bytes, maxInputPixels);
    return {
      ok: true,
      header: imageHeaderOf(probe),
      size: {
        width: probe.displayWidth,
        height: probe.displayHeight,
        ...(probe.orientation !== undefined ? { orientation: probe.orientation } : {}),
      },
    };
  } catch (err) {
    if (err instanceof ImageInputError) return { ok: false, reason: `${err.code}: ${err.message}` };
    throw err;
  }
}

/** One marker segment of a JPEG's header (before the image data). */
export interface JpegSegment {
  marker: number;
  /** Offset of the segment's 0xFF marker byte. */
  offset: number;
  /** The bytes after the two-byte length field. */
  payload: Buffer;
}

/**
 * The marker segments before a JPEG's image data (APPn, COM, tables …), in file order. `complete`
 * when the walk reached the start of scan (or end of image) through well-formed segments; false
 * for a file that is not a JPEG, is cut short or has a broken segment (the segments read so far are
 * returned). Never throws.
 */
export function jpegHeaderSegments(jpeg: Buffer): { segments: JpegSegment[]; complete: boolean } {
  const segments: JpegSegment[] = [];
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return { segments, complete: false };
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) break;
    const marker = jpeg[offset + 1] as number;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return { segments, complete: true }; // SOS or EOI
    if (marker >= 0xd0 && marker <= 0xd7) {
      offset += 2; // RSTn: no length
      continue;
    }
    const length = jpeg.readUInt16BE(offset + 2);
    if (length < 2 || offset + 2 + length > jpeg.length) break;
    segments.push({ marker, offset, payload: jpeg.subarray(offset + 4, offset + 2 + length) });
    offset += 2 + length;
  }
  return { segments, complete: false };
}

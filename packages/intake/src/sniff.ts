/** Image formats Lightbox accepts, recognised by their first bytes (never by name or header). */
export interface SniffedFormat {
  format: 'jpeg' | 'png' | 'tiff' | 'webp' | 'heif' | 'avif' | 'gif';
  ext: string;
  contentType: string;
}

/** Bytes needed to recognise every supported format. */
export const SNIFF_BYTES = 32;

export function sniffImageFormat(head: Buffer): SniffedFormat | undefined {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) {
    return { format: 'jpeg', ext: 'jpg', contentType: 'image/jpeg' };
  }
  if (
    head.length >= 8 &&
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return { format: 'png', ext: 'png', contentType: 'image/png' };
  }
  if (head.length >= 4) {
    const sig = head.subarray(0, 4).toString('latin1');
    if (sig === 'II*\0' || sig === 'MM\0*') return { format: 'tiff', ext: 'tif', contentType: 'image/tiff' };
    if (sig === 'GIF8') return { format: 'gif', ext: 'gif', contentType: 'image/gif' };
  }
  if (
    head.length >= 12 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return { format: 'webp', ext: 'webp', contentType: 'image/webp' };
  }
  if (head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp') {
    const brand = head.toString('latin1', 8, 12);
    if (brand === 'avif' || brand === 'avis')
      return { format: 'avif', ext: 'avif', contentType: 'image/avif' };
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) {
      return { format: 'heif', ext: 'heic', contentType: 'image/heic' };
    }
  }
  return undefined;
}

/**
 * A client file name made safe for display: the last path segment, no control characters,
 * at most 200 characters. Never used to build storage keys.
 */
export function sanitizeFilename(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const last = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const cleaned = last.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return undefined;
  return cleaned.slice(0, 200);
}

/** Photo ids derive from the first-seen bytes, so a retried intake of the same bytes gets the same id. */
export function photoIdFor(sha256: string): string {
  return `ph_${sha256.slice(0, 24)}`;
}

/**
 * Why a client file name is refused, or undefined when it is acceptable for display. Names with path
 * separators, `..`, or control characters are refused: they are hostile or broken, and Lightbox
 * never uses names in storage keys anyway.
 */
export function filenameProblem(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  if (name.length > 255) return 'the file name is longer than 255 characters';
  if (/[/\\]/.test(name)) return 'the file name contains a path separator';
  if (name === '..' || name === '.' || name.split(/[/\\]/).includes('..'))
    return 'the file name is a relative path';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: detecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'the file name contains control characters';
  return undefined;
}

/** Largest metadata (APPn/COM segments before the image data) Lightbox reads from a JPEG. */
export const MAX_JPEG_METADATA_BYTES = 4 * 1024 * 1024;

/** What the segments before a JPEG's image data say (see `scanJpegHeader`). */
export interface JpegHeaderScan {
  /** Bytes of metadata segments (APPn, COM) seen so far. */
  metadataBytes: number;
  /** True once they pass `MAX_JPEG_METADATA_BYTES` (a hostile or broken file). */
  exceeds: boolean;
  /**
   * Offset just past the start-of-scan segment: the bytes before it hold everything a header reader
   * needs (dimensions, EXIF orientation, ICC profile, metadata). Undefined until it is in `head`.
   */
  headerEnd?: number;
  /** An APP11 segment came before the image data: JUMBF, where C2PA Content Credentials live. */
  jumbf: boolean;
}

/** Walks the segments of a JPEG's first bytes up to its image data (`head` may stop anywhere). */
export function scanJpegHeader(head: Buffer): JpegHeaderScan {
  let offset = 2;
  let metadataBytes = 0;
  let jumbf = false;
  while (offset + 4 <= head.length) {
    if (head[offset] !== 0xff) break;
    const marker = head[offset + 1] as number;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xd9) break;
    const length = head.readUInt16BE(offset + 2);
    if (marker === 0xda) {
      const end = offset + 2 + length;
      return { metadataBytes, exceeds: false, jumbf, ...(end <= head.length ? { headerEnd: end } : {}) };
    }
    if ((marker >= 0xe0 && marker <= 0xef) || marker === 0xfe) metadataBytes += length + 2;
    if (marker === 0xeb) jumbf = true;
    if (metadataBytes > MAX_JPEG_METADATA_BYTES) return { metadataBytes, exceeds: true, jumbf };
    offset += 2 + length;
  }
  return { metadataBytes, exceeds: false, jumbf };
}

/**
 * Bytes of metadata segments at the start of a JPEG, reading `head` (the file's first bytes).
 * `exceeds` is true once they pass `MAX_JPEG_METADATA_BYTES` (a hostile or broken file).
 */
export function jpegMetadataBytes(head: Buffer): { bytes: number; exceeds: boolean } {
  const scan = scanJpegHeader(head);
  return { bytes: scan.metadataBytes, exceeds: scan.exceeds };
}

/** Most bytes kept for a JPEG's head: its metadata segments (limited) and header. */
export const HEAD_BYTES = MAX_JPEG_METADATA_BYTES + 64 * 1024;

const JPEG_EOI = Buffer.from([0xff, 0xd9]);
const PNG_IEND = Buffer.from('IEND', 'latin1');

/**
 * Finds a JPEG's end-of-image marker in its image data as it streams past (`push` each chunk in
 * order, from the start of the file). Entropy-coded data never holds 0xFF 0xD9 (a 0xFF in it is
 * followed by 0x00), so the first one after the start-of-scan header ends the main image; data an
 * agency or camera appends after it does not matter. `ended` stays false for a file cut short.
 */
export class JpegEndWatch {
  private offset = 0;
  private from: number | undefined;
  private last = -1;
  ended = false;

  /** Where the image data starts (`scanJpegHeader(...).headerEnd`), once known. */
  startAt(headerEnd: number, seen: Buffer): void {
    this.from = headerEnd;
    this.ended = seen.indexOf(JPEG_EOI, headerEnd) >= 0;
    this.last = seen.length > 0 ? (seen[seen.length - 1] as number) : -1;
    this.offset = seen.length;
  }

  push(chunk: Buffer): void {
    if (this.from === undefined || this.ended) {
      this.offset += chunk.length;
      return;
    }
    const skip = Math.max(0, this.from - this.offset);
    this.ended =
      (skip === 0 && this.last === 0xff && chunk[0] === 0xd9) || chunk.indexOf(JPEG_EOI, skip) >= 0;
    this.last = chunk.length > 0 ? (chunk[chunk.length - 1] as number) : this.last;
    this.offset += chunk.length;
  }

  /** True or false once the image data's start was known; undefined when it never was. */
  get complete(): boolean | undefined {
    return this.from === undefined ? undefined : this.ended;
  }
}

/**
 * Whether a whole file is a whole image as far as its bytes can tell: a JPEG has an end-of-image
 * marker after its image data starts; a PNG has its IEND chunk. Undefined for other formats, and
 * for a JPEG whose header cannot be walked (intake and the stages check them).
 */
export function imageEnds(bytes: Buffer): boolean | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    const headerEnd = scanJpegHeader(bytes.subarray(0, HEAD_BYTES)).headerEnd;
    return headerEnd === undefined ? undefined : bytes.indexOf(JPEG_EOI, headerEnd) >= 0;
  }
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes.toString('latin1', 1, 4) === 'PNG')
    return bytes.lastIndexOf(PNG_IEND) > 8;
  return undefined;
}

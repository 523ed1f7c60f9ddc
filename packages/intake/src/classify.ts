import { createHash } from 'node:crypto';
import type { PhotoMetadata } from '@lightbox/contracts';
import { NewsmlError, type NewsmlPicture, parseNewsml } from '@lightbox/newsml';
import { filenameProblem, jpegMetadataBytes, MAX_JPEG_METADATA_BYTES, type SniffedFormat } from './sniff.js';

/**
 * What intake makes of a received transmission before reading it: bytes that can never be a
 * photo (`unusable`: recorded under their fingerprint, so resends are known duplicates), a fault in
 * how they were sent (`refused`: the file name or the sidecar; recorded, but a correct resend of
 * the same bytes goes through), or an image to read, with its parsed NewsML-G2 sidecar.
 */
export type Classification =
  | { verdict: 'unusable' | 'refused'; code: string; message: string }
  | { verdict: 'image'; format: SniffedFormat; sidecar?: NewsmlPicture };

/** Classifies a received transmission from its name, size, sniffed format, head and sidecar. */
export function classifyTransmission(
  file: { size: number; format?: SniffedFormat; head: Buffer },
  filename: string | undefined,
  sidecarBytes: Buffer | undefined,
): Classification {
  const nameProblem = filenameProblem(filename);
  if (nameProblem) return { verdict: 'refused', code: 'invalid_filename', message: nameProblem };
  if (file.size === 0)
    return { verdict: 'unusable', code: 'empty_file', message: 'the upload is empty (0 bytes)' };
  const format = file.format;
  if (!format)
    return {
      verdict: 'unusable',
      code: 'unsupported_format',
      message: 'the bytes are not a JPEG, PNG, TIFF, WebP, HEIF, AVIF or GIF image',
    };
  if (format.format === 'jpeg' && jpegMetadataBytes(file.head).exceeds)
    return {
      verdict: 'unusable',
      code: 'metadata_too_large',
      message: `the metadata segments exceed ${MAX_JPEG_METADATA_BYTES / 1024 / 1024} MB`,
    };
  if (sidecarBytes === undefined) return { verdict: 'image', format };
  try {
    const item = parseNewsml(sidecarBytes);
    if (item.kind !== 'picture')
      return {
        verdict: 'refused',
        code: 'sidecar_not_picture',
        message: `the NewsML-G2 sidecar is a ${item.kind} item, not a picture`,
      };
    return { verdict: 'image', format, sidecar: item };
  } catch (err) {
    if (err instanceof NewsmlError)
      return { verdict: 'refused', code: `sidecar_${err.code}`, message: err.message };
    throw err;
  }
}

/**
 * What makes two transmissions the same: the bytes, and the sidecar that came with them (a NewsML
 * kill or correction may come with the very same image).
 */
export function transmissionFingerprint(sha256: string, sidecar: Buffer | undefined): string {
  if (!sidecar) return sha256;
  return createHash('sha256').update(sha256).update('\0').update(sidecar).digest('hex');
}

/** The sidecar's fields that supply or override the embedded metadata. */
export function sidecarOverrides(item: NewsmlPicture): Partial<PhotoMetadata> {
  return {
    ...item.metadata,
    guid: item.guid,
    itemVersion: item.version,
    pubStatus: item.pubStatus,
    releaseDate: item.embargoed,
    editStatus: item.signals.find((s) => /correct|update|kill|withdraw/i.test(s)),
  };
}

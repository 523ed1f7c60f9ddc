import { jpegHeaderSegments } from './jpeg-segments.js';

/**
 * Reads the Photoshop Image Resource Block (JPEG APP13 "Photoshop 3.0") far enough to get the
 * raw IPTC IIM bytes (resource 0x0404) and the stored IPTC digest (resource 0x0425).
 * exifr parses the IIM values; this gives what exifr does not: the envelope record and the digest.
 */
export interface PhotoshopIrb {
  iim?: Buffer;
  /** MD5 of the IIM block as written by the last MWG-aware editor (16 bytes). */
  iptcDigest?: Buffer;
}

const PHOTOSHOP_ID = Buffer.from('Photoshop 3.0\0', 'latin1');

/** Concatenated payloads of all APP13 Photoshop segments (large blocks can span several). */
function app13Payload(jpeg: Buffer): Buffer | undefined {
  const parts = jpegHeaderSegments(jpeg)
    .segments.filter(
      (s) => s.marker === 0xed && s.payload.subarray(0, PHOTOSHOP_ID.length).equals(PHOTOSHOP_ID),
    )
    .map((s) => s.payload.subarray(PHOTOSHOP_ID.length));
  return parts.length > 0 ? Buffer.concat(parts) : undefined;
}

export function readPhotoshopIrb(jpeg: Buffer): PhotoshopIrb {
  const payload = app13Payload(jpeg);
  const out: PhotoshopIrb = {};
  if (!payload) return out;
  let offset = 0;
  while (offset + 12 <= payload.length) {
    if (payload.toString('latin1', offset, offset + 4) !== '8BIM') break;
    const id = payload.readUInt16BE(offset + 4);
    const nameLength = payload[offset + 6] as number;
    let nameField = 1 + nameLength;
    if (nameField % 2 !== 0) nameField += 1;
    const sizeAt = offset + 6 + nameField;
    if (sizeAt + 4 > payload.length) break;
    const size = payload.readUInt32BE(sizeAt);
    const dataAt = sizeAt + 4;
    if (dataAt + size > payload.length) break;
    const data = payload.subarray(dataAt, dataAt + size);
    if (id === 0x0404) out.iim = data;
    else if (id === 0x0425 && size === 16) out.iptcDigest = data;
    offset = dataAt + size + (size % 2);
  }
  return out;
}

/** Value of IIM dataset `record:dataset`, first occurrence, raw bytes. */
export function iimDataset(iim: Buffer, record: number, dataset: number): Buffer | undefined {
  let offset = 0;
  while (offset + 5 <= iim.length) {
    if (iim[offset] !== 0x1c) {
      offset += 1;
      continue;
    }
    const rec = iim[offset + 1];
    const ds = iim[offset + 2];
    let size = iim.readUInt16BE(offset + 3);
    let header = 5;
    if (size & 0x8000) {
      // Extended dataset: the low bits give the length of the length field.
      const n = size & 0x7fff;
      if (n > 4 || offset + 5 + n > iim.length) return undefined;
      size = iim.readUIntBE(offset + 5, n);
      header += n;
    }
    if (rec === record && ds === dataset) return iim.subarray(offset + header, offset + header + size);
    offset += header + size;
  }
  return undefined;
}

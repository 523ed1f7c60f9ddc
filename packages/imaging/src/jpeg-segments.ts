/** Writes metadata segments into a JPEG without re-encoding it. */

export interface JpegMetadata {
  icc?: Buffer;
  xmp?: string;
  /** IPTC IIM block; written with its MWG digest (Photoshop resource 0x0425). */
  iim?: Buffer;
  iimDigest?: Buffer;
}

function segment(marker: number, payload: Buffer): Buffer {
  if (payload.length + 2 > 0xffff) throw new Error(`JPEG segment too large (${payload.length} bytes)`);
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

function iccSegments(icc: Buffer): Buffer[] {
  const chunk = 65519;
  const count = Math.ceil(icc.length / chunk);
  return Array.from({ length: count }, (_, i) =>
    segment(
      0xe2,
      Buffer.concat([
        Buffer.from('ICC_PROFILE\0', 'latin1'),
        Buffer.from([i + 1, count]),
        icc.subarray(i * chunk, (i + 1) * chunk),
      ]),
    ),
  );
}

function irbResource(id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.write('8BIM', 0, 'latin1');
  head.writeUInt16BE(id, 4);
  head.writeUInt32BE(data.length, 8);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]);
}

/** Segments at the start of the file that must stay first (SOI is handled separately). */
const isJfifOrExifApp = (marker: number) => marker === 0xe0;

/**
 * Inserts APP2 ICC, APP1 XMP and APP13 IIM segments after SOI (and after a JFIF APP0, which must
 * come first). The JPEG must not already carry these segments: renditions come from sharp stripped.
 */
export function spliceJpegMetadata(jpeg: Buffer, meta: JpegMetadata): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  let insertAt = 2;
  while (
    insertAt + 4 <= jpeg.length &&
    jpeg[insertAt] === 0xff &&
    isJfifOrExifApp(jpeg[insertAt + 1] as number)
  ) {
    insertAt += 2 + jpeg.readUInt16BE(insertAt + 2);
  }
  const parts: Buffer[] = [];
  if (meta.xmp)
    parts.push(
      segment(
        0xe1,
        Buffer.concat([
          Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'),
          Buffer.from(meta.xmp, 'utf8'),
        ]),
      ),
    );
  if (meta.icc) parts.push(...iccSegments(meta.icc));
  if (meta.iim) {
    const resources = [irbResource(0x0404, meta.iim)];
    if (meta.iimDigest) resources.push(irbResource(0x0425, meta.iimDigest));
    parts.push(segment(0xed, Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), ...resources])));
  }
  return Buffer.concat([jpeg.subarray(0, insertAt), ...parts, jpeg.subarray(insertAt)]);
}

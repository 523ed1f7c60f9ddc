import { spliceJpegMetadata } from '@lightbox/imaging';
import { buildIimBlock, buildXmpPacket, iimDigest, type RightsRecord } from '@lightbox/metadata';
import sharp from 'sharp';

/** A small agency-style JPEG: distinct pixels per `seed`, IIM + XMP caption fields. */
export async function wireJpeg(
  fields: RightsRecord & { transmissionReference?: string },
  seed = 1,
): Promise<Buffer> {
  const base = await sharp({
    create: {
      width: 64,
      height: 48,
      channels: 3,
      background: { r: seed % 256, g: (seed * 7) % 256, b: (seed * 13) % 256 },
    },
  })
    .jpeg()
    .toBuffer();
  const iim = buildIimBlock(fields);
  // The transmission reference (2:103) is not a rights field; append it to the IIM block.
  const ref = fields.transmissionReference
    ? Buffer.concat([
        Buffer.from([0x1c, 2, 103, 0, fields.transmissionReference.length]),
        Buffer.from(fields.transmissionReference),
      ])
    : Buffer.alloc(0);
  const block = Buffer.concat([iim, ref]);
  return spliceJpegMetadata(base, { iim: block, iimDigest: iimDigest(block), xmp: buildXmpPacket(fields) });
}

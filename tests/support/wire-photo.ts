import { spliceJpegMetadata } from '@lightbox/imaging';
import { buildIimBlock, iimDigest, type RightsRecord } from '@lightbox/metadata';
import sharp from 'sharp';

/**
 * A small agency-style JPEG (64×48, distinct pixels per `seed`) with IIM caption fields and,
 * when given, the agency job id (IIM 2:103 Original Transmission Reference) a story's event ids
 * may list: fast to render, so end-to-end tests can send hundreds.
 */
export async function wirePhoto(
  fields: RightsRecord & { transmissionReference?: string },
  seed: number,
): Promise<Buffer> {
  const base = await sharp({
    create: {
      width: 64,
      height: 48,
      channels: 3,
      background: { r: seed % 256, g: Math.floor(seed / 256) % 256, b: (seed * 13) % 256 },
    },
  })
    .jpeg()
    .toBuffer();
  const ref = fields.transmissionReference;
  const block = Buffer.concat([
    buildIimBlock(fields),
    ref ? Buffer.concat([Buffer.from([0x1c, 2, 103, 0, ref.length]), Buffer.from(ref)]) : Buffer.alloc(0),
  ]);
  return spliceJpegMetadata(base, { iim: block, iimDigest: iimDigest(block) });
}

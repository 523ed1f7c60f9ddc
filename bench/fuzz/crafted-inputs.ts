/**
 * Crafted hostile inputs: a 100,000 × 100,000 PNG header bomb, deeply nested and oversized XMP,
 * a billion-laughs NewsML-G2, empty and non-image bytes.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A valid PNG header claiming 100,000 × 100,000 pixels, with a tiny compressed body. */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const idat = deflateSync(Buffer.alloc(1_000_000));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
function app1Xmp(xml: string): Buffer {
  const payload = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(xml)]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(Math.min(65_535, payload.length + 2), 2);
  return Buffer.concat([head, payload.subarray(0, 65_533)]);
}
function withSegments(jpeg: Buffer, segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}
export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol9 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="x" version="1"><contentMeta><headline>&lol9;</headline></contentMeta></newsItem>`;

export async function crafted(seed: Buffer): Promise<{ name: string; bytes: Buffer }[]> {
  const nested = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${'<rdf:Description><rdf:Bag><rdf:li>'.repeat(2000)}deep${'</rdf:li></rdf:Bag></rdf:Description>'.repeat(2000)}</rdf:RDF></x:xmpmeta>`;
  const wide = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>${'<rdf:li>keyword</rdf:li>'.repeat(3000)}</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>`;
  const huge = Array.from({ length: 80 }, () => app1Xmp(wide)); // ≈ 5 MB of metadata segments
  return [
    { name: 'png-header-bomb-100000x100000', bytes: pngBomb() },
    { name: 'xmp-nested-2000-deep', bytes: withSegments(seed, [app1Xmp(nested)]) },
    { name: 'xmp-3000-keywords', bytes: withSegments(seed, [app1Xmp(wide)]) },
    { name: 'xmp-5mb-of-segments', bytes: withSegments(seed, huge) },
    { name: 'empty', bytes: Buffer.alloc(0) },
    { name: 'jpeg-soi-only', bytes: Buffer.from([0xff, 0xd8, 0xff]) },
    { name: 'text-as-image', bytes: Buffer.from('<html>not an image</html>') },
    {
      name: 'gif-tiny',
      bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
        .gif()
        .toBuffer(),
    },
  ];
}

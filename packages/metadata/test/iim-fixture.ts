import { createHash } from 'node:crypto';
import sharp from 'sharp';

/** One IIM dataset: record, dataset number and raw value bytes. */
export type Dataset = [record: number, dataset: number, value: Buffer | string];

export function iimBlock(datasets: Dataset[], encoding: BufferEncoding = 'utf8'): Buffer {
  return Buffer.concat(
    datasets.map(([rec, ds, value]) => {
      const bytes = typeof value === 'string' ? Buffer.from(value, encoding) : value;
      const header = Buffer.from([0x1c, rec, ds, 0, 0]);
      header.writeUInt16BE(bytes.length, 3);
      return Buffer.concat([header, bytes]);
    }),
  );
}

function resource(id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(12);
  head.write('8BIM', 0, 'latin1');
  head.writeUInt16BE(id, 4);
  // empty Pascal name padded to even length: 0x00 0x00
  head.writeUInt32BE(data.length, 8);
  const pad = data.length % 2 ? Buffer.from([0]) : Buffer.alloc(0);
  return Buffer.concat([head, data, pad]);
}

/**
 * A small real JPEG carrying an APP13 Photoshop block with the given IIM, and optionally the
 * IPTC digest resource (0x0425): `'match'` writes the MD5 of the block, a Buffer writes that value.
 */
export async function jpegWithIim(iim: Buffer, digest?: 'match' | Buffer, xmp?: string): Promise<Buffer> {
  const base = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#808080' } })
    .jpeg()
    .toBuffer();
  const resources = [resource(0x0404, iim)];
  if (digest)
    resources.push(resource(0x0425, digest === 'match' ? createHash('md5').update(iim).digest() : digest));
  const payload = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), ...resources]);
  const app13 = Buffer.concat([Buffer.from([0xff, 0xed, 0, 0]), payload]);
  app13.writeUInt16BE(payload.length + 2, 2);
  const segments = [base.subarray(0, 2), app13];
  if (xmp) {
    const body = Buffer.concat([
      Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'),
      Buffer.from(xmp, 'utf8'),
    ]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), body]);
    app1.writeUInt16BE(body.length + 2, 2);
    segments.push(app1);
  }
  segments.push(base.subarray(2));
  return Buffer.concat(segments);
}

export function xmpPacket(photoshop: Record<string, string>, dc: Record<string, string> = {}): string {
  const attrs = Object.entries(photoshop)
    .map(([k, v]) => ` photoshop:${k}="${v}"`)
    .join('');
  const dcBody = Object.entries(dc)
    .map(([k, v]) => `<dc:${k}><rdf:Alt><rdf:li xml:lang="x-default">${v}</rdf:li></rdf:Alt></dc:${k}>`)
    .join('');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"${attrs}>${dcBody}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

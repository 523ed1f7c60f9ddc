import { createHash } from 'node:crypto';
import type { PhotoMetadata } from '@lightbox/contracts';

/**
 * The rights and caption fields carried into every rendition, so downstream readers still see who
 * made the photo, whose it is and what it shows. Everything else (GPS, camera serials) is dropped.
 */
export interface RightsRecord {
  caption?: string;
  headline?: string;
  byline?: string;
  credit?: string;
  source?: string;
  copyright?: string;
  usageTerms?: string;
  specialInstructions?: string;
  objectName?: string;
  dateCreated?: string;
}

export function rightsFromMetadata(m: PhotoMetadata | undefined): RightsRecord {
  if (!m) return {};
  return {
    caption: m.caption,
    headline: m.headline,
    byline: m.byline,
    credit: m.credit ?? m.agency,
    source: m.source,
    copyright: m.copyright,
    usageTerms: m.usageTerms,
    specialInstructions: m.specialInstructions,
    objectName: m.objectName,
    dateCreated: m.dateCreated,
  };
}

/** Cuts UTF-8 text to at most `max` bytes without splitting a character. */
export function truncateUtf8(text: string, max: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return bytes;
  let end = max;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

function dataset(record: number, number: number, value: Buffer): Buffer {
  const head = Buffer.from([0x1c, record, number, 0, 0]);
  head.writeUInt16BE(value.length, 3);
  return Buffer.concat([head, value]);
}

/** IIM 4.2 maximum lengths (bytes) for the datasets Lightbox writes. */
const IIM_LIMITS = {
  objectName: 64,
  instructions: 256,
  byline: 32,
  headline: 256,
  credit: 32,
  source: 32,
  copyright: 128,
  caption: 2000,
};

/**
 * IPTC IIM record 1 + 2 in UTF-8 (1:90 = ESC % G). Values longer than IIM allows are cut at a
 * character boundary; the XMP packet carries them whole.
 */
export function buildIimBlock(r: RightsRecord): Buffer {
  const parts: Buffer[] = [
    dataset(1, 90, Buffer.from([0x1b, 0x25, 0x47])),
    dataset(2, 0, Buffer.from([0, 4])),
  ];
  const add = (n: number, value: string | undefined, limit: number) => {
    if (value) parts.push(dataset(2, n, truncateUtf8(value, limit)));
  };
  add(5, r.objectName, IIM_LIMITS.objectName);
  add(40, r.specialInstructions, IIM_LIMITS.instructions);
  const date = r.dateCreated?.match(
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{2}):(\d{2}))?)?/,
  );
  if (date) {
    parts.push(dataset(2, 55, Buffer.from(`${date[1]}${date[2]}${date[3]}`)));
    if (date[4])
      parts.push(
        dataset(
          2,
          60,
          Buffer.from(`${date[4]}${date[5]}${date[6]}${date[7] ? `${date[7]}${date[8]}${date[9]}` : ''}`),
        ),
      );
  }
  for (const name of (r.byline ?? '').split(/\s*,\s*/).filter(Boolean)) add(80, name, IIM_LIMITS.byline);
  add(105, r.headline, IIM_LIMITS.headline);
  add(110, r.credit, IIM_LIMITS.credit);
  add(115, r.source, IIM_LIMITS.source);
  add(116, r.copyright, IIM_LIMITS.copyright);
  add(120, r.caption, IIM_LIMITS.caption);
  return Buffer.concat(parts);
}

/** MD5 of an IIM block: the Photoshop 0x0425 digest that tells MWG readers IIM and XMP agree. */
export function iimDigest(iim: Buffer): Buffer {
  return createHash('md5').update(iim).digest();
}

const xmlEscape = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are not allowed in XML
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

const alt = (tag: string, value: string | undefined) =>
  value
    ? `<${tag}><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(value)}</rdf:li></rdf:Alt></${tag}>`
    : '';

/** An XMP packet with the same fields as the IIM block, in full length. */
export function buildXmpPacket(r: RightsRecord): string {
  const simple = (tag: string, value: string | undefined) =>
    value ? `<${tag}>${xmlEscape(value)}</${tag}>` : '';
  const creators = (r.byline ?? '').split(/\s*,\s*/).filter(Boolean);
  const body = [
    alt('dc:description', r.caption),
    alt('dc:title', r.objectName),
    alt('dc:rights', r.copyright),
    creators.length
      ? `<dc:creator><rdf:Seq>${creators.map((c) => `<rdf:li>${xmlEscape(c)}</rdf:li>`).join('')}</rdf:Seq></dc:creator>`
      : '',
    simple('photoshop:Headline', r.headline),
    simple('photoshop:Credit', r.credit),
    simple('photoshop:Source', r.source),
    simple('photoshop:Instructions', r.specialInstructions),
    simple('photoshop:DateCreated', r.dateCreated),
    alt('xmpRights:UsageTerms', r.usageTerms),
  ].join('');
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">' +
    body +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

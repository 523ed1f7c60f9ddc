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
  /** PLUS Data Mining code (`DMI-PROHIBITED`) or URI. */
  dataMining?: string;
  copyrightOwners?: string[];
  licensorUrl?: string;
  webStatement?: string;
  /** PLUS codes (`MR-NON`, `PR-NAP`) or URIs. */
  modelReleaseStatus?: string;
  propertyReleaseStatus?: string;
  /** IPTC digital source type URI: an AI-generated picture stays marked as such downstream. */
  digitalSourceType?: string;
  /** The sender's expiry (IIM 2:37/2:38 in JPEG). */
  expirationDate?: string;
}

/**
 * The rights record of a photo's metadata. `digitalSourceType` overrides the metadata's own when
 * given (the statement that counts, e.g. the C2PA manifest's when it is more synthetic).
 */
export function rightsFromMetadata(
  m: PhotoMetadata | undefined,
  overrides: { digitalSourceType?: string } = {},
): RightsRecord {
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
    dataMining: m.dataMining,
    copyrightOwners: m.copyrightOwners,
    licensorUrl: m.licensorUrl,
    webStatement: m.webStatement,
    modelReleaseStatus: m.modelReleaseStatus,
    propertyReleaseStatus: m.propertyReleaseStatus,
    digitalSourceType: overrides.digitalSourceType ?? m.digitalSourceType,
    expirationDate: m.expirationDate,
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

/** An ISO date or date-time as IIM CCYYMMDD and HHMMSS±HHMM (no offset when the time has none). */
function iimDateTime(iso: string | undefined): { date: string; time?: string } | undefined {
  const m = iso?.match(
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:(Z)|([+-])(\d{2}):(\d{2}))?)?/,
  );
  if (!m) return undefined;
  const date = `${m[1]}${m[2]}${m[3]}`;
  if (!m[4]) return { date };
  const offset = m[7] ? '+0000' : m[8] ? `${m[8]}${m[9]}${m[10]}` : '';
  return { date, time: `${m[4]}${m[5]}${m[6]}${offset}` };
}

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
  const addDate = (dateNumber: number, timeNumber: number, iso: string | undefined) => {
    const d = iimDateTime(iso);
    if (d) parts.push(dataset(2, dateNumber, Buffer.from(d.date)));
    if (d?.time) parts.push(dataset(2, timeNumber, Buffer.from(d.time)));
  };
  addDate(37, 38, r.expirationDate);
  add(40, r.specialInstructions, IIM_LIMITS.instructions);
  addDate(55, 60, r.dateCreated);
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

/** A PLUS code as its vocabulary URI, the form PLUS readers expect ("DMI-PROHIBITED" → http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED). */
const plusUri = (code: string | undefined) =>
  code && !/^https?:/.test(code) ? `http://ns.useplus.org/ldf/vocab/${code}` : code;

/** A PLUS list of structures with one field each (copyright owners, licensors). */
const structs = (tag: string, field: string, values: string[]) =>
  values.length
    ? `<${tag}><rdf:Seq>${values.map((v) => `<rdf:li rdf:parseType="Resource"><${field}>${xmlEscape(v)}</${field}></rdf:li>`).join('')}</rdf:Seq></${tag}>`
    : '';

const alt = (tag: string, value: string | undefined) =>
  value
    ? `<${tag}><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(value)}</rdf:li></rdf:Alt></${tag}>`
    : '';

/**
 * An XMP packet with the same fields as the IIM block, in full length, plus the rights IIM has no
 * dataset for: web statement, PLUS data mining, copyright owners, licensor URL, release status,
 * and the IPTC digital source type.
 */
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
    simple('xmpRights:WebStatement', r.webStatement),
    simple('Iptc4xmpExt:DigitalSourceType', r.digitalSourceType),
    simple('plus:DataMining', plusUri(r.dataMining)),
    structs('plus:CopyrightOwner', 'plus:CopyrightOwnerName', r.copyrightOwners ?? []),
    structs('plus:Licensor', 'plus:LicensorURL', r.licensorUrl ? [r.licensorUrl] : []),
    simple('plus:ModelReleaseStatus', plusUri(r.modelReleaseStatus)),
    simple('plus:PropertyReleaseStatus', plusUri(r.propertyReleaseStatus)),
  ].join('');
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/">' +
    body +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
  );
}

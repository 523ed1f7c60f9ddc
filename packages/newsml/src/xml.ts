import { XMLParser } from 'fast-xml-parser';

export class NewsmlError extends Error {
  override readonly name = 'NewsmlError';
  constructor(
    readonly code:
      | 'xml_dtd_forbidden'
      | 'xml_too_large'
      | 'xml_malformed'
      | 'newsml_unsupported'
      | 'newsml_incomplete',
    message: string,
  ) {
    super(message);
  }
}

/** NewsML-G2 items are small; anything bigger is not one. */
export const MAX_XML_BYTES = 1024 * 1024;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Only the five XML entities and numeric references; DTDs are refused before parsing.
  processEntities: true,
  htmlEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAY_ELEMENTS.has(name),
});

const ARRAY_ELEMENTS = new Set([
  'subject',
  'keyword',
  'creator',
  'contributor',
  'description',
  'headline',
  'located',
  'broader',
  'name',
  'signal',
  'remoteContent',
  'altId',
  'infoSource',
  'related',
  'itemRef',
  'groupRef',
  'group',
  'link',
  'sameAs',
]);

export type XmlNode = Record<string, unknown>;

/**
 * Parses XML without a DTD: any DOCTYPE or ENTITY declaration is refused outright, so external
 * entities and entity expansion (billion laughs) can never happen.
 */
export function parseXml(xml: string | Buffer): XmlNode {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml) : xml.length;
  if (size > MAX_XML_BYTES)
    throw new NewsmlError('xml_too_large', `XML of ${size} bytes exceeds the ${MAX_XML_BYTES}-byte limit`);
  const text = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new NewsmlError(
      'xml_dtd_forbidden',
      'XML with a DOCTYPE or ENTITY declaration is refused (external entities are never resolved)',
    );
  }
  try {
    return parser.parse(text, true) as XmlNode;
  } catch (err) {
    throw new NewsmlError('xml_malformed', `Malformed XML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Text content of a node: the string itself, or `#text`. */
export function text(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === 'string') return clean(node);
  if (typeof node === 'number') return String(node);
  if (Array.isArray(node)) return text(node[0]);
  if (typeof node === 'object') return text((node as XmlNode)['#text']);
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = (node as XmlNode)[`@${name}`];
  return typeof v === 'string' ? clean(v) : undefined;
}

export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  if (Array.isArray(v)) return v[0] as XmlNode;
  return v && typeof v === 'object' ? (v as XmlNode) : typeof v === 'string' ? { '#text': v } : undefined;
}

export function children(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => (typeof x === 'object' && x !== null ? (x as XmlNode) : { '#text': String(x) }));
}

function clean(s: string): string | undefined {
  const t = s.replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t;
}

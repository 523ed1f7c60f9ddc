import { addKeepingOffset, durationMs, type PhotoMetadata, type StoryInput } from '@lightbox/contracts';
import { attr, child, children, NewsmlError, parseXml, text, type XmlNode } from './xml.js';

/** Item status (`pubStatus`): `canceled` means withdraw (kill) the item. */
export type PubStatus = 'usable' | 'withheld' | 'canceled';

interface ItemCommon {
  guid: string;
  version?: number;
  pubStatus?: PubStatus;
  /** When the item may be published (ISO), from `<embargoed>`. */
  embargoed?: string;
  /** `<signal qcode="sig:…">` values, e.g. `sig:correction`, `sig:update`. */
  signals: string[];
  edNote?: string;
}

/** A picture newsItem: the metadata it gives for the photo beside it. */
export interface NewsmlPicture extends ItemCommon {
  kind: 'picture';
  metadata: Partial<PhotoMetadata>;
}

export interface NewsmlText extends ItemCommon {
  kind: 'text';
  headline?: string;
  slugline?: string;
  located?: string;
  events: { name?: string; qcode?: string; uri?: string }[];
  /**
   * Items the story links to (`<link rel="irel:seeAlso">` / `irel:associatedWith`, by residref or
   * href): its pictures (AP-style associations) and its event.
   */
  links: { rel: string; ref: string }[];
  contentCreated?: string;
  keywords: string[];
}

export interface NewsmlEvent extends ItemCommon {
  kind: 'event';
  name: string;
  /** The event's identifiers: its guid, `conceptId` and `sameAs` qcodes and URIs. */
  ids: string[];
  start?: string;
  end?: string;
  duration?: string;
  location?: string;
}

export type NewsmlItem = NewsmlPicture | NewsmlText | NewsmlEvent;

function pubStatusOf(itemMeta: XmlNode | undefined): PubStatus | undefined {
  const q = attr(child(itemMeta, 'pubStatus'), 'qcode');
  if (!q) return undefined;
  const v = q.replace(/^stat:/, '');
  return v === 'usable' || v === 'withheld' || v === 'canceled' ? v : undefined;
}

function common(root: XmlNode): ItemCommon {
  const itemMeta = child(root, 'itemMeta');
  const guid = attr(root, 'guid');
  if (!guid) throw new NewsmlError('newsml_incomplete', 'NewsML-G2 item has no guid');
  const version = Number(attr(root, 'version'));
  return {
    guid,
    version: Number.isInteger(version) && version > 0 ? version : undefined,
    pubStatus: pubStatusOf(itemMeta),
    embargoed: text(child(itemMeta, 'embargoed')),
    signals: children(itemMeta, 'signal')
      .map((s) => attr(s, 'qcode'))
      .filter((q): q is string => Boolean(q)),
    edNote: text(child(itemMeta, 'edNote')),
  };
}

/** As many exact keys as a story takes (`event.ids`). */
const MAX_STORY_IDS = 1000;

/** Relations whose targets are exact keys of a story: its event and its pictures. */
const KEY_LINK_RELS = new Set(['irel:seeAlso', 'irel:associatedWith']);

/** The qcode and URI of each node (subject, conceptId, sameAs), de-duplicated. */
function identifiersOf(nodes: XmlNode[]): string[] {
  return unique(nodes.flatMap((n) => [attr(n, 'qcode'), attr(n, 'uri')]));
}

function unique(values: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values) if (v && !out.includes(v)) out.push(v);
  return out;
}

const eventSubjects = (contentMeta: XmlNode | undefined) =>
  children(contentMeta, 'subject').filter((s) => attr(s, 'type') === 'cpnat:event');

/** Prefer English, then the first. */
function preferred(nodes: XmlNode[]): string | undefined {
  const en = nodes.find((n) => /^en\b/i.test(attr(n, 'xml:lang') ?? attr(n, 'lang') ?? ''));
  return text(en ?? nodes[0]);
}

function pictureMetadata(root: XmlNode): Partial<PhotoMetadata> {
  const contentMeta = child(root, 'contentMeta');
  const itemMeta = child(root, 'itemMeta');
  const rights = child(root, 'rightsInfo');
  const creator = children(contentMeta, 'creator')[0];
  const caption = children(contentMeta, 'description').find(
    (d) => !attr(d, 'role') || /caption|summary/.test(attr(d, 'role') ?? ''),
  );
  const m: Partial<PhotoMetadata> = {
    headline: preferred(children(contentMeta, 'headline')),
    caption: caption ? text(caption) : undefined,
    byline: creator ? preferred(children(creator, 'name')) : undefined,
    bylineTitle: creator
      ? preferred(
          children(
            children(creator, 'related').find((r) => /jobtitle/.test(attr(r, 'rel') ?? '')),
            'name',
          ),
        )
      : undefined,
    credit: text(child(contentMeta, 'creditline')),
    copyright: text(child(rights, 'copyrightNotice')),
    usageTerms: text(child(rights, 'usageTerms')),
    dateCreated: text(child(contentMeta, 'contentCreated')),
    objectName: text(child(itemMeta, 'title')) ?? text(child(contentMeta, 'slugline')),
    specialInstructions: text(child(itemMeta, 'edNote')),
    urgency: Number(text(child(contentMeta, 'urgency'))) || undefined,
    transmissionReference: text(
      children(contentMeta, 'altId').find((a) => /systemRef/.test(attr(a, 'type') ?? '')),
    ),
    keywords: children(contentMeta, 'keyword')
      .map((k) => text(k))
      .filter((k): k is string => Boolean(k)),
    expirationDate: earliest(
      text(child(itemMeta, 'expires')),
      attr(rights, 'validto'),
      attr(child(rights, 'usageTerms'), 'validto'),
    ),
  };
  const events = eventSubjects(contentMeta);
  const eventName = events.map((s) => preferred(children(s, 'name'))).find(Boolean);
  if (eventName) m.event = eventName;
  m.eventIds = identifiersOf(events);
  // Places: a geoArea subject, with its broader country.
  const place = children(contentMeta, 'subject').find(
    (s) => attr(s, 'type') === 'cpnat:geoArea' && children(s, 'broader').length > 0,
  );
  if (place) {
    m.city = preferred(children(place, 'name'));
    for (const b of children(place, 'broader')) {
      const q = attr(b, 'qcode') ?? '';
      if (/^iso3166-1a[23]:[A-Z]{2,3}$/.test(q)) {
        m.country = preferred(children(b, 'name'));
        m.countryCode = q.split(':')[1];
      } else if (/^iso3166-1a2:[A-Z]{2}-/.test(q)) {
        m.provinceState = preferred(children(b, 'name'));
      }
    }
  }
  const located = child(contentMeta, 'located');
  if (!m.city && located) m.city = preferred(children(located, 'name'));
  for (const key of Object.keys(m) as (keyof PhotoMetadata)[]) {
    const v = m[key];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) delete m[key];
  }
  return m;
}

/** The earliest of several NewsML-G2 dates (item `expires`, rights `validto`), as written. */
function earliest(...values: (string | undefined)[]): string | undefined {
  // Ordering only: a time without offset is compared as UTC, never in the server's zone.
  const ms = (v: string) => Date.parse(/T[^Z+-]*$/.test(v) ? `${v}Z` : v);
  const dated = values
    .map((v) => v?.trim())
    .filter((v): v is string => Boolean(v) && !Number.isNaN(ms(v as string)));
  return dated.sort((a, b) => ms(a) - ms(b))[0];
}

/** Parses a NewsML-G2 picture or text newsItem, or an event conceptItem. */
export function parseNewsml(xml: string | Buffer): NewsmlItem {
  const doc = parseXml(xml);
  const newsItem = child(doc, 'newsItem');
  if (newsItem) {
    const itemClass = attr(child(child(newsItem, 'itemMeta'), 'itemClass'), 'qcode') ?? '';
    if (itemClass === 'ninat:picture')
      return { kind: 'picture', ...common(newsItem), metadata: pictureMetadata(newsItem) };
    if (itemClass === 'ninat:text') {
      const contentMeta = child(newsItem, 'contentMeta');
      return {
        kind: 'text',
        ...common(newsItem),
        headline: preferred(children(contentMeta, 'headline')),
        slugline: text(child(contentMeta, 'slugline')),
        located: preferred(children(child(contentMeta, 'located'), 'name')),
        events: eventSubjects(contentMeta).map((s) => ({
          name: preferred(children(s, 'name')),
          qcode: attr(s, 'qcode'),
          uri: attr(s, 'uri'),
        })),
        links: children(child(newsItem, 'itemMeta'), 'link')
          .map((l) => ({ rel: attr(l, 'rel') ?? '', ref: attr(l, 'residref') ?? attr(l, 'href') ?? '' }))
          .filter((l) => KEY_LINK_RELS.has(l.rel) && l.ref !== ''),
        contentCreated: text(child(contentMeta, 'contentCreated')),
        keywords: children(contentMeta, 'keyword')
          .map((k) => text(k))
          .filter((k): k is string => Boolean(k)),
      };
    }
    throw new NewsmlError(
      'newsml_unsupported',
      `Unsupported newsItem class ${itemClass || '(none)'}: Lightbox takes pictures and text items`,
    );
  }
  const conceptItem = child(doc, 'conceptItem');
  if (conceptItem) {
    const concept = child(conceptItem, 'concept');
    const type = attr(child(concept, 'type'), 'qcode');
    if (type !== 'cpnat:event')
      throw new NewsmlError(
        'newsml_unsupported',
        `Unsupported conceptItem type ${type ?? '(none)'}: Lightbox takes events`,
      );
    const details = child(concept, 'eventDetails');
    const dates = child(details, 'dates');
    const name = preferred(children(concept, 'name'));
    if (!name) throw new NewsmlError('newsml_incomplete', 'Event conceptItem has no name');
    const item = common(conceptItem);
    return {
      kind: 'event',
      ...item,
      name,
      ids: unique([
        item.guid,
        ...identifiersOf(
          [child(concept, 'conceptId'), ...children(concept, 'sameAs')].filter(
            (n): n is XmlNode => n !== undefined,
          ),
        ),
      ]),
      start: text(child(dates, 'start')),
      end: text(child(dates, 'end')),
      duration: text(child(dates, 'duration')),
      location: preferred(children(child(details, 'location'), 'name')),
    };
  }
  const root = Object.keys(doc).find((k) => !k.startsWith('?'));
  throw new NewsmlError('newsml_unsupported', `Unsupported NewsML-G2 root element <${root ?? '?'}>`);
}

const slugify = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120) || 'story';

/** The offset written in an ISO date-time, as `±hh:mm`. */
function offsetOf(iso: string): string {
  const m = iso.match(/([+-]\d{2}:\d{2}|Z)$/);
  return !m || m[1] === 'Z' ? '+00:00' : (m[1] as string);
}

function splitLocation(location: string | undefined): { venue?: string; city?: string; country?: string } {
  if (!location) return {};
  const parts = location
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return { venue: location };
  const country = parts[parts.length - 1];
  const city =
    parts[parts.length - 2]
      ?.split(/\s+/)
      .filter((w) => !/\d/.test(w))
      .join(' ') || undefined;
  return { venue: location, city, country };
}

/**
 * The story a text newsItem or event conceptItem registers: headline, slug (from slugline or name),
 * event name (the `cpnat:event` subject), place (`located` / location) and window (event dates and
 * duration; for a text item without them, the local day it was created).
 */
export function storyFromNewsml(item: NewsmlItem): StoryInput {
  if (item.kind === 'event') {
    if (!item.start) throw new NewsmlError('newsml_incomplete', 'Event has no start date');
    const start = /([+-]\d{2}:\d{2}|Z)$/.test(item.start) ? item.start : `${item.start}Z`;
    const length = durationMs(item.duration);
    const end = item.end
      ? /([+-]\d{2}:\d{2}|Z)$/.test(item.end)
        ? item.end
        : `${item.end}Z`
      : length !== undefined
        ? addKeepingOffset(start, length)
        : addKeepingOffset(start, 24 * 3600_000);
    return {
      slug: slugify(item.name),
      headline: item.name,
      event: {
        name: item.name,
        start,
        end,
        ...splitLocation(item.location),
        ids: item.ids.slice(0, MAX_STORY_IDS),
      },
    };
  }
  if (item.kind === 'text') {
    const headline = item.headline ?? item.slugline;
    if (!headline) throw new NewsmlError('newsml_incomplete', 'Text item has neither headline nor slugline');
    const eventName = item.events.find((e) => e.name)?.name ?? headline;
    if (!item.contentCreated)
      throw new NewsmlError('newsml_incomplete', 'Text item has no event dates and no contentCreated');
    const day = item.contentCreated.slice(0, 10);
    const offset = offsetOf(item.contentCreated);
    const ids = unique([...item.events.flatMap((e) => [e.qcode, e.uri]), ...item.links.map((l) => l.ref)]);
    return {
      slug: slugify(item.slugline ?? headline),
      headline,
      event: {
        name: eventName,
        start: `${day}T00:00:00${offset}`,
        end: `${day}T23:59:59${offset}`,
        ...(item.located ? { city: item.located.split(',')[0]?.trim() } : {}),
        ...(ids.length ? { ids: ids.slice(0, MAX_STORY_IDS) } : {}),
      },
      ...(item.keywords.length ? { keywords: item.keywords.slice(0, 100) } : {}),
    };
  }
  throw new NewsmlError('newsml_unsupported', 'A picture item describes a photo, not a story');
}

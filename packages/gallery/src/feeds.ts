import type {
  GalleryIndex,
  GalleryIndexEntry,
  GalleryManifest,
  ManifestPhoto,
  ManifestRendition,
} from '@lightbox/contracts';
import { chooseRendition, GALLERY_SCHEMA_VERSION, hasZone } from '@lightbox/contracts';

/** Where a gallery's published objects live, as public URLs. */
export interface GalleryUrls {
  manifest: string;
  jsonFeed: string;
  rssFeed: string;
}

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  png: 'image/png',
};
export const mimeOf = (format: string) => MIME[format.toLowerCase()] ?? 'application/octet-stream';

/** Times with an offset as RFC 3339; zone-less local times cannot be placed on a timeline: undefined. */
function rfc3339(iso: string | null | undefined): string | undefined {
  if (!iso || !hasZone(iso) || Number.isNaN(Date.parse(iso))) return undefined;
  return iso;
}
const rfc822 = (iso: string) => new Date(iso).toUTCString();

/** The largest rendition (contracts' `chooseRendition`). */
const largest = (renditions: ManifestRendition[]) => chooseRendition(renditions, Number.POSITIVE_INFINITY);

/** The gallery's summary in `galleries/index.json`. */
export function indexEntry(manifest: GalleryManifest, manifestUrl: string): GalleryIndexEntry {
  const cover = manifest.photos.find((p) => p.photoId === manifest.cover);
  const coverRendition = cover && chooseRendition(cover.renditions, 640);
  return {
    storyId: manifest.storyId,
    slug: manifest.slug,
    headline: manifest.headline,
    version: manifest.version,
    updatedAt: manifest.updatedAt,
    final: manifest.final,
    photoCount: manifest.photos.length,
    url: manifestUrl,
    cover:
      cover && coverRendition ? { photoId: cover.photoId, url: coverRendition.url, alt: cover.alt } : null,
  };
}

/** `galleries/index.json`: most recently updated first. */
export function buildIndex(entries: GalleryIndexEntry[], updatedAt: Date): GalleryIndex {
  return {
    schemaVersion: GALLERY_SCHEMA_VERSION,
    updatedAt: updatedAt.toISOString(),
    galleries: [...entries].sort(
      (a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || a.storyId.localeCompare(b.storyId),
    ),
  };
}

const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

function photoText(p: ManifestPhoto): string {
  const parts = [p.digitalSourceType ? `[${p.digitalSourceType.label}]` : '', p.caption ?? p.alt ?? ''];
  if (p.credit && !(p.caption ?? '').includes(p.credit)) parts.push(`Credit: ${p.credit}`);
  if (p.restrictions.length > 0) parts.push(`Restrictions: ${p.restrictions.join('; ')}`);
  return parts.filter(Boolean).join('\n') || p.photoId;
}

/** A JSON Feed 1.1 of one gallery: one item per photo, the `_lightbox` extension carrying renditions. */
export function galleryJsonFeed(manifest: GalleryManifest, urls: GalleryUrls) {
  return {
    version: JSON_FEED_VERSION,
    title: manifest.headline,
    feed_url: urls.jsonFeed,
    description: `Photo gallery for "${manifest.headline}" (${manifest.photos.length} photos)`,
    _lightbox: {
      about: 'Lightbox gallery feed',
      storyId: manifest.storyId,
      slug: manifest.slug,
      version: manifest.version,
      manifest: urls.manifest,
      final: manifest.final,
    },
    items: manifest.photos.map((p) => {
      const big = largest(p.renditions);
      const published = rfc3339(p.dateCreated);
      return {
        id: p.photoId,
        ...(big ? { url: big.url, image: big.url } : {}),
        title: p.alt ?? undefined,
        content_text: photoText(p),
        ...(published ? { date_published: published } : {}),
        ...(p.byline ? { authors: [{ name: p.byline }] } : {}),
        _lightbox: {
          about: 'Lightbox gallery photo',
          credit: p.credit,
          byline: p.byline,
          restrictions: p.restrictions,
          digitalSourceType: p.digitalSourceType,
          sensitive: p.sensitive,
          provenance: p.provenance,
          rights: p.rights,
          width: p.width,
          height: p.height,
          alternates: p.alternates.map((a) => a.photoId),
          renditions: p.renditions.map(({ name, url, width, height, format }) => ({
            name,
            url,
            width,
            height,
            format,
          })),
        },
      };
    }),
  };
}

/** A JSON Feed 1.1 of every gallery: one item per gallery, newest first. */
export function galleriesJsonFeed(index: GalleryIndex, feedUrl: string) {
  return {
    version: JSON_FEED_VERSION,
    title: 'Lightbox galleries',
    feed_url: feedUrl,
    items: index.galleries.map((g) => ({
      id: g.storyId,
      url: g.url,
      title: g.headline,
      content_text: `${g.headline}: ${g.photoCount} photo${g.photoCount === 1 ? '' : 's'}${g.final ? ' (final)' : ''}`,
      ...(g.cover ? { image: g.cover.url } : {}),
      date_modified: g.updatedAt,
      _lightbox: {
        about: 'Lightbox gallery',
        slug: g.slug,
        version: g.version,
        final: g.final,
        manifest: g.url,
      },
    })),
  };
}

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing exactly those characters
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const el = (name: string, text: string | null | undefined, attrs = '') =>
  text ? `<${name}${attrs}>${xmlEscape(text)}</${name}>` : '';

function mediaContent(r: ManifestRendition, isDefault: boolean): string {
  return `<media:content url="${xmlEscape(r.url)}" type="${mimeOf(r.format)}" medium="image" width="${r.width}" height="${r.height}" fileSize="${r.bytes}"${isDefault ? ' isDefault="true"' : ''}/>`;
}

const RSS_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n';

/** An RSS 2.0 feed of one gallery with Media RSS: `media:group` of renditions, `media:credit`, thumbnail. */
export function galleryRssFeed(manifest: GalleryManifest, urls: GalleryUrls): string {
  const items = manifest.photos.map((p) => {
    const big = largest(p.renditions);
    const thumb = chooseRendition(p.renditions, 320);
    const published = rfc3339(p.dateCreated);
    const sorted = [...p.renditions].sort((a, b) => b.width - a.width);
    return [
      '<item>',
      el('title', p.alt ?? p.photoId),
      big ? el('link', big.url) : '',
      el('description', photoText(p)),
      `<guid isPermaLink="false">${xmlEscape(`lightbox:${manifest.storyId}:${p.photoId}`)}</guid>`,
      published ? `<pubDate>${rfc822(published)}</pubDate>` : '',
      ...p.restrictions.map((r) => el('category', r, ' domain="urn:lightbox:restriction"')),
      p.digitalSourceType
        ? el(
            'media:category',
            p.digitalSourceType.uri,
            ` scheme="http://cv.iptc.org/newscodes/digitalsourcetype/" label="${xmlEscape(p.digitalSourceType.label)}"`,
          )
        : '',
      big
        ? `<enclosure url="${xmlEscape(big.url)}" length="${big.bytes}" type="${mimeOf(big.format)}"/>`
        : '',
      '<media:group>',
      ...sorted.map((r, i) => mediaContent(r, i === 0)),
      '</media:group>',
      el('media:title', p.alt),
      el('media:description', p.caption, ' type="plain"'),
      el('media:credit', p.byline, ' role="photographer" scheme="urn:ebu"'),
      el(
        'media:copyright',
        p.rights.copyright,
        p.rights.webStatement ? ` url="${xmlEscape(p.rights.webStatement)}"` : '',
      ),
      p.credit && p.credit !== p.byline
        ? el('media:credit', p.credit, ' role="distributor" scheme="urn:ebu"')
        : '',
      thumb
        ? `<media:thumbnail url="${xmlEscape(thumb.url)}" width="${thumb.width}" height="${thumb.height}"/>`
        : '',
      '</item>',
    ]
      .filter(Boolean)
      .join('\n');
  });
  return `${RSS_OPEN}${[
    el('title', manifest.headline),
    el('link', urls.manifest),
    el('description', `Photo gallery for "${manifest.headline}" (${manifest.photos.length} photos)`),
    `<atom:link href="${xmlEscape(urls.rssFeed)}" rel="self" type="application/rss+xml"/>`,
    `<lastBuildDate>${rfc822(manifest.updatedAt)}</lastBuildDate>`,
    '<generator>Lightbox</generator>',
    ...items,
  ]
    .filter(Boolean)
    .join('\n')}\n</channel>\n</rss>\n`;
}

/** An RSS 2.0 feed of every gallery, with each cover as Media RSS content. */
export function galleriesRssFeed(index: GalleryIndex, feedUrl: string, homeUrl: string): string {
  const items = index.galleries.map((g) =>
    [
      '<item>',
      el('title', g.headline),
      el('link', g.url),
      el('description', `${g.photoCount} photo${g.photoCount === 1 ? '' : 's'}${g.final ? ' (final)' : ''}`),
      `<guid isPermaLink="false">${xmlEscape(`lightbox:${g.storyId}`)}</guid>`,
      `<pubDate>${rfc822(g.updatedAt)}</pubDate>`,
      g.cover ? `<media:content url="${xmlEscape(g.cover.url)}" medium="image"/>` : '',
      g.cover ? `<media:thumbnail url="${xmlEscape(g.cover.url)}"/>` : '',
      '</item>',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  return `${RSS_OPEN}${[
    '<title>Lightbox galleries</title>',
    el('link', homeUrl),
    '<description>Every published Lightbox gallery, most recently updated first</description>',
    `<atom:link href="${xmlEscape(feedUrl)}" rel="self" type="application/rss+xml"/>`,
    `<lastBuildDate>${rfc822(index.updatedAt)}</lastBuildDate>`,
    '<generator>Lightbox</generator>',
    ...items,
  ]
    .filter(Boolean)
    .join('\n')}\n</channel>\n</rss>\n`;
}

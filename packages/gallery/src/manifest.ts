import type {
  GalleryLayout,
  GalleryManifest,
  ManifestAlternate,
  ManifestPhoto,
  Photo,
  Rendition,
  Story,
} from '@lightbox/contracts';
import { GALLERY_SCHEMA_VERSION } from '@lightbox/contracts';
import { stripAdvisories } from '@lightbox/wire-rules';
import { altText } from './alt-text.js';
import { DEFAULT_DUPLICATE_OPTIONS, type DuplicateOptions, groupNearDuplicates } from './near-duplicates.js';
import { provenanceFields } from './photo-provenance.js';

/** Statuses whose photos belong in a story's published gallery. */
export const GALLERY_STATUSES = new Set<Photo['status']>(['matched', 'published']);

/** Instant used to order photos: capture time (zone-less times read as UTC), else arrival. */
export function sortInstant(photo: Photo): number {
  const d = photo.metadata?.dateCreated;
  if (d) {
    const withZone = /([+-]\d{2}:\d{2}|Z)$/.test(d) ? d : d.length === 10 ? `${d}T00:00:00Z` : `${d}Z`;
    const ms = Date.parse(withZone);
    if (!Number.isNaN(ms)) return ms;
  }
  return Date.parse(photo.receivedAt);
}

export interface BuildManifestInput {
  story: Story;
  photos: Photo[];
  version: number;
  updatedAt: Date;
  /** Public URL of an object key. */
  urlFor: (key: string) => string;
  /** Editor order and cover; absent means chronological with the first photo as cover. */
  layout?: GalleryLayout;
  duplicates?: DuplicateOptions;
}

/** True when the photo can be shown in the story's gallery. */
export function inGallery(photo: Photo, storyId: string): boolean {
  return (
    GALLERY_STATUSES.has(photo.status) && photo.storyId === storyId && (photo.renditions?.length ?? 0) > 0
  );
}

const agencyOf = (p: Photo) => p.metadata?.agency ?? p.metadata?.parsedCredit?.agency ?? p.metadata?.credit;
const sizeOf = (p: Photo) => {
  const largest = [...(p.renditions ?? [])].sort((a, b) => b.width - a.width)[0];
  return {
    width: p.metadata?.width ?? largest?.width ?? 0,
    height: p.metadata?.height ?? largest?.height ?? 0,
  };
};
const renditionsOf = (p: Photo, urlFor: (key: string) => string) =>
  (p.renditions ?? []).map((r: Rendition) => ({ ...r, url: urlFor(r.key) }));

function alternate(p: Photo, urlFor: (key: string) => string): ManifestAlternate {
  const m = p.metadata;
  return {
    photoId: p.photoId,
    credit: m?.creditLine ?? m?.credit ?? null,
    byline: m?.byline ?? null,
    dateCreated: m?.dateCreated ?? null,
    ...sizeOf(p),
    sensitive: p.sensitive !== undefined,
    renditions: renditionsOf(p, urlFor),
  };
}

/**
 * The gallery manifest for a story, rebuilt from state (never appended to): every photo assigned to
 * the story that is matched or published and has renditions. Near-duplicates (bursts, the same
 * moment from several agencies) collapse to one shown photo with the others as `alternates`.
 * Photos the editor ordered come first in that order, the rest follow chronologically. Photos the
 * editor placed or pinned as cover are never demoted to alternates.
 */
export function buildManifest({
  story,
  photos,
  version,
  updatedAt,
  urlFor,
  layout = { order: [], cover: null },
  duplicates = DEFAULT_DUPLICATE_OPTIONS,
}: BuildManifestInput): GalleryManifest {
  const eligible = photos.filter((p) => inGallery(p, story.id));
  const byId = new Map(eligible.map((p) => [p.photoId, p]));
  const pinned = new Set(
    [...layout.order, ...(layout.cover ? [layout.cover] : [])].filter((id) => byId.has(id)),
  );

  const groups = groupNearDuplicates(
    eligible
      .filter((p) => !pinned.has(p.photoId))
      .map((p) => {
        const { width, height } = sizeOf(p);
        return {
          id: p.photoId,
          at: sortInstant(p),
          phash: p.phash,
          agency: agencyOf(p),
          pixels: width * height,
        };
      }),
    duplicates,
  );
  for (const id of pinned) groups.set(id, []);

  const chronological = (a: Photo, b: Photo) =>
    sortInstant(a) - sortInstant(b) || a.photoId.localeCompare(b.photoId);
  const editorOrder = layout.order.filter((id, i) => byId.has(id) && layout.order.indexOf(id) === i);
  const placed = new Set(editorOrder);
  const shown = [
    ...editorOrder.map((id) => byId.get(id) as Photo),
    ...[...groups.keys()]
      .filter((id) => !placed.has(id))
      .map((id) => byId.get(id) as Photo)
      .sort(chronological),
  ];

  const entries: ManifestPhoto[] = shown.map((p) => {
    const m = p.metadata;
    // Public text leaves out agency advisories ("CORRECTS TO SECOND HALF:"); the record keeps them.
    const caption = m?.caption ? stripAdvisories(m.caption) : undefined;
    return {
      photoId: p.photoId,
      caption: caption ?? null,
      credit: m?.creditLine ?? m?.credit ?? null,
      byline: m?.byline ?? null,
      dateCreated: m?.dateCreated ?? null,
      ...sizeOf(p),
      alt: altText(caption) ?? m?.headline ?? null,
      placeholder: p.placeholder ?? null,
      restrictions: p.restrictions ?? [],
      renditions: renditionsOf(p, urlFor),
      alternates: (groups.get(p.photoId) ?? []).map((id) => alternate(byId.get(id) as Photo, urlFor)),
      ...provenanceFields(p, urlFor),
    };
  });
  const cover = layout.cover && groups.has(layout.cover) ? layout.cover : (entries[0]?.photoId ?? null);
  return {
    schemaVersion: GALLERY_SCHEMA_VERSION,
    storyId: story.id,
    slug: story.slug,
    headline: story.headline,
    version,
    updatedAt: updatedAt.toISOString(),
    cover,
    final: story.status === 'closed',
    photos: entries,
  };
}

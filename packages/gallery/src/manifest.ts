import type { GalleryManifest, ManifestPhoto, Photo, Story } from '@lightbox/contracts';

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
}

/**
 * The gallery manifest for a story, rebuilt from state (never appended to): every photo assigned to
 * the story that is matched or published and has renditions, in chronological order.
 */
export function buildManifest({
  story,
  photos,
  version,
  updatedAt,
  urlFor,
}: BuildManifestInput): GalleryManifest {
  const entries: ManifestPhoto[] = photos
    .filter(
      (p) => GALLERY_STATUSES.has(p.status) && p.storyId === story.id && (p.renditions?.length ?? 0) > 0,
    )
    .sort((a, b) => sortInstant(a) - sortInstant(b) || a.photoId.localeCompare(b.photoId))
    .map((p) => {
      const m = p.metadata;
      const largest = [...(p.renditions ?? [])].sort((a, b) => b.width - a.width)[0];
      return {
        photoId: p.photoId,
        caption: m?.caption ?? null,
        credit: m?.creditLine ?? m?.credit ?? null,
        byline: m?.byline ?? null,
        dateCreated: m?.dateCreated ?? null,
        width: m?.width ?? largest?.width ?? 0,
        height: m?.height ?? largest?.height ?? 0,
        placeholder: p.placeholder ?? null,
        restrictions: p.restrictions ?? [],
        renditions: (p.renditions ?? []).map((r) => ({ ...r, url: urlFor(r.key) })),
      };
    });
  return {
    storyId: story.id,
    slug: story.slug,
    headline: story.headline,
    version,
    updatedAt: updatedAt.toISOString(),
    photos: entries,
  };
}

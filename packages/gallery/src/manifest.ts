import type {
  GalleryLayout,
  GalleryManifest,
  ManifestAlternate,
  ManifestPhoto,
  Photo,
  Rendition,
  Story,
} from '@lightbox/contracts';
import { chooseRendition, GALLERY_SCHEMA_VERSION, photoInstant } from '@lightbox/contracts';
import { stripAdvisories } from '@lightbox/wire-rules';
import { altText } from './alt-text.js';
import { DEFAULT_DUPLICATE_OPTIONS, type DuplicateOptions, groupNearDuplicates } from './near-duplicates.js';
import { licenceRanOut, provenanceFields } from './photo-provenance.js';

/** Statuses whose photos belong in a story's published gallery. */
export const GALLERY_STATUSES = new Set<Photo['status']>(['matched', 'published']);

/** Instant used to order photos: capture time (contracts' capture-time rules), else arrival. */
export const sortInstant = (photo: Photo): number => photoInstant(photo);

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

/**
 * True when the photo can be shown in the story's gallery at `now`: a photo whose licence has run
 * out stays out even before the expiry sweep has expired it.
 */
export function inGallery(photo: Photo, storyId: string, now = Date.now()): boolean {
  return (
    GALLERY_STATUSES.has(photo.status) &&
    photo.storyId === storyId &&
    (photo.renditions?.length ?? 0) > 0 &&
    !licenceRanOut(photo, now)
  );
}

const agencyOf = (p: Photo) => p.metadata?.agency ?? p.metadata?.parsedCredit?.agency ?? p.metadata?.credit;
const sizeOf = (p: Photo) => {
  const largest = chooseRendition(p.renditions, Number.POSITIVE_INFINITY);
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
 * moment from several agencies) collapse to one shown photo with the others as `alternates`, and
 * the editor's layout never splits a group: ordering any of its photos places the whole group
 * there; the cover and the `leads` the editor chose become their group's shown frame. Groups the
 * editor ordered come first in that order, the rest follow chronologically.
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
  const eligible = photos.filter((p) => inGallery(p, story.id, updatedAt.getTime()));
  const byId = new Map(eligible.map((p) => [p.photoId, p]));
  const chronological = (a: Photo, b: Photo) =>
    sortInstant(a) - sortInstant(b) || a.photoId.localeCompare(b.photoId);

  const groups = groupNearDuplicates(
    eligible.map((p) => {
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
  /** Each photo → its group (keyed by the frame grouping chose). */
  const groupOf = new Map<string, string>();
  for (const [lead, alternates] of groups) for (const id of [lead, ...alternates]) groupOf.set(id, lead);
  // The frame shown for each group: the cover first, then the editor's chosen leads, else grouping's choice.
  const shownFrame = new Map<string, string>();
  for (const id of [layout.cover, ...(layout.leads ?? [])]) {
    const group = id ? groupOf.get(id) : undefined;
    if (id && group && !shownFrame.has(group)) shownFrame.set(group, id);
  }
  const shownOf = (group: string) => byId.get(shownFrame.get(group) ?? group) as Photo;

  const ordered: string[] = [];
  for (const id of layout.order) {
    const group = groupOf.get(id);
    if (group && !ordered.includes(group)) ordered.push(group);
  }
  const rest = [...groups.keys()]
    .filter((g) => !ordered.includes(g))
    .sort((a, b) => chronological(shownOf(a), shownOf(b)));
  const shown = [...ordered, ...rest].map((group) => ({
    photo: shownOf(group),
    alternates: [group, ...(groups.get(group) ?? [])]
      .filter((id) => id !== shownOf(group).photoId)
      .map((id) => byId.get(id) as Photo)
      .sort(chronological),
  }));

  const entries: ManifestPhoto[] = shown.map(({ photo: p, alternates }) => {
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
      alternates: alternates.map((a) => alternate(a, urlFor)),
      ...provenanceFields(p, urlFor),
    };
  });
  const cover =
    layout.cover && entries.some((e) => e.photoId === layout.cover)
      ? layout.cover
      : (entries[0]?.photoId ?? null);
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

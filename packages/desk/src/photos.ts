import type { AuditEntry } from '@lightbox/catalog';
import type { Photo, PhotoVersion, Story } from '@lightbox/contracts';
import { DeskError } from '@lightbox/story-desk';
import type { z } from 'zod';
import type { DeskDeps } from './deps.js';
import { explainMatch, storiesNear, storiesOf, thumbnailUrl } from './explain.js';
import { photoProvenanceView } from './provenance-view.js';
import type { Actor } from './schemas/common.js';
import type {
  PhotoDecision,
  PhotoDecisionKind,
  PhotoDetail,
  PhotoSearch,
  PhotoSummary,
  photoSearchInput,
  ReviewInbox,
} from './schemas/photos.js';

/**
 * The review inbox: photos in `review`, newest arrival first. One range of the catalog's by-status
 * index, one HGETALL per photo shown and one MGET for the stories they name; never a scan. With
 * `choices`, also the open stories near each photo's capture time (the dashboard's "assign to").
 */
export async function reviewInbox(
  deps: DeskDeps,
  { offset, limit }: { offset: number; limit: number },
  choices = false,
): Promise<ReviewInbox & { choices: Map<string, Story[]> }> {
  const page = await deps.photos.listByStatus('review', offset, limit);
  const records = await deps.photos.getMany(page.ids);
  const stories = await storiesOf(deps, records);
  const near = choices
    ? new Map(await Promise.all(records.map(async (p) => [p.photoId, await storiesNear(deps, p)] as const)))
    : new Map<string, Story[]>();
  return {
    total: page.total,
    photos: records.map((p) => ({
      photoId: p.photoId,
      status: p.status,
      caption: p.metadata?.caption ?? null,
      headline: p.metadata?.headline ?? null,
      credit: p.metadata?.creditLine ?? p.metadata?.credit ?? null,
      dateCreated: p.metadata?.dateCreated ?? null,
      thumbnail: thumbnailUrl(deps, p),
      match: explainMatch(p, stories),
      ...labels(deps, p),
    })),
    choices: near,
  };
}

export function photoSummary(deps: DeskDeps, p: Photo): PhotoSummary {
  return {
    photoId: p.photoId,
    status: p.status,
    caption: p.metadata?.caption ?? null,
    filename: p.filename ?? null,
    credit: p.metadata?.creditLine ?? p.metadata?.credit ?? null,
    dateCreated: p.metadata?.dateCreated ?? null,
    storyId: p.storyId ?? null,
    reason: p.status === 'rejected' ? (p.error ?? null) : (p.match?.reasons[0] ?? null),
    thumbnail: thumbnailUrl(deps, p),
    ...labels(deps, p),
  };
}

/** What lists show next to a photo: how it was made, and the graphic-content flag. */
function labels(deps: DeskDeps, p: Photo) {
  const { digitalSourceType, sensitive } = photoProvenanceView(p, (k) => deps.store.publicUrl(k));
  return { digitalSourceType, sensitive };
}

/** Search by words, status, agency, story and capture days: the catalog's indexes, paged. */
export async function searchPhotos(
  deps: DeskDeps,
  input: z.output<typeof photoSearchInput>,
): Promise<PhotoSearch> {
  const result = await deps.photos.search({
    text: input.q || undefined,
    status: input.status,
    agency: input.agency || undefined,
    storyId: input.storyId || undefined,
    fromMs: input.from ? Date.parse(`${input.from}T00:00:00Z`) : undefined,
    toMs: input.to ? Date.parse(`${input.to}T23:59:59.999Z`) : undefined,
    offset: input.offset,
    limit: input.limit,
  });
  const photos = await deps.photos.getMany(result.ids);
  return { total: result.total, photos: photos.map((p) => photoSummary(deps, p)) };
}

function versionView(v: PhotoVersion): PhotoDetail['versions'][number] {
  return {
    version: v.version,
    kind: v.kind,
    outcome: v.outcome ?? 'current',
    receivedAt: v.receivedAt,
    feed: v.feed,
    filename: v.filename ?? null,
    caption: v.caption ?? null,
    ...(v.reason ? { reason: v.reason } : {}),
    ...(v.rejection ? { rejection: v.rejection } : {}),
  };
}

/** Everything about one photo: record, versions, the match explained, the story it is in, audit. */
export async function photoDetail(deps: DeskDeps, photoId: string): Promise<PhotoDetail> {
  const photo = await deps.photos.get(photoId);
  if (!photo) throw new DeskError('not_found', `No photo ${photoId}`);
  const [versions, audit, stories] = await Promise.all([
    deps.photos.versions(photo.photoId),
    deps.audit.of('photo', photo.photoId, 100),
    storiesOf(deps, [photo]),
  ]);
  return photoDetailOf(photo, { versions, audit, stories, urlFor: (k) => deps.store.publicUrl(k) });
}

/** The photo detail of a record and what goes with it (pure). */
export function photoDetailOf(
  photo: Photo,
  {
    versions = [],
    audit = [],
    stories = new Map(),
    urlFor,
  }: {
    versions?: PhotoVersion[];
    audit?: AuditEntry[];
    stories?: Map<string, Story>;
    urlFor: (key: string) => string;
  },
): PhotoDetail {
  const story = photo.storyId ? stories.get(photo.storyId) : undefined;
  return {
    photoId: photo.photoId,
    status: photo.status,
    feed: photo.feed,
    filename: photo.filename ?? null,
    receivedAt: photo.receivedAt,
    updatedAt: photo.updatedAt,
    version: photo.version,
    priority: photo.priority ?? 'live',
    metadata: photo.metadata ?? {},
    restrictions: photo.restrictions ?? [],
    embargoUntil: photo.embargoUntil ?? null,
    ...(photo.embargoReleased ? { embargoReleased: photo.embargoReleased } : {}),
    ...(photo.hold ? { hold: photo.hold } : {}),
    ...(photo.killed ? { killed: photo.killed } : {}),
    ...(photo.expired ? { expired: photo.expired } : {}),
    ...photoProvenanceView(photo, urlFor),
    publishedAt: photo.publishedAt ?? null,
    renditions: (photo.renditions ?? []).map((r) => ({ ...r, url: urlFor(r.key) })),
    placeholder: photo.placeholder ?? null,
    storyId: photo.storyId ?? null,
    story: story ? { id: story.id, slug: story.slug, headline: story.headline, status: story.status } : null,
    phash: photo.phash ?? null,
    match: explainMatch(photo, stories),
    versions: versions.map(versionView),
    ...(photo.error ? { error: photo.error } : {}),
    audit,
  };
}

/** An editor chooses to see a picture flagged as graphic: recorded, then its detail. */
export async function revealPhoto(deps: DeskDeps, photoId: string, by: Actor): Promise<PhotoDetail> {
  const photo = await deps.photos.get(photoId);
  if (!photo) throw new DeskError('not_found', `No photo ${photoId}`);
  await deps.audit.record({
    actor: by.name,
    action: 'photo.revealed',
    photoId,
    detail: photo.sensitive?.reason,
  });
  return photoDetailOf(photo, { urlFor: (k) => deps.store.publicUrl(k) });
}

/** An editor's decision on a photo, through the story desk (audited, lifecycle-checked). */
export async function decidePhoto(
  deps: DeskDeps,
  decision: PhotoDecisionKind,
  photoId: string,
  by: Actor,
  storyId = '',
): Promise<PhotoDecision> {
  const desk = deps.storyDesk;
  const photo =
    decision === 'assign'
      ? await desk.assign(photoId, storyId, by.name)
      : decision === 'unassign'
        ? await desk.unassign(photoId, by.name)
        : decision === 'reject'
          ? await desk.reject(photoId, by.name)
          : decision === 'release-embargo'
            ? await desk.releaseEmbargo(photoId, by.name)
            : await desk.releaseHold(photoId, by.name);
  return {
    photoId: photo.photoId,
    status: photo.status,
    storyId: photo.storyId ?? null,
    match: photo.match ?? null,
    ...(photo.embargoReleased ? { embargoReleased: photo.embargoReleased } : {}),
  };
}

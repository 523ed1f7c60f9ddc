/**
 * The lifecycle chaos run's checks: what the stack shows for each picture identity (its photos
 * over the API, the public gallery and feed, the renditions in S3) against the reference model,
 * and the invariants that need no model (nothing killed, embargoed or held is public; one photo
 * holds a feed-owned identity; every accepted version is in the photo's history).
 */
import type { GalleryManifest } from '@lightbox/contracts';
import type { S3ObjectStore } from '@lightbox/storage';
import type { Redis } from 'ioredis';
import type { LocalStack } from '../support/local-stack.js';
import { FEEDS, type IdentityRun } from './lifecycle-fixtures.js';
import { type Expected, expectedOf, type ModelState } from './lifecycle-model.js';

/** An embargo this close to the check time may or may not have been lifted yet. */
const SLACK_MS = 3000;

/** What `GET /v1/photos/:id` says, as far as the checks read it. */
interface PhotoRecord {
  status: string;
  feed: string;
  embargoUntil: string | null;
  metadata: { caption?: string };
  versions: { version: number }[];
}

export interface CheckContext {
  stack: LocalStack;
  store: S3ObjectStore;
  redis: Redis;
  /** Where what is found wrong is written. */
  violations: string[];
}

/** What the public gallery shows: each photo's caption (null for an alternate), and feed.xml. */
interface PublicGallery {
  shown: Map<string, string | null>;
  feedXml: string;
}

/** Compares what the stack shows with the model, and checks the invariants that need no model. */
export async function checkIdentities(
  ctx: CheckContext,
  list: IdentityRun[],
  storyId: string,
  at: number,
): Promise<void> {
  const gallery = await readGallery(ctx, storyId);
  for (const id of list) await checkIdentity(ctx, id, gallery, at);
}

async function readGallery(ctx: CheckContext, storyId: string): Promise<PublicGallery> {
  const { store, violations } = ctx;
  const manifestRes = await fetch(store.publicUrl(`galleries/${storyId}/gallery.json`));
  const manifest = manifestRes.ok ? ((await manifestRes.json()) as GalleryManifest) : undefined;
  if (!manifest)
    violations.push(`the gallery manifest cannot be read at its public URL (${manifestRes.status})`);
  const shown = new Map<string, string | null>();
  for (const p of manifest?.photos ?? []) {
    shown.set(p.photoId, p.caption);
    for (const a of p.alternates) shown.set(a.photoId, null);
  }
  const feedXml = await (await fetch(store.publicUrl(`galleries/${storyId}/feed.xml`)))
    .text()
    .catch(() => '');
  return { shown, feedXml };
}

async function checkIdentity(
  ctx: CheckContext,
  id: IdentityRun,
  gallery: PublicGallery,
  at: number,
): Promise<void> {
  const { redis, violations } = ctx;
  const { shown } = gallery;
  const ownerId = (await redis.get(`lightbox:state:identity:guid:${id.guid}`)) ?? undefined;
  const photoIds = new Set([
    ...(ownerId ? [ownerId] : []),
    ...[...id.answers.values()].filter((a) => a.status !== 409 && a.photoId).map((a) => a.photoId as string),
  ]);
  const records = await checkNothingHiddenIsPublic(ctx, id, photoIds, gallery, at);
  if (ownerId) checkOneOwner(ctx, id, ownerId, records);
  // The model: some order allowed by the answers must explain what is shown.
  const owner = ownerId ? records.get(ownerId) : undefined;
  const explained = id.states.some((state) => {
    const candidates: Expected[] = [expectedOf(state, at)];
    if (state.embargoUntil && Math.abs(state.embargoUntil - at) < SLACK_MS)
      candidates.push(expectedOf(state, state.embargoUntil + 1), expectedOf(state, state.embargoUntil - 1));
    return candidates.some((e) => matches(e, state, owner, ownerId, shown));
  });
  if (!explained)
    violations.push(
      `identity ${id.index}: shown ${owner ? `${owner.status} "${owner.metadata.caption ?? ''}" (${ownerId}, in gallery: ${ownerId ? shown.has(ownerId) : false})` : 'nothing'}; the model expects one of ${id.states.map((s) => JSON.stringify(expectedOf(s, at))).join(' | ')}`,
    );
}

/** Invariants: whatever the order, nothing killed, embargoed or held is public. Returns the records read. */
async function checkNothingHiddenIsPublic(
  ctx: CheckContext,
  id: IdentityRun,
  photoIds: Set<string>,
  { shown, feedXml }: PublicGallery,
  at: number,
): Promise<Map<string, PhotoRecord>> {
  const { stack, store, violations } = ctx;
  const records = new Map<string, PhotoRecord>();
  for (const photoId of photoIds) {
    const res = await stack.call(`/v1/photos/${photoId}`);
    if (res.status !== 200) {
      violations.push(`identity ${id.index}: photo ${photoId} answered ${res.status}`);
      continue;
    }
    const p = (await res.json()) as PhotoRecord;
    records.set(photoId, p);
    const renditions = await store.list(`renditions/${photoId}/`);
    if (['killed', 'embargoed', 'held', 'expired', 'rejected'].includes(p.status)) {
      if (shown.has(photoId))
        violations.push(`identity ${id.index}: ${p.status} photo ${photoId} is in the gallery`);
      if (feedXml.includes(photoId))
        violations.push(`identity ${id.index}: ${p.status} photo ${photoId} is in feed.xml`);
      if (renditions.length > 0)
        violations.push(
          `identity ${id.index}: ${p.status} photo ${photoId} still has renditions ${renditions.join(', ')}`,
        );
      if (p.status === 'embargoed' && p.embargoUntil && Date.parse(p.embargoUntil) < at - SLACK_MS)
        violations.push(
          `identity ${id.index}: embargo of ${photoId} ended at ${p.embargoUntil} but it is still held back`,
        );
    }
    if (p.status === 'published' && !shown.has(photoId))
      violations.push(`identity ${id.index}: published photo ${photoId} is not in the gallery`);
  }
  return records;
}

/** Exactly one photo holds a feed-owned identity: every accepted picture answer names it. */
function checkOneOwner(
  ctx: CheckContext,
  id: IdentityRun,
  ownerId: string,
  records: Map<string, PhotoRecord>,
): void {
  const { violations } = ctx;
  for (const [s, a] of id.answers) {
    const tx = id.txs.find((t) => t.seq === s);
    if (!tx || a.status === 409 || tx.kind === 'kill') continue;
    const ownerGroup = FEEDS.find((f) => f.feed === records.get(ownerId)?.feed)?.group;
    if (tx.group === ownerGroup && a.photoId !== ownerId)
      violations.push(
        `identity ${id.index}: transmission ${s} went to ${a.photoId}, the identity belongs to ${ownerId}`,
      );
  }
  for (const [s, a] of id.answers) {
    if (a.photoId !== ownerId || a.version === undefined) continue;
    const versions = records.get(ownerId)?.versions ?? [];
    if (!versions.some((v) => v.version === a.version))
      violations.push(
        `identity ${id.index}: transmission ${s} (version ${a.version}) is not in the photo's history`,
      );
  }
}

function matches(
  e: Expected,
  state: ModelState,
  owner: PhotoRecord | undefined,
  ownerId: string | undefined,
  shown: Map<string, string | null>,
): boolean {
  if (e.status === 'none' || (e.status === 'killed' && state.owner === undefined)) return owner === undefined;
  if (!owner || !ownerId) return false;
  if (FEEDS.find((f) => f.feed === owner.feed)?.group !== state.owner) return false;
  if (e.status === 'killed') return owner.status === 'killed';
  if (e.status === 'embargoed')
    return owner.status === 'embargoed' && Date.parse(owner.embargoUntil ?? '') === e.embargoUntil;
  return (
    owner.status === 'published' &&
    owner.metadata.caption === e.caption &&
    (shown.get(ownerId) === e.publicCaption || shown.get(ownerId) === null)
  );
}

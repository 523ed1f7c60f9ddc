/**
 * What deciding a transmission reads: the records its fingerprint and identity keys point at
 * (duplicate, owner, pending kill notice, legacy kill tombstone), as the rules' `IdentityView`,
 * with the check a commit adds so it only goes through while all of it is unchanged.
 */
import type { Photo } from '@lightbox/contracts';
import type { IdentityView, PhotoView } from '@lightbox/lifecycle';
import type { Redis } from 'ioredis';
import type { StateKeys } from './keys.js';
import type { PhotoCatalog } from './photo-catalog.js';
import type { TransmissionInput } from './photo-lifecycle.js';
import { rawRev } from './photo-record.js';
import type { StateCommit } from './state-commit.js';

/** Reads what the decision depends on, and remembers it so the commit can check it is unchanged. */
export async function readTransmissionSnapshot(
  redis: Redis,
  keys: StateKeys,
  catalog: PhotoCatalog,
  input: TransmissionInput,
  groupOf: (feed: string) => string,
) {
  const { facts } = input;
  const group = groupOf(facts.feed);
  const ids = facts.identityKeys;
  const watched = [
    keys.photoBySha(input.fingerprint),
    ...ids.map((id) => keys.identity(id)),
    ...ids.map((id) => keys.prekill(group, id)),
    ...ids.map((id) => keys.killTombstone(id)),
  ];
  const values = await redis.mget(watched);
  const at = (i: number) => values[i] ?? undefined;
  const ownerId = ids.map((_, i) => at(1 + i)).find(Boolean);
  const prekillId = ids.map((_, i) => at(1 + ids.length + i)).find(Boolean);
  const legacy = ids.map((_, i) => at(1 + 2 * ids.length + i)).find(Boolean);
  const photos = new Map<string, Photo>();
  for (const id of new Set([at(0), ownerId, prekillId].filter((x): x is string => Boolean(x)))) {
    const photo = await catalog.get(id);
    if (photo) photos.set(id, photo);
  }
  // A fingerprint whose record is gone (archived) is not a duplicate: the commit re-points it.
  const duplicateId = at(0) && photos.has(at(0) as string) ? at(0) : undefined;
  const view: IdentityView = {
    ...(duplicateId ? { duplicateOf: { photoId: duplicateId } } : {}),
    ...(ownerId && photos.has(ownerId) ? { owner: photoViewOf(photos.get(ownerId) as Photo, groupOf) } : {}),
    ...(prekillId && photos.has(prekillId)
      ? { prekill: photoViewOf(photos.get(prekillId) as Photo, groupOf) }
      : {}),
    ...(legacy ? { legacyKill: JSON.parse(legacy) as { reason: string; at: string } } : {}),
  };
  return {
    view,
    photos,
    expectUnchanged: (commit: StateCommit) => {
      watched.forEach((key, i) => {
        commit.expect(key, values[i]);
      });
      for (const [id, photo] of photos) commit.expectField(keys.photo(id), 'rev', rawRev(photo));
    },
  };
}

/** What the transmission rules see of a photo. */
function photoViewOf(photo: Photo, groupOf: (feed: string) => string): PhotoView {
  return {
    photoId: photo.photoId,
    group: groupOf(photo.feed),
    status: photo.status,
    version: photo.version,
    embargoUntil: photo.embargoUntil,
    hold: photo.hold,
    currentKind: photo.currentKind,
    currentItemVersion: photo.currentItemVersion,
    rendered: (photo.renditions?.length ?? 0) > 0,
    storyId: photo.storyId,
    hasPicture: photo.hasPicture ?? true,
    releasedUntil: photo.embargoReleased?.until,
    receivedAt: photo.receivedAt,
    publishedAt: photo.publishedAt,
  };
}

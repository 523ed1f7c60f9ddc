import type { GalleryLayout, GalleryManifest } from '@lightbox/contracts';

/**
 * The layout with `photoId` made the shown frame of its near-duplicate group, as the gallery shows
 * the group now (the desk's "make lead"): the group's other photos leave `leads` and the photo
 * joins them; when the group holds the cover, the photo becomes the cover (the cover decides its
 * group's frame first). The order is kept: ordering any photo of a group places the whole group.
 * Undefined when the manifest shows the photo in no group.
 */
export function layoutWithLead(
  layout: GalleryLayout,
  manifest: Pick<GalleryManifest, 'photos'>,
  photoId: string,
): GalleryLayout | undefined {
  const group = manifest.photos
    .map((entry) => [entry.photoId, ...entry.alternates.map((a) => a.photoId)])
    .find((members) => members.includes(photoId));
  if (!group) return undefined;
  const leads = [...(layout.leads ?? []).filter((id) => !group.includes(id)), photoId];
  const cover = layout.cover && group.includes(layout.cover) ? photoId : layout.cover;
  return { order: layout.order, cover, leads };
}

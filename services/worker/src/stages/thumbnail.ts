import { chooseRendition, type Photo } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';

/** Public URL of the photo's smallest rendition, for feeds and lists. */
export function thumbnailUrl(
  photo: Pick<Photo, 'renditions'>,
  store: Pick<ObjectStore, 'publicUrl'>,
): string | undefined {
  const smallest = chooseRendition(photo.renditions);
  return smallest ? store.publicUrl(smallest.key) : undefined;
}

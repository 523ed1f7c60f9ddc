import { type GalleryManifest, objectKeys } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';

/** Short cache life: galleries change as photos arrive; downstream revalidates with the ETag. */
export const GALLERY_CACHE_CONTROL = 'public, max-age=15, must-revalidate';

/** Writes manifests to `galleries/<storyId>/gallery.json`. */
export class GalleryPublisher {
  constructor(private readonly store: ObjectStore) {}

  async publish(manifest: GalleryManifest): Promise<{ key: string; etag?: string }> {
    const key = objectKeys.gallery(manifest.storyId);
    const { etag } = await this.store.put(key, `${JSON.stringify(manifest, null, 2)}\n`, {
      contentType: 'application/json; charset=utf-8',
      cacheControl: GALLERY_CACHE_CONTROL,
    });
    return { key, etag };
  }
}

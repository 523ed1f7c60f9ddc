import type { GalleryWrites } from '@lightbox/catalog';
import type { WritePlan } from '@lightbox/gallery';
import type { ObjectStore } from '@lightbox/storage';

/**
 * Writes what the gallery package planned, in its order: the first object (a manifest, or the
 * index) before the rest (the feeds that list what it holds), then records the digests written, so
 * the next run skips what would not change. The record follows the writes: it never claims more
 * than storage holds.
 */
export class GalleryWriter {
  constructor(
    private readonly store: ObjectStore,
    private readonly writes: GalleryWrites,
  ) {}

  /** Writes the plan for `scope` (a story id, or `index`); the ETag of each object written. */
  async write(scope: string, plan: WritePlan): Promise<Map<string, string | undefined>> {
    const etags = new Map<string, string | undefined>();
    const put = async (o: WritePlan['write'][number]) => {
      const { etag } = await this.store.put(o.key, o.body, {
        contentType: o.contentType,
        cacheControl: o.cacheControl,
      });
      etags.set(o.key, etag);
    };
    const [first, ...rest] = plan.write;
    if (first) await put(first);
    await Promise.all(rest.map(put));
    await this.writes.record(scope, plan.record);
    return etags;
  }
}

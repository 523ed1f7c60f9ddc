import { type GalleryIndexEntry, type GalleryManifest, objectKeys } from '@lightbox/contracts';
import type { ObjectStore } from '@lightbox/storage';
import {
  buildIndex,
  type GalleryUrls,
  galleriesJsonFeed,
  galleriesRssFeed,
  galleryJsonFeed,
  galleryRssFeed,
  indexEntry,
} from './feeds.js';

/** Short cache life: galleries change as photos arrive; downstream revalidates with the ETag. */
export const GALLERY_CACHE_CONTROL = 'public, max-age=15, must-revalidate';
/** A final gallery (closed story) no longer changes except for kills: cache longer. */
export const FINAL_GALLERY_CACHE_CONTROL = 'public, max-age=300, must-revalidate';

const JSON_TYPE = 'application/json; charset=utf-8';
const FEED_JSON_TYPE = 'application/feed+json; charset=utf-8';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes galleries, their feeds and the gallery index to object storage. */
export class GalleryPublisher {
  constructor(private readonly store: ObjectStore) {}

  urls(storyId: string): GalleryUrls {
    return {
      manifest: this.store.publicUrl(objectKeys.gallery(storyId)),
      jsonFeed: this.store.publicUrl(objectKeys.galleryFeed(storyId, 'json')),
      rssFeed: this.store.publicUrl(objectKeys.galleryFeed(storyId, 'xml')),
    };
  }

  /**
   * Writes the gallery's feeds, then its manifest (the manifest last, so a reader who sees a new
   * version finds feeds at least as new). Returns the manifest's key, ETag and index entry.
   */
  async publish(
    manifest: GalleryManifest,
  ): Promise<{ key: string; etag?: string; entry: GalleryIndexEntry }> {
    const urls = this.urls(manifest.storyId);
    const cacheControl = manifest.final ? FINAL_GALLERY_CACHE_CONTROL : GALLERY_CACHE_CONTROL;
    await Promise.all([
      this.store.put(
        objectKeys.galleryFeed(manifest.storyId, 'json'),
        json(galleryJsonFeed(manifest, urls)),
        {
          contentType: FEED_JSON_TYPE,
          cacheControl,
        },
      ),
      this.store.put(objectKeys.galleryFeed(manifest.storyId, 'xml'), galleryRssFeed(manifest, urls), {
        contentType: RSS_TYPE,
        cacheControl,
      }),
    ]);
    const key = objectKeys.gallery(manifest.storyId);
    const { etag } = await this.store.put(key, json(manifest), { contentType: JSON_TYPE, cacheControl });
    return { key, etag, entry: indexEntry(manifest, urls.manifest) };
  }

  /** Writes `galleries/index.json` and the all-galleries feeds from the given entries. */
  async publishIndex(entries: GalleryIndexEntry[], now = new Date()): Promise<void> {
    const index = buildIndex(entries, now);
    const feedJson = this.store.publicUrl(objectKeys.galleriesFeed('json'));
    const feedXml = this.store.publicUrl(objectKeys.galleriesFeed('xml'));
    const home = this.store.publicUrl(objectKeys.galleryIndex);
    await Promise.all([
      this.store.put(objectKeys.galleriesFeed('json'), json(galleriesJsonFeed(index, feedJson)), {
        contentType: FEED_JSON_TYPE,
        cacheControl: GALLERY_CACHE_CONTROL,
      }),
      this.store.put(objectKeys.galleriesFeed('xml'), galleriesRssFeed(index, feedXml, home), {
        contentType: RSS_TYPE,
        cacheControl: GALLERY_CACHE_CONTROL,
      }),
    ]);
    await this.store.put(objectKeys.galleryIndex, json(index), {
      contentType: JSON_TYPE,
      cacheControl: GALLERY_CACHE_CONTROL,
    });
  }
}

/**
 * Object keys. Every key is built from ids and hashes only, never from client file names.
 */
export const objectKeys = {
  original: (sha256: string, ext: string) => `originals/${sha256}.${ext}`,
  rendition: (photoId: string, name: string, ext: string) => `renditions/${photoId}/${name}.${ext}`,
  /**
   * The C2PA manifest store of one transmission's original (`application/c2pa`), by an id derived
   * from the transmission (`manifestStoreId`): written before the record points at it, like the
   * original, one per transmission, and naming neither the photo nor its original.
   */
  provenance: (storeId: string) => `provenance/${storeId}.c2pa`,
  gallery: (storyId: string) => `galleries/${storyId}/gallery.json`,
  /** Per-gallery feeds: one item per photo. */
  galleryFeed: (storyId: string, format: 'json' | 'xml') => `galleries/${storyId}/feed.${format}`,
  /** Every gallery, newest first. */
  galleryIndex: 'galleries/index.json',
  /** Feeds of every gallery: one item per gallery. */
  galleriesFeed: (format: 'json' | 'xml') => `galleries/feed.${format}`,
};

/**
 * Key prefixes downstream sites read without credentials: galleries, their renditions, and the
 * originals' C2PA manifest stores the galleries link to.
 */
export const PUBLIC_OBJECT_PREFIXES = ['galleries/', 'renditions/', 'provenance/'] as const;

/**
 * Object keys. Every key is built from ids and hashes only, never from client file names.
 */
export const objectKeys = {
  original: (sha256: string, ext: string) => `originals/${sha256}.${ext}`,
  rendition: (photoId: string, name: string, ext: string) => `renditions/${photoId}/${name}.${ext}`,
  /** The C2PA manifest store extracted from a photo's original (`application/c2pa`). */
  provenance: (photoId: string) => `provenance/${photoId}.c2pa`,
  gallery: (storyId: string) => `galleries/${storyId}/gallery.json`,
  /** Per-gallery feeds: one item per photo. */
  galleryFeed: (storyId: string, format: 'json' | 'xml') => `galleries/${storyId}/feed.${format}`,
  /** Every gallery, newest first. */
  galleryIndex: 'galleries/index.json',
  /** Feeds of every gallery: one item per gallery. */
  galleriesFeed: (format: 'json' | 'xml') => `galleries/feed.${format}`,
};

/** Key prefixes downstream sites read without credentials (galleries and their renditions). */
export const PUBLIC_OBJECT_PREFIXES = ['galleries/', 'renditions/'] as const;

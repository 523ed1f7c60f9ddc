/**
 * Object keys. Every key is built from ids and hashes only, never from client file names.
 */
export const objectKeys = {
  original: (sha256: string, ext: string) => `originals/${sha256}.${ext}`,
  rendition: (photoId: string, name: string, ext: string) => `renditions/${photoId}/${name}.${ext}`,
  /**
   * A C2PA manifest store extracted from an original (`application/c2pa`), by the sha256 of the
   * store's own bytes: written before the record points at it (like originals), and naming
   * neither the photo nor its original.
   */
  provenance: (storeSha256: string) => `provenance/${storeSha256}.c2pa`,
  gallery: (storyId: string) => `galleries/${storyId}/gallery.json`,
  /** Per-gallery feeds: one item per photo. */
  galleryFeed: (storyId: string, format: 'json' | 'xml') => `galleries/${storyId}/feed.${format}`,
  /** Every gallery, newest first. */
  galleryIndex: 'galleries/index.json',
  /** Feeds of every gallery: one item per gallery. */
  galleriesFeed: (format: 'json' | 'xml') => `galleries/feed.${format}`,
};

/**
 * Object keys. Every key is built from ids and hashes only, never from client file names.
 */
export const objectKeys = {
  /** Where releases before issue 13 stored an original (by its sha256); records keep the key they got. */
  original: (sha256: string, ext: string) => `originals/${sha256}.${ext}`,
  /**
   * Where an original is stored as it arrives: by arrival day and a random id, because the upload
   * starts before its hash is known (one pass: hashed while it streams to storage). Exact duplicates
   * are found by hash in Redis, and a duplicate's upload is deleted.
   */
  receivedOriginal: (day: string, id: string, ext: string) => `originals/${day}/${id}.${ext}`,
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
  /**
   * The record of one accepted transmission, written before it is answered: by UTC day, then
   * arrival time (`HHmmssSSS`) and fingerprint, so a listing is in arrival order (`AcceptanceLog`),
   * then the upload's own id (its original's random id), so two uploads of the same bytes in the
   * same millisecond never share a record (records written before it have no upload id).
   */
  acceptance: (receivedAt: string, fingerprint: string, upload?: string) => {
    const iso = new Date(receivedAt).toISOString();
    const time = iso.slice(11, 23).replace(/[:.]/g, '');
    return `acceptances/${iso.slice(0, 10)}/${time}-${fingerprint}${upload ? `-${upload}` : ''}.json`;
  },
  /** Acceptances of photos whose state moved to `archive/` (no longer replayed into Redis). */
  retiredAcceptance: (acceptanceKey: string) => `archive/${acceptanceKey}`,
  /** A NewsML-G2 sidecar as it came with a transmission, by its own sha256. */
  sidecar: (sha256: string) => `sidecars/${sha256}.xml`,
  /** A story's copy (story, layout), rewritten on every change (`StoryCopies`). */
  storyCopy: (storyId: string) => `stories/${storyId}.json`,
};

/**
 * Key prefixes downstream sites read without credentials: galleries, their renditions, and the
 * originals' C2PA manifest stores the galleries link to.
 */
export const PUBLIC_OBJECT_PREFIXES = ['galleries/', 'renditions/', 'provenance/'] as const;

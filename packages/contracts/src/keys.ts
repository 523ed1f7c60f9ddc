/**
 * Object keys. Every key is built from ids and hashes only, never from client file names.
 */
export const objectKeys = {
  original: (sha256: string, ext: string) => `originals/${sha256}.${ext}`,
  rendition: (photoId: string, name: string, ext: string) => `renditions/${photoId}/${name}.${ext}`,
  gallery: (storyId: string) => `galleries/${storyId}/gallery.json`,
};

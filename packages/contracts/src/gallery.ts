import { z } from 'zod';
import { placeholderSchema } from './imaging.js';

export const manifestRenditionSchema = z.object({
  name: z.string(),
  key: z.string(),
  url: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.string(),
  bytes: z.number().int(),
});

/** A near-duplicate kept out of the main sequence: same moment, other frame or other agency. */
export const manifestAlternateSchema = z.object({
  photoId: z.string(),
  credit: z.string().nullable(),
  byline: z.string().nullable(),
  dateCreated: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  renditions: z.array(manifestRenditionSchema),
});

export const manifestPhotoSchema = z.object({
  photoId: z.string(),
  caption: z.string().nullable(),
  credit: z.string().nullable(),
  byline: z.string().nullable(),
  dateCreated: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  /** Alt text: the caption's first sentence. */
  alt: z.string().nullable(),
  placeholder: placeholderSchema.nullable(),
  /** Usage restrictions downstream sites must honour ("SPAIN OUT", "MANDATORY CREDIT", …). */
  restrictions: z.array(z.string()),
  renditions: z.array(manifestRenditionSchema),
  alternates: z.array(manifestAlternateSchema),
});

/** Version of the manifest format; bumped only for changes downstream code must know about. */
export const GALLERY_SCHEMA_VERSION = 1;

/** The gallery object downstream sites read from `galleries/<storyId>/gallery.json`. */
export const galleryManifestSchema = z.object({
  schemaVersion: z.literal(GALLERY_SCHEMA_VERSION),
  storyId: z.string(),
  slug: z.string(),
  headline: z.string(),
  version: z.number().int().positive(),
  updatedAt: z.string(),
  /** The photo to show first, chosen by an editor, else the first photo; null when empty. */
  cover: z.string().nullable(),
  /** True once the story is closed: the gallery is final. */
  final: z.boolean(),
  photos: z.array(manifestPhotoSchema),
});

export type GalleryManifest = z.infer<typeof galleryManifestSchema>;
export type ManifestPhoto = z.infer<typeof manifestPhotoSchema>;
export type ManifestRendition = z.infer<typeof manifestRenditionSchema>;
export type ManifestAlternate = z.infer<typeof manifestAlternateSchema>;

/** One gallery in `galleries/index.json`. */
export const galleryIndexEntrySchema = z.object({
  storyId: z.string(),
  slug: z.string(),
  headline: z.string(),
  version: z.number().int().positive(),
  updatedAt: z.string(),
  final: z.boolean(),
  photoCount: z.number().int(),
  /** URL of the gallery's manifest. */
  url: z.string(),
  cover: z.object({ photoId: z.string(), url: z.string(), alt: z.string().nullable() }).nullable(),
});
export type GalleryIndexEntry = z.infer<typeof galleryIndexEntrySchema>;

/** `galleries/index.json`: every published gallery, most recently updated first. */
export const galleryIndexSchema = z.object({
  schemaVersion: z.literal(GALLERY_SCHEMA_VERSION),
  updatedAt: z.string(),
  galleries: z.array(galleryIndexEntrySchema),
});
export type GalleryIndex = z.infer<typeof galleryIndexSchema>;

/** JSON Schema (draft 2020-12) of a published document, as written to `docs/`. */
export function publishedJsonSchema(kind: 'gallery' | 'gallery-index'): Record<string, unknown> {
  const schema = kind === 'gallery' ? galleryManifestSchema : galleryIndexSchema;
  return {
    ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }),
    $id: `https://lightbox.example/schemas/${kind}.schema.json`,
    title: kind === 'gallery' ? 'Lightbox gallery manifest' : 'Lightbox gallery index',
    description:
      kind === 'gallery'
        ? 'galleries/<storyId>/gallery.json: one story’s gallery. schemaVersion changes only for breaking changes.'
        : 'galleries/index.json: every published gallery, most recently updated first.',
  };
}

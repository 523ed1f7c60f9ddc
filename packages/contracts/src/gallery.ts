import { z } from 'zod';
import { placeholderSchema } from './imaging.js';
import { PROVENANCE_STATES } from './provenance.js';

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
  /** Disturbing content: blur until the reader chooses to see it. */
  sensitive: z.boolean(),
  renditions: z.array(manifestRenditionSchema),
});

/**
 * C2PA Content Credentials of the photo's original, as Lightbox verified them at ingest. The
 * renditions are re-encoded and carry no credentials of their own (`appliesTo: 'original'`): show
 * a Content Credentials badge for the original, linking to its manifest store.
 */
export const manifestProvenanceSchema = z.object({
  state: z.enum(PROVENANCE_STATES),
  /** The signer is in the newsroom's trust list. */
  trusted: z.boolean(),
  /** Who signed: the certificate's organisation, else its common name. */
  signer: z.string().nullable(),
  appliesTo: z.literal('original'),
  /** The original's C2PA manifest store (`application/c2pa`), when it had one. */
  manifestStoreUrl: z.string().nullable(),
});

/** How the picture was made, when readers must be told (AI-generated, composite, synthetic …). */
export const manifestDigitalSourceTypeSchema = z.object({
  /** IPTC Digital Source Type URI (http://cv.iptc.org/newscodes/digitalsourcetype/…). */
  uri: z.string(),
  code: z.string(),
  /** Human-readable label to show with the picture, e.g. "AI-generated". */
  label: z.string(),
});

/** What downstream sites may do with the picture, as the sender stated it. Null when not stated. */
export const manifestRightsSchema = z.object({
  copyright: z.string().nullable(),
  copyrightOwners: z.array(z.string()),
  usageTerms: z.string().nullable(),
  /** A web page stating the rights (xmpRights:WebStatement). */
  webStatement: z.string().nullable(),
  /** Where to license the picture (PLUS Licensor URL). */
  licensorUrl: z.string().nullable(),
  /** PLUS Data Mining code, e.g. `DMI-PROHIBITED`: no text and data mining, no AI training. */
  dataMining: z.string().nullable(),
  /** PLUS codes, e.g. `MR-NON` (no model release), `PR-NAP`. */
  modelReleaseStatus: z.string().nullable(),
  propertyReleaseStatus: z.string().nullable(),
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
  /** Content Credentials of the original; null when the photo was not checked. */
  provenance: manifestProvenanceSchema.nullable(),
  /** Set for AI-generated, synthetic and composite pictures: show the label. */
  digitalSourceType: manifestDigitalSourceTypeSchema.nullable(),
  rights: manifestRightsSchema,
  /** The wire the picture came through when not the agency's own, e.g. "dpa" for Europa Press via dpa. */
  distributor: z.string().nullable(),
  /** Disturbing content (graphic): blur until the reader chooses to see it. */
  sensitive: z.boolean(),
  /** Why, as the agency flagged it. */
  sensitiveReason: z.string().nullable(),
  /** When the licence runs out: the photo leaves the gallery then. */
  expiresAt: z.string().nullable(),
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
export type ManifestProvenance = z.infer<typeof manifestProvenanceSchema>;
export type ManifestDigitalSourceType = z.infer<typeof manifestDigitalSourceTypeSchema>;
export type ManifestRights = z.infer<typeof manifestRightsSchema>;

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

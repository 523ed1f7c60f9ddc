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

export const manifestPhotoSchema = z.object({
  photoId: z.string(),
  caption: z.string().nullable(),
  credit: z.string().nullable(),
  byline: z.string().nullable(),
  dateCreated: z.string().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  placeholder: placeholderSchema.nullable(),
  /** Usage restrictions downstream sites must honour ("SPAIN OUT", "MANDATORY CREDIT", …). */
  restrictions: z.array(z.string()),
  renditions: z.array(manifestRenditionSchema),
});

/** The gallery object downstream sites read from `galleries/<storyId>/gallery.json`. */
export const galleryManifestSchema = z.object({
  storyId: z.string(),
  slug: z.string(),
  headline: z.string(),
  version: z.number().int().positive(),
  updatedAt: z.string(),
  photos: z.array(manifestPhotoSchema),
});

export type GalleryManifest = z.infer<typeof galleryManifestSchema>;
export type ManifestPhoto = z.infer<typeof manifestPhotoSchema>;
export type ManifestRendition = z.infer<typeof manifestRenditionSchema>;

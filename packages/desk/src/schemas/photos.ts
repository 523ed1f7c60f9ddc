import {
  c2paProvenanceSchema,
  INTAKE_PRIORITIES,
  MATCH_DECISIONS,
  matchResultSchema,
  PHOTO_STATUSES,
  photoMetadataSchema,
  placeholderSchema,
  renditionSchema,
  STORY_STATUSES,
  VERSION_KINDS,
  VERSION_OUTCOMES,
} from '@lightbox/contracts';
import { z } from 'zod';
import { auditEntrySchema, pageInput } from './common.js';

export const photoStatusSchema = z.enum(PHOTO_STATUSES);

/** A candidate story, named: the matcher's score and reasons with the story's slug, headline and status. */
export const explainedCandidateSchema = z.object({
  storyId: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
  slug: z.string().nullable(),
  headline: z.string().nullable(),
  storyStatus: z.enum(STORY_STATUSES).nullable(),
});

/** The matcher's (or an editor's) decision with its reasons and the top candidates. */
export const explainedMatchSchema = z
  .object({
    decision: z.enum(MATCH_DECISIONS),
    storyId: z.string().nullable(),
    score: z.number(),
    reasons: z.array(z.string()),
    matchedAt: z.string(),
    manual: matchResultSchema.shape.manual,
    candidates: z.array(explainedCandidateSchema),
  })
  .meta({ id: 'ExplainedMatch' });
export type ExplainedMatch = z.infer<typeof explainedMatchSchema>;

/** How the picture was made, labelled (the more synthetic of XMP and C2PA). */
export const sourceTypeViewSchema = z.object({
  value: z.string(),
  code: z.string().nullable(),
  label: z.string(),
  needsReview: z.boolean(),
});

/** Provenance and rights (docs/provenance.md): credentials, source type, review reason, blur, licence. */
export const provenanceViewShape = {
  provenance: c2paProvenanceSchema
    .extend({ checkedAt: z.string(), manifestStoreUrl: z.string().nullable() })
    .nullable()
    .describe("the original's Content Credentials as checked at intake"),
  digitalSourceType: sourceTypeViewSchema.nullable(),
  reviewReason: z.string().nullable().describe('why an editor must decide it'),
  sensitive: z.object({ reason: z.string() }).nullable().describe('graphic content: blurred until revealed'),
  expiresAt: z.string().nullable(),
  licence: z
    .object({
      iim: z.string().optional(),
      newsml: z.string().optional(),
      feedRule: z.object({ expireAfterDays: z.number(), applies: z.enum(['unpublished', 'all']) }).optional(),
    })
    .nullable()
    .describe("what the licence's end is computed from: the IIM record, the sidecar, the feed's rule"),
};

/** The story a photo is in, named. */
export const storyRefSchema = z.object({
  id: z.string(),
  slug: z.string(),
  headline: z.string(),
  status: z.enum(STORY_STATUSES),
});

/** One photo in the review inbox. */
export const reviewItemSchema = z
  .object({
    photoId: z.string(),
    status: photoStatusSchema,
    caption: z.string().nullable(),
    headline: z.string().nullable(),
    credit: z.string().nullable(),
    dateCreated: z.string().nullable(),
    thumbnail: z.string().nullable().describe('URL of the smallest rendition'),
    match: explainedMatchSchema.nullable(),
    digitalSourceType: sourceTypeViewSchema.nullable(),
    sensitive: z.object({ reason: z.string() }).nullable(),
  })
  .meta({ id: 'ReviewItem' });
export type ReviewItem = z.infer<typeof reviewItemSchema>;

export const reviewInboxInput = pageInput(100);
export const reviewInboxSchema = z.object({ total: z.number().int(), photos: z.array(reviewItemSchema) });
export type ReviewInbox = z.infer<typeof reviewInboxSchema>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2024-08-11');

/** Photo search: all words, status, agency, story and capture dates (UTC days, inclusive). */
export const photoSearchInput = pageInput(25, 200).extend({
  q: z.string().max(200).optional().describe('words in caption, credit, byline, event, places or keywords'),
  status: photoStatusSchema.optional(),
  agency: z.string().max(60).optional(),
  storyId: z.string().max(64).optional(),
  from: day.optional().describe('captured on or after this UTC day'),
  to: day.optional().describe('captured on or before this UTC day'),
});
export type PhotoSearchInput = z.input<typeof photoSearchInput>;

export const photoSummarySchema = z
  .object({
    photoId: z.string(),
    status: photoStatusSchema,
    caption: z.string().nullable(),
    filename: z.string().nullable(),
    credit: z.string().nullable(),
    dateCreated: z.string().nullable(),
    storyId: z.string().nullable(),
    /** The rejection reason, or the matcher's first reason. */
    reason: z.string().nullable(),
    thumbnail: z.string().nullable(),
    digitalSourceType: sourceTypeViewSchema.nullable(),
    sensitive: z.object({ reason: z.string() }).nullable(),
  })
  .meta({ id: 'PhotoSummary' });
export type PhotoSummary = z.infer<typeof photoSummarySchema>;

export const photoSearchSchema = z.object({ total: z.number().int(), photos: z.array(photoSummarySchema) });
export type PhotoSearch = z.infer<typeof photoSearchSchema>;

export const photoVersionViewSchema = z.object({
  version: z.number().int(),
  kind: z.enum(VERSION_KINDS),
  outcome: z.enum(VERSION_OUTCOMES),
  receivedAt: z.string(),
  feed: z.string(),
  filename: z.string().nullable(),
  caption: z.string().nullable(),
  reason: z.string().optional(),
  /** Why this version's bytes were refused (`code: message`), when outcome is `rejected`. */
  rejection: z.string().optional(),
});

/**
 * Everything an editor sees about one photo (`GET /v1/photos/:id`, the dashboard's photo page).
 * New fields go here and in `photoDetail` (photos.ts); both adapters show them.
 */
export const photoDetailSchema = z
  .object({
    photoId: z.string(),
    status: photoStatusSchema,
    feed: z.string(),
    filename: z.string().nullable(),
    receivedAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    priority: z
      .enum(INTAKE_PRIORITIES)
      .describe('bulk: the current version came in as an import; its work waits behind live photos'),
    metadata: photoMetadataSchema.partial(),
    restrictions: z.array(z.string()),
    embargoUntil: z.string().nullable(),
    embargoReleased: z.object({ at: z.string(), by: z.string(), until: z.string().optional() }).optional(),
    hold: z.string().optional(),
    killed: z.object({ at: z.string(), reason: z.string() }).optional(),
    expired: z.object({ at: z.string(), reason: z.string() }).optional(),
    ...provenanceViewShape,
    publishedAt: z.string().nullable().describe('first publication'),
    renditions: z.array(renditionSchema.extend({ url: z.string() })),
    placeholder: placeholderSchema.nullable(),
    storyId: z.string().nullable(),
    story: storyRefSchema.nullable(),
    phash: z.string().nullable(),
    match: explainedMatchSchema.nullable(),
    versions: z.array(photoVersionViewSchema),
    error: z.string().optional(),
    audit: z.array(auditEntrySchema),
  })
  .meta({ id: 'PhotoDetail' });
export type PhotoDetail = z.infer<typeof photoDetailSchema>;

export const assignInput = z.object({ storyId: z.string().min(1).max(64) }).strict();

/** What an editor's decision left: the photo's status, story and match (and a lifted embargo). */
export const photoDecisionSchema = z
  .object({
    photoId: z.string(),
    status: photoStatusSchema,
    storyId: z.string().nullable(),
    match: matchResultSchema.nullable(),
    embargoReleased: z.object({ at: z.string(), by: z.string(), until: z.string().optional() }).optional(),
  })
  .meta({ id: 'PhotoDecision' });
export type PhotoDecision = z.infer<typeof photoDecisionSchema>;

export const PHOTO_DECISIONS = ['assign', 'unassign', 'reject', 'release-embargo', 'release-hold'] as const;
export type PhotoDecisionKind = (typeof PHOTO_DECISIONS)[number];

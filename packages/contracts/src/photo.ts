import { z } from 'zod';
import type { ImageHeader, Placeholder } from './imaging.js';
import { provenanceMetadataFields } from './metadata-rights.js';
import type { PhotoProvenance } from './provenance.js';

/**
 * Where a photo is in its life (docs/lifecycle.md): `received` while it is read and rendered;
 * `embargoed` until its embargo lifts; `held` until an editor clears it; then the matcher's
 * `matched` / `review` / `unmatched`; `published` once a gallery shows it. `rejected` (bad input),
 * `killed` (mandatory kill) and `expired` (licence ran out) are final. Only the lifecycle module
 * (`@lightbox/lifecycle`, carried out by the catalog's `PhotoLifecycle`) changes it.
 */
export const PHOTO_STATUSES = [
  'received',
  'embargoed',
  'held',
  'unmatched',
  'review',
  'matched',
  'published',
  'rejected',
  'killed',
  'expired',
] as const;
export type PhotoStatus = (typeof PHOTO_STATUSES)[number];

/** How the time zone of `dateCreated` was established. */
export const DATE_ZONE_SOURCES = ['explicit', 'unknown'] as const;

/** A credit line split into its parts. Unknown formats keep `raw` and leave the parts undefined. */
export const parsedCreditSchema = z.object({
  raw: z.string(),
  agency: z.string().optional(),
  photographer: z.string().optional(),
  distributor: z.string().optional(),
});
export type ParsedCredit = z.infer<typeof parsedCreditSchema>;

/** The normalised caption record of one photo, whatever the agency's layout. */
export const photoMetadataSchema = z.object({
  caption: z.string().optional(),
  headline: z.string().optional(),
  /** IIM Credit / photoshop:Credit as sent, e.g. "AP". */
  credit: z.string().optional(),
  /** The credit as printed under the photo, e.g. "AP Photo/Natacha Pisarenko". */
  creditLine: z.string().optional(),
  byline: z.string().optional(),
  bylineTitle: z.string().optional(),
  source: z.string().optional(),
  copyright: z.string().optional(),
  usageTerms: z.string().optional(),
  /** ISO 8601. Carries its UTC offset when `dateZone` is `explicit`; a bare local time when `unknown`. */
  dateCreated: z.string().optional(),
  dateZone: z.enum(DATE_ZONE_SOURCES).optional(),
  city: z.string().optional(),
  sublocation: z.string().optional(),
  provinceState: z.string().optional(),
  country: z.string().optional(),
  countryCode: z.string().optional(),
  event: z.string().optional(),
  /** Identifiers of the event shown (XMP Iptc4xmpExt:EventId, repeatable; NewsML-G2 event subjects). */
  eventIds: z.array(z.string()).optional(),
  keywords: z.array(z.string()).default([]),
  objectName: z.string().optional(),
  category: z.string().optional(),
  supplementalCategories: z.array(z.string()).optional(),
  transmissionReference: z.string().optional(),
  specialInstructions: z.string().optional(),
  urgency: z.number().int().optional(),
  agency: z.string().optional(),
  parsedCredit: parsedCreditSchema.optional(),
  /** A stable id of the picture across versions (NewsML-G2 guid, XMP DigitalImageGUID). */
  guid: z.string().optional(),
  /** NewsML-G2 item version. */
  itemVersion: z.number().int().optional(),
  /** NewsML-G2 pubStatus: `canceled` withdraws the picture. */
  pubStatus: z.enum(['usable', 'withheld', 'canceled']).optional(),
  /** IIM Edit Status or NewsML signals, e.g. "CORRECTION", "sig:correction". */
  editStatus: z.string().optional(),
  /** Earliest publication time the sender gives (IIM Release Date/Time, NewsML embargoed), ISO. */
  releaseDate: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  orientation: z.number().int().optional(),
  ...provenanceMetadataFields,
});
export type PhotoMetadata = z.infer<typeof photoMetadataSchema>;

export const renditionSchema = z.object({
  name: z.string(),
  key: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.string(),
  bytes: z.number().int(),
});
export type Rendition = z.infer<typeof renditionSchema>;

export const matchCandidateSchema = z.object({
  storyId: z.string(),
  score: z.number(),
  reasons: z.array(z.string()),
});
export type MatchCandidate = z.infer<typeof matchCandidateSchema>;

export const MATCH_DECISIONS = ['matched', 'review', 'unmatched'] as const;
export type MatchDecision = (typeof MATCH_DECISIONS)[number];

export const matchResultSchema = z.object({
  decision: z.enum(MATCH_DECISIONS),
  storyId: z.string().nullable(),
  score: z.number(),
  reasons: z.array(z.string()),
  candidates: z.array(matchCandidateSchema),
  matchedAt: z.string(),
  /** Set when an editor decided: a later re-match never overrides it. */
  manual: z
    .object({ by: z.string(), at: z.string(), action: z.enum(['assign', 'unassign', 'reject']) })
    .optional(),
});
export type MatchResult = z.infer<typeof matchResultSchema>;

export const VERSION_KINDS = ['original', 'update', 'correction', 'kill', 'release'] as const;
export type VersionKind = (typeof VERSION_KINDS)[number];

/**
 * What became of one transmission: it became the photo's current version, was kept in the history
 * only (an older version arriving after a newer one), was recorded on a killed or expired photo
 * (nothing published), ended the photo's life (a kill), or was rejected because its bytes cannot
 * be used while the photo kept its usable current version (`rejection` says why).
 */
export const VERSION_OUTCOMES = ['current', 'superseded', 'recorded', 'killed', 'rejected'] as const;
export type VersionOutcome = (typeof VERSION_OUTCOMES)[number];

/** Where a transmission came in. */
export type IntakeRoute = 'http' | 'hot-folder' | 's3-inbox';

/**
 * How urgently a photo's pipeline work runs (fresh first): `live` wire photos, the default, are
 * taken before any `bulk` work (`lightbox ingest` imports, re-matches, archive restores).
 */
export const INTAKE_PRIORITIES = ['live', 'bulk'] as const;
export type IntakePriority = (typeof INTAKE_PRIORITIES)[number];

/** One transmission of a photo: the first, a resend, a correction, a release or a kill notice. */
export interface PhotoVersion {
  version: number;
  kind: VersionKind;
  /** Absent on records written before the lifecycle (read as `current`). */
  outcome?: VersionOutcome;
  route?: IntakeRoute;
  /** NewsML-G2 item version, when the sender numbers its versions. */
  itemVersion?: number;
  /** The embargo this transmission carried (ISO). */
  embargoUntil?: string;
  sha256: string;
  originalKey: string;
  receivedAt: string;
  feed: string;
  filename?: string;
  /** The caption this version carried. */
  caption?: string;
  /** Why it is a correction or kill, quoted from the metadata. */
  reason?: string;
  /** Why its bytes cannot be used (`code: message`), when they cannot. */
  rejection?: string;
  /** Where this transmission's C2PA manifest store was kept, when it had one (deleted with a kill or expiry). */
  manifestStoreKey?: string;
}

/**
 * What a photo's licence expiry is computed from (`photoLicenceExpiry` in packages/wire-rules): the
 * sender's own expiry, per source, as read from the current version, and the feed's rule when
 * the photo arrived.
 */
export interface PhotoLicence {
  /** IIM 2:37/2:38 Expiration Date/Time of the embedded record (before any sidecar overrides it). */
  iim?: string;
  /** NewsML-G2 `expires` / rights `validto` of the sidecar. */
  newsml?: string;
  /** The feed's `expireAfterDays` rule (per-feed rules file) when the photo arrived. */
  feedRule?: { expireAfterDays: number; applies: 'unpublished' | 'all' };
}

/** Everything Lightbox knows about one photo. */
export interface Photo {
  photoId: string;
  status: PhotoStatus;
  /** Feed name the photo came in on (from the feed key or hot folder). */
  feed: string;
  sha256: string;
  originalKey: string;
  contentType: string;
  bytes: number;
  /** Sanitised client file name, for display only. Never used in storage keys. */
  filename?: string;
  receivedAt: string;
  updatedAt: string;
  metadata?: PhotoMetadata;
  /** The current version's image header, read at intake (absent on records of earlier releases). */
  probe?: ImageHeader;
  renditions?: Rendition[];
  placeholder?: Placeholder;
  /** 64-bit difference hash of the picture (hex), for near-duplicate grouping. */
  phash?: string;
  match?: MatchResult;
  storyId?: string;
  error?: string;
  /** Current version number (1 for the first transmission). History: `PhotoCatalog.versions()`. */
  version: number;
  /** Metadata a NewsML-G2 sidecar supplied for the current version; it overrides the embedded record. */
  sidecar?: Partial<PhotoMetadata>;
  /** Usage restrictions ("SPAIN OUT", "NO SALES", …), carried into the manifest. */
  restrictions?: string[];
  /** Held back until this time (ISO). Only its passing, a release from the owning feed or an editor lifts it. */
  embargoUntil?: string;
  /** Who lifted the embargo before its time, when, and which embargo (its time) it was. */
  embargoReleased?: { at: string; by: string; until?: string };
  /** Set when the photo must wait for an editor instead of publishing (e.g. an embargo Lightbox could not read). */
  hold?: string;
  killed?: { at: string; reason: string };
  expired?: { at: string; reason: string };
  /**
   * Kind and NewsML item version of the current version, which decide whether a later
   * transmission supersedes it (a correction beats the version it corrects).
   */
  currentKind?: VersionKind;
  currentItemVersion?: number;
  /** False while the record holds only a kill notice, its picture not seen yet. */
  hasPicture?: boolean;
  /** Counts every write to the record; the lifecycle's compare-and-set checks it. */
  rev?: number;
  /** The photo's number in the search index (set when it is first indexed; `PhotoCatalog`). */
  seq?: number;
  // Provenance and rights (issue 15):
  /** C2PA Content Credentials of the original, and where its manifest store is kept. */
  provenance?: PhotoProvenance;
  /** Flagged as disturbing (graphic content): downstream pages blur it until the reader chooses. */
  sensitive?: { reason: string };
  /**
   * When the licence runs out (ISO): the agency's expiry or the feed's `expireAfterDays`, whichever
   * is first (`photoLicenceExpiry`). Kept in step with `licence` and `publishedAt` by the lifecycle,
   * in the same commit as the by-expiry index the expiry sweep reads.
   */
  expiresAt?: string;
  /** What `expiresAt` is computed from. */
  licence?: PhotoLicence;
  /** When a gallery first showed the photo (the feed's `unpublished` expiry rule stops applying then). */
  publishedAt?: string;
  /**
   * When the photo began waiting for its embargo or an editor (embargoed, held, review, unmatched);
   * `waitedMs` sums its earlier waits. Kept by the lifecycle (`waitPatch`): status latency leaves them out.
   */
  waitingSince?: string;
  waitedMs?: number;
  /**
   * Why an editor must decide this photo's story (AI-generated or synthetic media, credentials an
   * editor should look at): automatic matching sends it to review instead of publishing it.
   */
  reviewReason?: string;
  /**
   * `bulk` when the current version came in as bulk work (an import): every stage's next job for
   * the photo then waits behind live work (`LifecycleWork`). Absent means live.
   */
  priority?: IntakePriority;
}

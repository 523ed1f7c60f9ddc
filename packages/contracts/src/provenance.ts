import { z } from 'zod';

/**
 * What Lightbox found when it checked a photo's C2PA Content Credentials (the manifest store in
 * the original's bytes):
 * - `valid`: a manifest store whose active manifest verifies (claim signature, certificate chain,
 *   hard binding to the bytes received). `trusted` says whether its signer chains to a certificate
 *   in Lightbox's trust list.
 * - `invalid`: a manifest store that does not verify (tampered after signing, bad signature,
 *   unreadable); `issues` says why.
 * - `absent`: no embedded manifest store. Normal for most wire photos.
 */
export const PROVENANCE_STATES = ['valid', 'invalid', 'absent'] as const;
export type ProvenanceState = (typeof PROVENANCE_STATES)[number];

/** One C2PA validation status, e.g. `assertion.dataHash.mismatch`, with the validator's words. */
export const provenanceIssueSchema = z.object({
  code: z.string(),
  explanation: z.string().optional(),
});
export type ProvenanceIssue = z.infer<typeof provenanceIssueSchema>;

/** Who signed the claim, from the signing certificate's subject. */
export const c2paSignerSchema = z.object({
  /** Subject organisation (O), e.g. "Reuters". */
  organisation: z.string().optional(),
  /** Subject common name (CN). */
  commonName: z.string().optional(),
});
export type C2paSigner = z.infer<typeof c2paSignerSchema>;

/** The result of checking one asset's C2PA manifest store. */
export const c2paProvenanceSchema = z.object({
  state: z.enum(PROVENANCE_STATES),
  /** The signer chains to a certificate in the configured trust list (never true unless `valid`). */
  trusted: z.boolean(),
  signer: c2paSignerSchema.optional(),
  /** Time of the claim signature (from its time-stamp), ISO. */
  signedAt: z.string().optional(),
  /** Software that made the claim, e.g. "Adobe_Photoshop/26.9.0 adobe_c2pa/0.14.2". */
  claimGenerator: z.string().optional(),
  /** Actions of the active manifest in order, without repeats, e.g. `c2pa.opened`, `c2pa.color_adjustments`. */
  actions: z.array(z.string()),
  /** Number of ingredients of the active manifest. */
  ingredients: z.number().int().nonnegative(),
  /** Validation failures; set when `invalid`. */
  issues: z.array(provenanceIssueSchema).optional(),
  /** IPTC digital source type stated by `c2pa.actions` (the most synthetic one when several), as sent. */
  digitalSourceType: z.string().optional(),
  /** Label of the active manifest. */
  manifestLabel: z.string().optional(),
  /** The asset points to credentials stored elsewhere (XMP `dcterms:provenance`); Lightbox never fetches them. */
  remoteManifestUrl: z.string().optional(),
});
export type C2paProvenance = z.infer<typeof c2paProvenanceSchema>;

/** Provenance recorded on a photo. */
export const photoProvenanceSchema = z.object({
  c2pa: c2paProvenanceSchema,
  /** Where the original's manifest store was kept (`provenance/<photoId>.c2pa`), when it had one. */
  manifestStoreKey: z.string().optional(),
  checkedAt: z.string(),
});
export type PhotoProvenance = z.infer<typeof photoProvenanceSchema>;

import { z } from 'zod';

/**
 * Fields of `PhotoMetadata` about where a picture came from and what may be done with it: IPTC
 * Digital Source Type and the 2025.1 AI fields, PLUS licensing fields, the web statement, release
 * status and the agency's expiry. Spread into `photoMetadataSchema`.
 */
export const provenanceMetadataFields = {
  /** IPTC Digital Source Type (XMP `Iptc4xmpExt:DigitalSourceType`), as sent: usually a cv.iptc.org URI. */
  digitalSourceType: z.string().optional(),
  /** IPTC 2025.1 AI System Used, e.g. "Adobe Firefly". */
  aiSystemUsed: z.string().optional(),
  /** IPTC 2025.1 AI System Version Used. */
  aiSystemVersionUsed: z.string().optional(),
  /** IPTC 2025.1 AI Prompt Information. */
  aiPromptInformation: z.string().optional(),
  /** IPTC 2025.1 AI Prompt Writer Name. */
  aiPromptWriterName: z.string().optional(),
  /** PLUS Data Mining code, e.g. `DMI-PROHIBITED` (the `http://ns.useplus.org/ldf/vocab/` prefix removed). */
  dataMining: z.string().optional(),
  /** PLUS Copyright Owner names. */
  copyrightOwners: z.array(z.string()).optional(),
  /** PLUS Licensor URL: where to license the picture. */
  licensorUrl: z.string().optional(),
  /** XMP `xmpRights:WebStatement`: a web page stating the rights. */
  webStatement: z.string().optional(),
  /** PLUS Model Release Status code, e.g. `MR-NON`. */
  modelReleaseStatus: z.string().optional(),
  /** PLUS Property Release Status code, e.g. `PR-NAP`. */
  propertyReleaseStatus: z.string().optional(),
  /**
   * The sender's expiry: the latest time the picture may be used (IIM 2:37/2:38 Expiration Date/Time,
   * NewsML-G2 `expires` / rights `validto`), ISO; a date alone, or a local time without offset, as sent.
   */
  expirationDate: z.string().optional(),
  /** The wire the picture came through when it is not the agency's own ("Name/EUROPA PRESS/dpa" → "dpa"). */
  distributor: z.string().optional(),
};

/** Rules of issue 15: AI and synthetic media, graphic content, licence expiry, Content Credentials. */
import type { C2paProvenance, PhotoMetadata } from '@lightbox/contracts';
import { credentialsFinding, type InvalidCredentialsPolicy } from './content-credentials.js';
import { digitalSourceTypeHold } from './digital-source-type.js';
import { detectGraphicContent, type GraphicContentOptions } from './graphic-content.js';

export * from './content-credentials.js';
export * from './digital-source-type.js';
export * from './graphic-content.js';
export * from './licence-expiry.js';

/** What a transmission's provenance, source type and flags mean for the photo. */
export interface ProvenanceFindings {
  /** Wait for an editor before anything else (status `held`): credentials that do not verify. */
  hold?: string;
  /** An editor decides the story (never matched automatically): AI or synthetic media, or credentials under a `review` policy. */
  reviewReason?: string;
  /** Disturbing content: blurred until someone chooses to look. */
  sensitive?: { reason: string };
}

/**
 * The provenance rules for one transmission, from its record (after any sidecar), its C2PA check
 * and the feed's settings. The more synthetic of the XMP and C2PA digital source types counts.
 */
export function provenanceFindings(
  metadata: Pick<PhotoMetadata, 'digitalSourceType' | 'specialInstructions' | 'headline' | 'caption'>,
  c2pa: C2paProvenance | undefined,
  feed: { invalidCredentials?: InvalidCredentialsPolicy; graphicContent?: GraphicContentOptions } = {},
): ProvenanceFindings {
  const credentials = credentialsFinding(c2pa, feed.invalidCredentials);
  const synthetic = digitalSourceTypeHold(metadata.digitalSourceType, c2pa?.digitalSourceType);
  const review = [synthetic, credentials.review].filter((r): r is string => r !== undefined);
  const graphic = detectGraphicContent(metadata, feed.graphicContent);
  return {
    ...(credentials.hold ? { hold: credentials.hold } : {}),
    ...(review.length > 0 ? { reviewReason: review.join('; ') } : {}),
    ...(graphic ? { sensitive: { reason: graphic.reason } } : {}),
  };
}

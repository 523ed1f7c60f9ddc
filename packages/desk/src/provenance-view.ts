import type { Photo } from '@lightbox/contracts';
import { mostSyntheticSourceType } from '@lightbox/wire-rules';

/**
 * Provenance and rights as editors see them: the original's Content Credentials as checked at
 * intake (with a link to its kept manifest store), how the picture was made (the more synthetic of
 * XMP and C2PA, labelled), why an editor must decide it, the graphic-content flag and the licence.
 */
export function photoProvenanceView(photo: Photo, urlFor: (key: string) => string) {
  const source = mostSyntheticSourceType(
    photo.metadata?.digitalSourceType,
    photo.provenance?.c2pa.digitalSourceType,
  );
  const store = photo.provenance?.manifestStoreKey;
  return {
    provenance: photo.provenance
      ? {
          ...photo.provenance.c2pa,
          checkedAt: photo.provenance.checkedAt,
          manifestStoreUrl: store ? urlFor(store) : null,
        }
      : null,
    digitalSourceType: source
      ? {
          value: source.value,
          code: source.code ?? null,
          label: source.label,
          needsReview: source.needsReview,
        }
      : null,
    reviewReason: photo.reviewReason ?? null,
    sensitive: photo.sensitive ?? null,
    expiresAt: photo.expiresAt ?? null,
    licence: photo.licence ?? null,
  };
}

import type {
  ManifestDigitalSourceType,
  ManifestPhoto,
  ManifestProvenance,
  ManifestRights,
  Photo,
} from '@lightbox/contracts';
import { mostSyntheticSourceType, photoLicenceExpiry } from '@lightbox/wire-rules';

/** The original's Content Credentials as the manifest states them; null when never checked. */
export function manifestProvenance(photo: Photo, urlFor: (key: string) => string): ManifestProvenance | null {
  const record = photo.provenance;
  if (!record) return null;
  const { c2pa } = record;
  return {
    state: c2pa.state,
    trusted: c2pa.trusted,
    signer: c2pa.signer?.organisation ?? c2pa.signer?.commonName ?? null,
    appliesTo: 'original',
    manifestStoreUrl: record.manifestStoreKey ? urlFor(record.manifestStoreKey) : null,
  };
}

/**
 * The digital source type readers must be told about (AI-generated, synthetic, composite …): the
 * most synthetic of what the file's XMP and its C2PA manifest say. Null for pictures captured from
 * real life, and for values outside the IPTC vocabulary.
 */
export function manifestDigitalSourceType(photo: Photo): ManifestDigitalSourceType | null {
  const reading = mostSyntheticSourceType(
    photo.metadata?.digitalSourceType,
    photo.provenance?.c2pa.digitalSourceType,
  );
  if (!reading?.disclose || !reading.code || !reading.uri) return null;
  return { uri: reading.uri, code: reading.code, label: reading.label };
}

export function manifestRights(photo: Photo): ManifestRights {
  const m = photo.metadata;
  return {
    copyright: m?.copyright ?? null,
    copyrightOwners: m?.copyrightOwners ?? [],
    usageTerms: m?.usageTerms ?? null,
    webStatement: m?.webStatement ?? null,
    licensorUrl: m?.licensorUrl ?? null,
    dataMining: m?.dataMining ?? null,
    modelReleaseStatus: m?.modelReleaseStatus ?? null,
    propertyReleaseStatus: m?.propertyReleaseStatus ?? null,
  };
}

/**
 * When the licence of a photo in a gallery runs out: as published (a feed's rule for unpublished
 * pictures no longer applies once a gallery shows it).
 */
export function publishedExpiresAt(photo: Photo): string | null {
  if (!photo.licence) return photo.expiresAt ?? null;
  return photoLicenceExpiry({ ...photo, publishedAt: photo.publishedAt ?? photo.updatedAt })?.at ?? null;
}

/** True once the photo's licence (as published) has run out by `now`. */
export function licenceRanOut(photo: Photo, now: number): boolean {
  const at = publishedExpiresAt(photo);
  return at !== null && Date.parse(at) <= now;
}

/** The provenance, labelling, rights, sensitivity and expiry fields of one manifest photo. */
export function provenanceFields(
  photo: Photo,
  urlFor: (key: string) => string,
): Pick<
  ManifestPhoto,
  | 'provenance'
  | 'digitalSourceType'
  | 'rights'
  | 'distributor'
  | 'sensitive'
  | 'sensitiveReason'
  | 'expiresAt'
> {
  return {
    provenance: manifestProvenance(photo, urlFor),
    digitalSourceType: manifestDigitalSourceType(photo),
    rights: manifestRights(photo),
    distributor: photo.metadata?.distributor ?? photo.metadata?.parsedCredit?.distributor ?? null,
    sensitive: photo.sensitive !== undefined,
    sensitiveReason: photo.sensitive?.reason ?? null,
    expiresAt: publishedExpiresAt(photo),
  };
}

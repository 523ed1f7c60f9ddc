import type { C2paProvenance } from '@lightbox/contracts';

/**
 * What a feed does with a photo whose C2PA Content Credentials do not verify (per-feed rules file,
 * `invalidCredentials`): `hold` it for an editor (the default), send it to `review` (an editor
 * decides its story; never published automatically), or `allow` it (recorded and shown as
 * invalid, nothing else). Never rejected: the picture itself may be fine.
 */
export const INVALID_CREDENTIALS_POLICIES = ['hold', 'review', 'allow'] as const;
export type InvalidCredentialsPolicy = (typeof INVALID_CREDENTIALS_POLICIES)[number];

/** Who signed, as editors read it. */
export function signerName(c2pa: Pick<C2paProvenance, 'signer'>): string | undefined {
  return c2pa.signer?.organisation ?? c2pa.signer?.commonName;
}

/**
 * Why a photo's Content Credentials need an editor's eyes, e.g. `Content Credentials do not verify
 * (assertion.dataHash.mismatch; signed by "C2PA Test Signing Cert")`. Undefined unless `invalid`:
 * absent credentials are normal and valid ones need nothing.
 */
export function invalidCredentialsReason(c2pa: C2paProvenance | undefined): string | undefined {
  if (c2pa?.state !== 'invalid') return undefined;
  const codes = [...new Set((c2pa.issues ?? []).map((i) => i.code))];
  const signer = signerName(c2pa);
  return `Content Credentials do not verify (${codes.join(', ') || 'unreadable'}${signer ? `; signed by "${signer}"` : ''})`;
}

/** What invalid credentials do to a photo under a feed's policy: a hold, a review reason, or nothing. */
export function credentialsFinding(
  c2pa: C2paProvenance | undefined,
  policy: InvalidCredentialsPolicy = 'hold',
): { hold?: string; review?: string } {
  const reason = invalidCredentialsReason(c2pa);
  if (!reason || policy === 'allow') return {};
  return policy === 'hold' ? { hold: reason } : { review: reason };
}

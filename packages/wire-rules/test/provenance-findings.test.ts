import type { C2paProvenance } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import {
  credentialsFinding,
  invalidCredentialsReason,
  photoLicenceExpiry,
  provenanceFindings,
} from '../src/index.js';

const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
const c2pa = (more: Partial<C2paProvenance>): C2paProvenance => ({
  state: 'valid',
  trusted: true,
  actions: [],
  ingredients: 0,
  ...more,
});
const tampered = c2pa({
  state: 'invalid',
  trusted: false,
  signer: { organisation: 'C2PA Test Signing Cert', commonName: 'C2PA Signer' },
  issues: [
    { code: 'assertion.dataHash.mismatch', explanation: 'hash does not match' },
    { code: 'assertion.dataHash.mismatch' },
  ],
});

describe('Content Credentials that do not verify', () => {
  it('say why, with each status code once and the signer', () => {
    expect(invalidCredentialsReason(tampered)).toBe(
      'Content Credentials do not verify (assertion.dataHash.mismatch; signed by "C2PA Test Signing Cert")',
    );
  });
  it('need nothing when valid (trusted or not) or absent', () => {
    expect(invalidCredentialsReason(c2pa({}))).toBeUndefined();
    expect(invalidCredentialsReason(c2pa({ trusted: false }))).toBeUndefined();
    expect(invalidCredentialsReason(c2pa({ state: 'absent', trusted: false }))).toBeUndefined();
    expect(invalidCredentialsReason(undefined)).toBeUndefined();
  });
  it('an unreadable store without codes still says so', () => {
    expect(invalidCredentialsReason(c2pa({ state: 'invalid', trusted: false }))).toBe(
      'Content Credentials do not verify (unreadable)',
    );
  });
  it('hold by default; review or allow when the feed says so', () => {
    const reason = invalidCredentialsReason(tampered);
    expect(credentialsFinding(tampered)).toEqual({ hold: reason });
    expect(credentialsFinding(tampered, 'hold')).toEqual({ hold: reason });
    expect(credentialsFinding(tampered, 'review')).toEqual({ review: reason });
    expect(credentialsFinding(tampered, 'allow')).toEqual({});
    expect(credentialsFinding(c2pa({}), 'hold')).toEqual({});
  });
});

describe('provenance findings of a transmission', () => {
  it('a plain wire photo: nothing', () => {
    expect(
      provenanceFindings({ caption: 'Fans in Paris' }, c2pa({ state: 'absent', trusted: false })),
    ).toEqual({});
  });
  it('AI-generated (XMP) goes to review with the label and the code', () => {
    expect(provenanceFindings({ digitalSourceType: `${DST}trainedAlgorithmicMedia` }, undefined)).toEqual({
      reviewReason:
        'AI-generated (IPTC digital source type trainedAlgorithmicMedia): never published automatically',
    });
  });
  it('the signed manifest wins when it is more synthetic than the XMP', () => {
    const found = provenanceFindings(
      { digitalSourceType: `${DST}digitalCapture` },
      c2pa({ digitalSourceType: `${DST}compositeWithTrainedAlgorithmicMedia` }),
    );
    expect(found.reviewReason).toMatch(
      /^AI-edited \(IPTC digital source type compositeWithTrainedAlgorithmicMedia\)/,
    );
  });
  it('composites of photographs and enhanced pictures are labelled, not held', () => {
    for (const code of ['compositeCapture', 'algorithmicallyEnhanced', 'digitalCreation'])
      expect(provenanceFindings({ digitalSourceType: `${DST}${code}` }, undefined)).toEqual({});
  });
  it('invalid credentials hold; under a review policy both reasons are given', () => {
    expect(provenanceFindings({}, tampered)).toEqual({ hold: invalidCredentialsReason(tampered) });
    expect(
      provenanceFindings({ digitalSourceType: `${DST}algorithmicMedia` }, tampered, {
        invalidCredentials: 'review',
      }).reviewReason,
    ).toBe(
      `Computer-generated (algorithmic) (IPTC digital source type algorithmicMedia): never published automatically; ${invalidCredentialsReason(tampered)}`,
    );
  });
  it('graphic content marks the photo sensitive, with the feed’s words, on whole words only', () => {
    expect(provenanceFindings({ specialInstructions: 'WARNING: GRAPHIC CONTENT' }, undefined)).toEqual({
      sensitive: { reason: 'Graphic content flagged in special instructions: "GRAPHIC CONTENT"' },
    });
    expect(
      provenanceFindings({ specialInstructions: 'VIEWER DISCRETION' }, undefined, {
        graphicContent: { words: ['viewer discretion'] },
      }).sensitive,
    ).toEqual({ reason: 'Graphic content flagged in special instructions: "VIEWER DISCRETION"' });
    expect(provenanceFindings({ specialInstructions: 'PORTSMOUTH OUT' }, undefined)).toEqual({});
  });
});

describe('a photo record’s licence expiry', () => {
  const receivedAt = '2024-08-01T12:00:00.000Z';
  const feedRule = { expireAfterDays: 30, applies: 'unpublished' as const };
  it('none without licence facts', () => {
    expect(photoLicenceExpiry({ receivedAt })).toBeUndefined();
  });
  it('the feed’s unpublished rule until a gallery shows it, then only the agency’s', () => {
    const licence = { iim: '2024-12-31', feedRule };
    expect(photoLicenceExpiry({ receivedAt, licence })?.at).toBe('2024-08-31T12:00:00.000Z');
    expect(photoLicenceExpiry({ receivedAt, licence, publishedAt: '2024-08-02T00:00:00Z' })).toMatchObject({
      at: '2024-12-31T10:00:00.000Z',
      source: 'iim',
    });
  });
  it('a rule for all pictures keeps counting after publication; the earliest wins', () => {
    const licence = {
      newsml: '2024-09-15T00:00:00Z',
      feedRule: { expireAfterDays: 7, applies: 'all' as const },
    };
    expect(photoLicenceExpiry({ receivedAt, licence, publishedAt: receivedAt })).toMatchObject({
      at: '2024-08-08T12:00:00.000Z',
      source: 'feed',
    });
  });
});

import type { Photo } from '@lightbox/contracts';
import { photoDetailOf } from '@lightbox/desk';
import { describe, expect, it } from 'vitest';
import { photoPage } from '../src/views/pages.js';
import { photoLabels, previewFigure, provenanceSection } from '../src/views/provenance.js';

const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
const urlFor = (k: string) => `https://cdn.example/${k}`;
/** The views render what the desk answers (`GET /v1/photos/:id`), made here from a record. */
const detail = (p: Photo) => photoDetailOf(p, { urlFor });
const photo = (over: Partial<Photo> = {}): Photo => ({
  photoId: 'ph_1',
  status: 'review',
  feed: 'wire',
  sha256: 'a'.repeat(64),
  originalKey: 'originals/a.jpg',
  contentType: 'image/jpeg',
  bytes: 1,
  receivedAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
  version: 1,
  metadata: { keywords: [], caption: 'A wounded man is carried from the rubble.' },
  renditions: [
    { name: 'thumb', key: 'renditions/ph_1/thumb.jpg', width: 320, height: 213, format: 'jpeg', bytes: 1 },
    { name: 'medium', key: 'renditions/ph_1/medium.jpg', width: 1024, height: 683, format: 'jpeg', bytes: 1 },
  ],
  ...over,
});

describe('provenance on the dashboard', () => {
  it('labels AI media (the more synthetic of XMP and C2PA) and sensitive pictures', () => {
    const ai = photo({
      metadata: { keywords: [], digitalSourceType: `${DST}digitalCapture` },
      provenance: {
        c2pa: {
          state: 'valid',
          trusted: false,
          actions: [],
          ingredients: 0,
          digitalSourceType: `${DST}compositeWithTrainedAlgorithmicMedia`,
        },
        checkedAt: 'x',
      },
      sensitive: { reason: 'Graphic content flagged in caption: "GRAPHIC CONTENT"' },
    });
    const labels = photoLabels(detail(ai)).value;
    expect(labels).toContain('<span class="badge source-label needs-editor"');
    expect(labels).toContain('>AI-edited</span>');
    expect(labels).toContain('>Sensitive</span>');
    expect(
      photoLabels(detail(photo({ metadata: { keywords: [], digitalSourceType: `${DST}digitalCapture` } })))
        .value,
    ).toBe('');
  });

  it('blurs a sensitive picture with the reason and a reveal; revealed, it is plain', () => {
    const p = photo({ sensitive: { reason: 'Graphic content flagged in special instructions: "SMOUT"' } });
    const blurred = String(previewFigure(detail(p)));
    expect(blurred).toContain('class="preview-figure sensitive"');
    expect(blurred).toContain('hx-post="/dashboard/actions/photos/ph_1/reveal"');
    expect(blurred).toContain('&quot;SMOUT&quot;');
    const shown = String(previewFigure(detail(p), true));
    expect(shown).toContain('class="preview-figure revealed"');
    expect(shown).not.toContain('reveal"');
    expect(previewFigure(detail(photo({ renditions: [] })))).toBe('');
  });

  it('states the Content Credentials: verified and trusted, invalid with codes, absent, not checked', () => {
    const valid = provenanceSection(
      detail(
        photo({
          provenance: {
            c2pa: {
              state: 'valid',
              trusted: true,
              signer: { organisation: 'Reuters' },
              actions: ['c2pa.opened'],
              ingredients: 1,
            },
            manifestStoreKey: 'provenance/abc.c2pa',
            checkedAt: 'x',
          },
        }),
      ),
    ).value;
    expect(valid).toContain('data-state="valid"');
    expect(valid).toContain('signed by Reuters, on the newsroom’s trust list');
    expect(valid).toContain('href="https://cdn.example/provenance/abc.c2pa"');
    const invalid = provenanceSection(
      detail(
        photo({
          provenance: {
            c2pa: {
              state: 'invalid',
              trusted: false,
              actions: [],
              ingredients: 0,
              issues: [{ code: 'claimSignature.mismatch', explanation: 'claim signature is not valid' }],
            },
            checkedAt: 'x',
          },
        }),
      ),
    ).value;
    expect(invalid).toContain('Content Credentials do not verify</strong>: claimSignature.mismatch');
    expect(invalid).toContain('claimSignature.mismatch: claim signature is not valid');
    expect(
      provenanceSection(
        detail(
          photo({
            provenance: {
              c2pa: { state: 'absent', trusted: false, actions: [], ingredients: 0 },
              checkedAt: 'x',
            },
          }),
        ),
      ).value,
    ).toContain('No Content Credentials.');
    expect(provenanceSection(detail(photo())).value).toContain('not checked');
  });

  it('the photo page puts it together', () => {
    const page = photoPage(
      detail(
        photo({
          sensitive: { reason: 'graphic' },
          reviewReason: 'AI-generated',
          expiresAt: '2026-04-01T00:00:00.000Z',
        }),
      ),
    ).value;
    expect(page).toContain('src="https://cdn.example/renditions/ph_1/medium.jpg"');
    expect(page).toContain('preview-figure sensitive');
    expect(page).toContain('<h2 id="h-prov">Provenance and rights</h2>');
    expect(page).toContain('<dt>An editor decides</dt><dd>AI-generated</dd>');
    expect(page).toContain('<dt>Licence ends</dt><dd>2026-04-01T00:00:00.000Z');
  });
});

import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

const FEED = 'feed-key-provenance';
const EDITOR = 'editor-token-provenance';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

/** `GET /v1/photos/:id` shows what intake found about a photo's provenance and rights. */
describe('photo provenance in the API', () => {
  let api: TestApi;
  let app: FastifyInstance;

  beforeAll(async () => {
    api = await startTestApi({
      LIGHTBOX_FEED_KEYS: `wire:${FEED}`,
      LIGHTBOX_EDITOR_TOKENS: EDITOR,
      LIGHTBOX_C2PA_TRUST_ANCHORS: fixturePath('real/c2pa/trust/test_cert_root_bundle.pem'),
    });
    ({ app } = api);
  });
  afterAll(async () => {
    await api?.close();
  });

  const push = async (path: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/photos',
      headers: { ...auth(FEED), 'content-type': 'image/jpeg' },
      body: await readFile(fixturePath(path)),
    });
    expect(res.statusCode).toBe(202);
    const detail = await app.inject({
      method: 'GET',
      url: `/v1/photos/${res.json().photoId}`,
      headers: auth(EDITOR),
    });
    return { accepted: res.json(), photo: detail.json() };
  };

  it('a signed photo: its Content Credentials, trusted, with a link to the kept manifest store', async () => {
    const { photo } = await push('real/c2pa/CA.jpg');
    expect(photo.provenance).toMatchObject({
      state: 'valid',
      trusted: true,
      signer: { organisation: 'C2PA Test Signing Cert', commonName: 'C2PA Signer' },
      claimGenerator: 'make_test_images/0.33.1 c2pa-rs/0.33.1',
      actions: ['c2pa.opened', 'c2pa.color_adjustments'],
      ingredients: 1,
      checkedAt: expect.any(String),
      manifestStoreUrl: expect.stringMatching(/\/provenance\/[0-9a-f]{64}\.c2pa$/),
    });
    // The object the URL names (read with the store's credentials: the test S3 has no public prefixes).
    const key = (photo.provenance.manifestStoreUrl as string).match(/provenance\/[0-9a-f]{64}\.c2pa$/)?.[0];
    expect((await api.store.head(key as string))?.contentType).toBe('application/c2pa');
    expect((await api.store.get(key as string)).length).toBe(117241);
    expect(photo).toMatchObject({ digitalSourceType: null, reviewReason: null, sensitive: null });
  });

  it('tampered credentials: held, with the validation codes', async () => {
    const { accepted, photo } = await push('real/c2pa/XCA.jpg');
    expect(accepted.status).toBe('held');
    expect(photo.provenance).toMatchObject({
      state: 'invalid',
      issues: [{ code: 'assertion.dataHash.mismatch', explanation: expect.any(String) }],
    });
    expect(photo.hold).toMatch(/^Content Credentials do not verify \(assertion\.dataHash\.mismatch/);
  });

  it('AI media: labelled and the reason an editor decides', async () => {
    const { photo } = await push('synthetic/dst/ai-fields.jpg');
    expect(photo.digitalSourceType).toEqual({
      value: 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia',
      code: 'trainedAlgorithmicMedia',
      label: 'AI-generated',
      needsReview: true,
    });
    expect(photo.reviewReason).toMatch(/^AI-generated/);
    expect(photo.metadata).toMatchObject({ aiSystemUsed: 'Adobe Firefly', aiSystemVersionUsed: '3.10' });
  });

  it('graphic content and licence expiry', async () => {
    const graphic = await push('synthetic/graphic/instructions-graphic-content.jpg');
    expect(graphic.photo.sensitive).toEqual({
      reason: 'Graphic content flagged in special instructions: "GRAPHIC CONTENT"',
    });
    const expired = await push('synthetic/expiry/iim-date.jpg');
    expect(expired.accepted.status).toBe('expired');
    expect(expired.photo).toMatchObject({
      status: 'expired',
      expiresAt: '2024-09-30T10:00:00.000Z',
      licence: { iim: '2024-09-30' },
      expired: { reason: expect.stringContaining('agency expiry (IIM 2:37/2:38) 2024-09-30') },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { type ReaderManifestStore, summariseManifestStore, summariseReaderError } from '../src/index.js';

const store = (manifest: object, extra: Partial<ReaderManifestStore> = {}): ReaderManifestStore => ({
  active_manifest: 'urn:c2pa:1',
  manifests: { 'urn:c2pa:1': manifest },
  validation_state: 'Valid',
  ...extra,
});

describe('summariseManifestStore', () => {
  it('claim generator from claim_generator_info when the v2 claim has no string', () => {
    expect(
      summariseManifestStore(
        store({ claim_generator_info: [{ name: 'Leica M11-P', version: '2.1' }, { name: 'c2pa-rs' }] }),
      ).claimGenerator,
    ).toBe('Leica M11-P/2.1 c2pa-rs');
  });

  it('actions from every actions assertion (v1, v2, repeated labels), in order, without repeats', () => {
    const result = summariseManifestStore(
      store({
        assertions: [
          {
            label: 'c2pa.actions',
            data: { actions: [{ action: 'c2pa.opened' }, { action: 'c2pa.cropped' }] },
          },
          { label: 'stds.schema-org.CreativeWork', data: {} },
          {
            label: 'c2pa.actions.v2__1',
            data: { actions: [{ action: 'c2pa.cropped' }, { action: 'c2pa.resized' }] },
          },
          { label: 'c2pa.actionsX', data: { actions: [{ action: 'not.an.action' }] } },
        ],
      }),
    );
    expect(result.actions).toEqual(['c2pa.opened', 'c2pa.cropped', 'c2pa.resized']);
  });

  it('the most synthetic digital source type of all actions, as sent', () => {
    const dst = (code: string) => `http://cv.iptc.org/newscodes/digitalsourcetype/${code}`;
    const result = summariseManifestStore(
      store({
        assertions: [
          {
            label: 'c2pa.actions.v2',
            data: {
              actions: [
                { action: 'c2pa.opened', digitalSourceType: dst('digitalCapture') },
                { action: 'c2pa.edited', digitalSourceType: dst('compositeWithTrainedAlgorithmicMedia') },
                { action: 'c2pa.color_adjustments' },
              ],
            },
          },
        ],
      }),
    );
    expect(result.digitalSourceType).toBe(dst('compositeWithTrainedAlgorithmicMedia'));
  });

  it('trusted only when the SDK says Trusted; invalid carries the failures once each', () => {
    expect(summariseManifestStore(store({}, { validation_state: 'Trusted' }))).toMatchObject({
      state: 'valid',
      trusted: true,
    });
    const invalid = summariseManifestStore(
      store(
        {},
        {
          validation_state: 'Invalid',
          validation_results: {
            activeManifest: {
              failure: [
                { code: 'signingCredential.untrusted', explanation: 'signing certificate untrusted' },
                { code: 'assertion.dataHash.mismatch', explanation: 'hashes do not match' },
              ],
            },
            ingredientDeltas: [
              { validationDeltas: { failure: [{ code: 'assertion.hashedURI.mismatch' }] } },
              { validationDeltas: { failure: [{ code: 'assertion.hashedURI.mismatch' }] } },
            ],
          },
        },
      ),
    );
    expect(invalid).toMatchObject({ state: 'invalid', trusted: false });
    expect(invalid.issues).toEqual([
      { code: 'signingCredential.untrusted', explanation: 'signing certificate untrusted' },
      { code: 'assertion.dataHash.mismatch', explanation: 'hashes do not match' },
      { code: 'assertion.hashedURI.mismatch' },
    ]);
  });

  it('falls back to the flat validation_status list', () => {
    const result = summariseManifestStore(
      store({}, { validation_state: 'Invalid', validation_status: [{ code: 'claimSignature.mismatch' }] }),
    );
    expect(result.issues).toEqual([{ code: 'claimSignature.mismatch' }]);
  });

  it('a store without its active manifest is invalid', () => {
    expect(summariseManifestStore({ active_manifest: 'x', manifests: {} })).toEqual({
      state: 'invalid',
      trusted: false,
      actions: [],
      ingredients: 0,
      issues: [{ code: 'claim.missing', explanation: 'the manifest store has no active manifest' }],
    });
  });

  it('signer from the signature info, blanks dropped', () => {
    expect(
      summariseManifestStore(
        store({ signature_info: { issuer: 'Reuters', common_name: ' ', time: '2025-01-01T00:00:00Z' } }),
      ),
    ).toMatchObject({ signer: { organisation: 'Reuters' }, signedAt: '2025-01-01T00:00:00Z' });
    expect(summariseManifestStore(store({ signature_info: {} })).signer).toBeUndefined();
  });
});

describe('summariseReaderError', () => {
  it.each([
    ['C2pa(JumbfNotFound)', { state: 'absent' }],
    ['C2pa(UnsupportedType)', { state: 'absent' }],
    [
      'C2pa(RemoteManifestUrl("https://cai-manifests.adobe.com/manifests/adobe-urn-uuid-5f37e182-3687-462e-a7fb-573462780391"))',
      {
        state: 'absent',
        remoteManifestUrl:
          'https://cai-manifests.adobe.com/manifests/adobe-urn-uuid-5f37e182-3687-462e-a7fb-573462780391',
      },
    ],
    ['C2pa(UnknownAlgorithm)', { state: 'invalid', issues: [{ code: 'algorithm.unsupported' }] }],
    [
      'C2pa(PrereleaseError)',
      { state: 'invalid', issues: [{ code: 'general.error', explanation: 'C2pa(PrereleaseError)' }] },
    ],
  ])('%s', (error, expected) => {
    expect(summariseReaderError(error)).toMatchObject({
      trusted: false,
      actions: [],
      ingredients: 0,
      ...expected,
    });
  });

  it('a JavaScript error (e.g. a WebAssembly trap) is invalid with its message', () => {
    expect(summariseReaderError(new Error('unreachable'))).toMatchObject({
      state: 'invalid',
      issues: [{ code: 'general.error', explanation: 'unreachable' }],
    });
  });
});

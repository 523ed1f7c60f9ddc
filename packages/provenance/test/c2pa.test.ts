import { readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { WasmReader } from '@contentauth/c2pa-wasm';
import { fixturePath } from '@lightbox/test-infra';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  C2paValidator,
  extractManifestStore,
  isC2paManifestStore,
  loadTrustList,
  provablyWithoutManifestStore,
} from '../src/index.js';

const c2pa = (name: string) => readFile(fixturePath(`real/c2pa/${name}`));
const TRUST = fixturePath('real/c2pa/trust/test_cert_root_bundle.pem');
const SIGNER = { organisation: 'C2PA Test Signing Cert', commonName: 'C2PA Signer' };
const CA_LABEL = 'contentauth:urn:uuid:c2677d4b-0a93-4444-876f-ed2f2d40b8cf';

describe('real C2PA files from the C2PA SDK test suite, with its test trust list', async () => {
  const validator = new C2paValidator(await loadTrustList([TRUST]));
  beforeAll(() => validator.ready());

  it('CA.jpg: signed, opened and colour-adjusted, one ingredient → valid and trusted', async () => {
    const { provenance, manifestStore } = await validator.check(await c2pa('CA.jpg'), 'image/jpeg');
    expect(provenance).toEqual({
      state: 'valid',
      trusted: true,
      signer: SIGNER,
      signedAt: '2024-08-06T21:53:37+00:00',
      claimGenerator: 'make_test_images/0.33.1 c2pa-rs/0.33.1',
      actions: ['c2pa.opened', 'c2pa.color_adjustments'],
      ingredients: 1,
      manifestLabel: CA_LABEL,
    });
    expect(manifestStore?.length).toBe(117241);
  });

  it('C.jpg: created as algorithmic media → valid, trusted, with its digital source type', async () => {
    const { provenance } = await validator.check(await c2pa('C.jpg'), 'image/jpeg');
    expect(provenance).toMatchObject({
      state: 'valid',
      trusted: true,
      actions: ['c2pa.created'],
      ingredients: 0,
      digitalSourceType: 'http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia',
    });
    expect(provenance.issues).toBeUndefined();
  });

  it('XCA.jpg: image data changed after signing → invalid, data hash mismatch', async () => {
    const { provenance, manifestStore } = await validator.check(await c2pa('XCA.jpg'), 'image/jpeg');
    expect(provenance).toMatchObject({
      state: 'invalid',
      trusted: false,
      signer: SIGNER,
      manifestLabel: CA_LABEL,
    });
    expect(provenance.issues?.map((i) => i.code)).toEqual(['assertion.dataHash.mismatch']);
    expect(manifestStore).toBeDefined();
  });

  it('E-sig-CA.jpg: broken claim signature → invalid, claim signature mismatch', async () => {
    const { provenance } = await validator.check(await c2pa('E-sig-CA.jpg'), 'image/jpeg');
    expect(provenance).toMatchObject({ state: 'invalid', trusted: false });
    expect(provenance.issues?.map((i) => i.code)).toEqual(['claimSignature.mismatch']);
    expect(provenance.issues?.[0]?.explanation).toBe('claim signature is not valid');
  });

  it('no_alg.jpg: a signature without an algorithm → invalid, algorithm unsupported', async () => {
    const { provenance, manifestStore } = await validator.check(await c2pa('no_alg.jpg'), 'image/jpeg');
    expect(provenance).toEqual({
      state: 'invalid',
      trusted: false,
      actions: [],
      ingredients: 0,
      issues: [{ code: 'algorithm.unsupported', explanation: 'C2pa(UnknownAlgorithm)' }],
    });
    expect(manifestStore?.length).toBe(7705);
  });

  it('ocsp.jpg: Photoshop generative fill signed by Adobe → valid, not trusted here, AI-edited', async () => {
    const { provenance } = await validator.check(await c2pa('ocsp.jpg'), 'image/jpeg');
    expect(provenance).toMatchObject({
      state: 'valid',
      trusted: false,
      signer: { organisation: 'Adobe Inc.', commonName: 'Adobe C2PA' },
      claimGenerator: 'Adobe_Photoshop/26.9.0 adobe_c2pa/0.14.2 c2pa-rs/0.43.0',
      actions: ['c2pa.opened', 'c2pa.cropped', 'c2pa.edited'],
      ingredients: 1,
      digitalSourceType:
        'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia',
    });
  });

  it('no_manifest.jpg: a plain JPEG → absent, nothing kept', async () => {
    const bytes = await c2pa('no_manifest.jpg');
    expect(provablyWithoutManifestStore(bytes)).toBe(true);
    expect(await validator.check(bytes, 'image/jpeg')).toEqual({
      provenance: { state: 'absent', trusted: false, actions: [], ingredients: 0 },
    });
  });
});

describe('trust', () => {
  it('without a trust list a good signature is valid but never trusted', async () => {
    const { provenance } = await new C2paValidator().check(await c2pa('CA.jpg'), 'image/jpeg');
    expect(provenance).toMatchObject({ state: 'valid', trusted: false });
  });

  it('a trust list of unrelated certificates trusts nobody', async () => {
    const trust = await loadTrustList([fixturePath('real/c2pa/trust/unrelated-root.pem')]);
    const { provenance } = await new C2paValidator(trust).check(await c2pa('CA.jpg'), 'image/jpeg');
    expect(provenance).toMatchObject({ state: 'valid', trusted: false });
  });

  it('an intermediate CA is enough as a trust anchor', async () => {
    const trust = await loadTrustList([fixturePath('real/c2pa/trust/ps256-signer-chain.pem')]);
    expect(trust.anchors.map((a) => a.subject)).toEqual([
      'C=US, ST=CA, L=Somewhere, O=C2PA Test Signing Cert, OU=FOR TESTING_ONLY, CN=C2PA Signer',
      'C=US, ST=CA, L=Somewhere, O=C2PA Test Intermediate Root CA, OU=FOR TESTING_ONLY, CN=Intermediate CA',
    ]);
    const { provenance } = await new C2paValidator(trust).check(await c2pa('CA.jpg'), 'image/jpeg');
    expect(provenance).toMatchObject({ state: 'valid', trusted: true });
  });

  it('a bad signature is never trusted, whatever the list', async () => {
    const trust = await loadTrustList([TRUST]);
    const { provenance } = await new C2paValidator(trust).check(await c2pa('E-sig-CA.jpg'), 'image/jpeg');
    expect(provenance.trusted).toBe(false);
  });
});

describe('manifest store bytes', () => {
  it('CA.jpg: the store spans several APP11 segments and reassembles to a readable application/c2pa stream', async () => {
    const jpeg = await c2pa('CA.jpg');
    const app11Segments = [
      ...jpeg
        .subarray(0, 200_000)
        .toString('latin1')
        .matchAll(/\xff\xeb[\s\S]{2}JP/g),
    ].length;
    expect(app11Segments).toBeGreaterThan(1);
    const store = extractManifestStore(jpeg) as Buffer;
    expect(store.toString('latin1', 4, 8)).toBe('jumb');
    expect(store.readUInt32BE(0)).toBe(store.length);
    expect(isC2paManifestStore(store)).toBe(true);

    // The stand-alone store is what the SDK reads as a .c2pa sidecar: same manifest, signature good.
    await new C2paValidator().ready();
    const reader = await WasmReader.fromBytes(
      'application/c2pa',
      store,
      JSON.stringify({ verify: { remote_manifest_fetch: false, ocsp_fetch: false } }),
    );
    try {
      expect(reader.activeLabel()).toBe(CA_LABEL);
      const success = (
        reader.manifestStore() as { validation_results: { activeManifest: { success: { code: string }[] } } }
      ).validation_results.activeManifest.success.map((s) => s.code);
      expect(success).toContain('claimSignature.validated');
    } finally {
      reader.free();
    }
  });

  it('a broken image without any JUMBF is absent, not a credentials failure (found by a hostile test)', async () => {
    const png = pngWithChunk('tEXt', Buffer.from('Comment\0hello'));
    // Cut inside a chunk, IEND appended again: the chunk walk breaks.
    const iend = png.subarray(png.length - 12);
    const cut = Buffer.concat([png.subarray(0, png.length - 20), iend]);
    expect(provablyWithoutManifestStore(cut)).toBe(true);
    expect((await new C2paValidator().check(cut, 'image/png')).provenance.state).toBe('absent');
    const jpeg = await c2pa('no_manifest.jpg');
    const brokenJpeg = Buffer.concat([
      jpeg.subarray(0, 4),
      Buffer.from([0xff, 0xe1, 0xff, 0xff]),
      jpeg.subarray(4, 200),
    ]);
    expect(provablyWithoutManifestStore(brokenJpeg)).toBe(true);
    // With a manifest store somewhere, a broken walk still goes to the SDK.
    const store = extractManifestStore(await c2pa('CA.jpg')) as Buffer;
    expect(provablyWithoutManifestStore(Buffer.concat([brokenJpeg, store]))).toBe(false);
  });

  it('PNG: the caBX chunk is found; its binding to other pixels fails', async () => {
    const store = extractManifestStore(await c2pa('CA.jpg')) as Buffer;
    const png = pngWithChunk('caBX', store);
    expect(extractManifestStore(png)?.equals(store)).toBe(true);
    expect(provablyWithoutManifestStore(png)).toBe(false);
    expect(provablyWithoutManifestStore(pngWithChunk('tEXt', Buffer.from('Comment\0hello')))).toBe(true);
    const { provenance, manifestStore } = await new C2paValidator().check(png, 'image/png');
    expect(provenance.state).toBe('invalid');
    expect(manifestStore?.equals(store)).toBe(true);
  });

  it('JUMBF that is not C2PA (JPEG XT) is no manifest store, but the SDK is asked anyway → absent', async () => {
    expect(extractManifestStore(OTHER_JUMBF_JPEG)).toBeUndefined();
    expect(provablyWithoutManifestStore(OTHER_JUMBF_JPEG)).toBe(false);
    expect((await new C2paValidator().check(OTHER_JUMBF_JPEG, 'image/jpeg')).provenance.state).toBe('absent');
  });
});

describe('broken and odd input never throws', () => {
  const validator = new C2paValidator();

  it('a JPEG cut inside its manifest store → invalid (the SDK cannot read it), not absent', async () => {
    const cut = (await c2pa('CA.jpg')).subarray(0, 30_000);
    expect(provablyWithoutManifestStore(cut)).toBe(false);
    expect(extractManifestStore(cut)).toBeUndefined();
    const { provenance } = await validator.check(cut, 'image/jpeg');
    expect(provenance).toMatchObject({ state: 'invalid', issues: [{ code: 'general.error' }] });
  });

  it.each([
    ['WebP without credentials', 'image/webp', Buffer.from('RIFF\x20\0\0\0WEBPVP8 nothing here', 'latin1')],
    ['HEIC noise', 'image/heic', Buffer.alloc(100)],
    ['empty', 'image/jpeg', Buffer.alloc(0)],
  ])('%s → absent', async (_name, type, bytes) => {
    expect((await validator.check(bytes, type)).provenance.state).toBe('absent');
  });

  it('TIFF noise → invalid with the reason', async () => {
    const { provenance } = await validator.check(Buffer.alloc(100), 'image/tiff');
    expect(provenance).toMatchObject({ state: 'invalid', issues: [{ code: 'general.error' }] });
  });

  it('several checks at once give the same answers as one by one', async () => {
    const trust = await loadTrustList([TRUST]);
    const v = new C2paValidator(trust);
    const names = ['CA.jpg', 'XCA.jpg', 'E-sig-CA.jpg', 'C.jpg', 'no_manifest.jpg', 'ocsp.jpg'];
    const files = await Promise.all(names.map(c2pa));
    const one = [];
    for (const f of files) one.push((await v.check(f, 'image/jpeg')).provenance);
    const all = (await Promise.all(files.map((f) => v.check(f, 'image/jpeg')))).map((r) => r.provenance);
    expect(all).toEqual(one);
  });
});

describe('no network, ever', () => {
  afterEach(() => vi.restoreAllMocks());

  it('remote manifests and OCSP are never fetched', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const validator = new C2paValidator(await loadTrustList([TRUST]));
    for (const name of ['CA.jpg', 'ocsp.jpg', 'XCA.jpg', 'E-sig-CA.jpg', 'C.jpg'])
      await validator.check(await c2pa(name), 'image/jpeg');
    const remote = withXmp(await c2pa('no_manifest.jpg'), REMOTE_XMP);
    expect((await validator.check(remote, 'image/jpeg')).provenance).toEqual({
      state: 'absent',
      trusted: false,
      actions: [],
      ingredients: 0,
      remoteManifestUrl: 'https://manifests.example.com/urn-uuid-1234',
    });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

const REMOTE_XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description rdf:about="" xmlns:dcterms="http://purl.org/dc/terms/" dcterms:provenance="https://manifests.example.com/urn-uuid-1234"/>' +
  '</rdf:RDF></x:xmpmeta>';

/** A JPEG with an APP1 XMP packet inserted after SOI. */
function withXmp(jpeg: Buffer, xmp: string): Buffer {
  const body = Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(xmp)]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, body, jpeg.subarray(2)]);
}

/** A 1×1 PNG with one extra chunk before IDAT. */
function pngWithChunk(type: string, data: Buffer): Buffer {
  const chunk = (t: string, d: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(d.length, 0);
    head.write(t, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), d])), 0);
    return Buffer.concat([head, d, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  const idat = Buffer.from('789c63600000000200015d0bf3b4', 'hex');
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk(type, data),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A tiny JPEG carrying an APP11 JUMBF box that is not a C2PA store (JPEG XT style). */
const OTHER_JUMBF_JPEG = (() => {
  const box = Buffer.alloc(40);
  box.writeUInt32BE(40, 0);
  box.write('jumb', 4, 'latin1');
  box.writeUInt32BE(32, 8);
  box.write('jumd', 12, 'latin1');
  const payload = Buffer.concat([Buffer.from('JP', 'latin1'), Buffer.from([0, 1, 0, 0, 0, 1]), box]);
  const app11 = Buffer.concat([Buffer.from([0xff, 0xeb, 0, 0]), payload]);
  app11.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app11, Buffer.from([0xff, 0xda, 0, 2, 0xff, 0xd9])]);
})();

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturePath, tempDir } from '@lightbox/test-infra';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTrustList, parsePemCertificates, TrustListError, trustListFromPem } from '../src/index.js';

describe('trust lists from PEM files', async () => {
  const dir = await tempDir('lb-trust-');
  afterAll(() => dir.remove());

  it('reads every certificate of every file', async () => {
    const list = await loadTrustList([
      fixturePath('real/c2pa/trust/test_cert_root_bundle.pem'),
      fixturePath('real/c2pa/trust/unrelated-root.pem'),
    ]);
    expect(list.anchors).toHaveLength(9);
    expect(list.anchors.at(-1)?.subject).toBe('O=Lightbox Tests, CN=Unrelated Root');
    expect(list.anchorsPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(9);
    expect(list.anchors[0]?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('an empty list trusts nobody', async () => {
    expect(await loadTrustList([])).toEqual({ anchorsPem: '', anchors: [] });
  });

  it('a file without certificates is an error naming the file', async () => {
    const path = join(dir.path, 'key.pem');
    await writeFile(path, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    await expect(loadTrustList([path])).rejects.toThrow(
      new TrustListError(`${path}: no PEM certificate (BEGIN CERTIFICATE) found`),
    );
  });

  it('a missing file is an error naming the file', async () => {
    const path = join(dir.path, 'missing.pem');
    await expect(loadTrustList([path])).rejects.toThrow(TrustListError);
    await expect(loadTrustList([path])).rejects.toThrow(path);
  });

  it('a damaged certificate is an error naming file and position', () => {
    const bad = '-----BEGIN CERTIFICATE-----\nMIIBnotacertificate\n-----END CERTIFICATE-----\n';
    expect(() => parsePemCertificates(bad, 'anchors.pem')).toThrow(
      /^anchors\.pem: certificate 1 is not readable/,
    );
    expect(() => trustListFromPem([{ source: 'x.pem', pem: 'hello' }])).toThrow(TrustListError);
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenditionSpec } from '@lightbox/contracts';
import { readPhotoMetadata, rightsFromMetadata } from '@lightbox/metadata';
import { fixturePath, tempDir } from '@lightbox/test-infra';
import { exiftool } from 'exiftool-vendored';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPhoto } from '../src/index.js';

const specs: RenditionSpec[] = [
  { name: 'large', longEdge: 64, format: 'jpeg', quality: 80, watermark: false },
  { name: 'webp', longEdge: 32, format: 'webp', quality: 75, watermark: false },
  { name: 'avif', longEdge: 32, format: 'avif', quality: 50, watermark: false },
];
const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

/**
 * Rights that travel: every rights field of an agency original (tests/fixtures/synthetic/rights/all.jpg,
 * written with ExifTool) is in the XMP of every rendition, and in IIM where IIM has a dataset.
 * ExifTool is the downstream reader; `-n` shows PLUS values as written (URIs), not as display text.
 */
describe('rights in every rendition, read back by ExifTool', async () => {
  const dir = await tempDir('lb-rights-');
  afterAll(async () => {
    await exiftool.end();
    await dir.remove();
  });
  const original = await readFile(fixturePath('synthetic/rights/all.jpg'));
  const { metadata } = await readPhotoMetadata(original);
  const { renditions } = await renderPhoto(original, {
    renditions: specs,
    rights: rightsFromMetadata(metadata),
    maxInputPixels: 1e8,
  });
  const tagsOf = async (name: string) => {
    const r = renditions.find((x) => x.name === name);
    const path = join(dir.path, `${name}.${r?.format}`);
    await writeFile(path, r?.data as Buffer);
    return (await exiftool.read(path, { readArgs: ['-G1', '-n', '-struct'] })) as unknown as Record<
      string,
      unknown
    >;
  };

  it.each(specs.map((s) => [s.name, s.format] as const))(
    '%s (%s): XMP carries every rights field',
    async (name) => {
      const t = await tagsOf(name);
      expect(t).toMatchObject({
        'XMP-plus:DataMining': 'DMI-PROHIBITED',
        'XMP-plus:CopyrightOwner': [{ CopyrightOwnerName: 'Europa Press' }],
        'XMP-plus:Licensor': [{ LicensorURL: 'https://www.picture-alliance.com/licensing' }],
        'XMP-plus:ModelReleaseStatus': 'MR-NAP',
        'XMP-plus:PropertyReleaseStatus': 'PR-NON',
        'XMP-xmpRights:WebStatement': 'https://www.picture-alliance.com/terms',
        'XMP-xmpRights:UsageTerms': 'Editorial use only',
        'XMP-dc:Rights': '© Europa Press',
        'XMP-iptcExt:DigitalSourceType': `${DST}digitalCapture`,
      });
    },
  );

  it('JPEG: IIM carries the copyright and the expiry (2:37/2:38); IIM and XMP stay in sync', async () => {
    const t = await tagsOf('large');
    expect(t).toMatchObject({
      'IPTC:CopyrightNotice': '© Europa Press',
      'IPTC:ExpirationDate': { rawValue: '2024:09:30' },
      'IPTC:ExpirationTime': { rawValue: '18:00:00+02:00' },
    });
    expect(t['Photoshop:IPTCDigest']).toBe(t['File:CurrentIPTCDigest']);
  });

  it("Lightbox's own reader gets the same rights back from a rendition", async () => {
    const back = (await readPhotoMetadata(renditions[0]?.data as Buffer)).metadata;
    const fields = [
      'dataMining',
      'copyrightOwners',
      'licensorUrl',
      'webStatement',
      'usageTerms',
      'modelReleaseStatus',
      'propertyReleaseStatus',
      'digitalSourceType',
      'expirationDate',
      'copyright',
    ] as const;
    for (const f of fields) expect(back[f], f).toEqual(metadata[f]);
  });

  it('an AI-generated picture stays marked downstream; the C2PA statement can override the file’s', async () => {
    const ai = await readFile(fixturePath('synthetic/dst/trainedAlgorithmicMedia.jpg'));
    const m = (await readPhotoMetadata(ai)).metadata;
    const out = await renderPhoto(ai, {
      renditions: [specs[0] as RenditionSpec],
      rights: rightsFromMetadata(m),
      maxInputPixels: 1e8,
    });
    expect((await readPhotoMetadata(out.renditions[0]?.data as Buffer)).metadata.digitalSourceType).toBe(
      `${DST}trainedAlgorithmicMedia`,
    );
    const plain = await readFile(fixturePath('synthetic/dst/digitalCapture.jpg'));
    const rights = rightsFromMetadata((await readPhotoMetadata(plain)).metadata, {
      digitalSourceType: `${DST}compositeWithTrainedAlgorithmicMedia`,
    });
    expect(rights.digitalSourceType).toBe(`${DST}compositeWithTrainedAlgorithmicMedia`);
  });

  it('a photo without rights fields gets none invented', async () => {
    const plain = await readFile(fixturePath('synthetic/expiry/feed-rule.jpg'));
    const out = await renderPhoto(plain, {
      renditions: [specs[0] as RenditionSpec],
      rights: rightsFromMetadata((await readPhotoMetadata(plain)).metadata),
      maxInputPixels: 1e8,
    });
    const path = join(dir.path, 'plain.jpg');
    await writeFile(path, out.renditions[0]?.data as Buffer);
    const t = (await exiftool.read(path, { readArgs: ['-G1', '-n'] })) as unknown as Record<string, unknown>;
    const keys = Object.keys(t).filter((k) => /^XMP-(plus|iptcExt)|WebStatement|IPTC:Expiration/.test(k));
    expect(keys).toEqual([]);
  });
});

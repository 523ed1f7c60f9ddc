import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenditionSpec } from '@lightbox/contracts';
import { readEmbeddedMetadata, readPhotoMetadata, rightsFromMetadata } from '@lightbox/metadata';
import { tempDir } from '@lightbox/test-infra';
import { exiftool } from 'exiftool-vendored';
import { afterAll, describe, expect, it } from 'vitest';
import { renderPhoto } from '../src/index.js';
import { photoLike } from './helpers.js';

const specs: RenditionSpec[] = [
  { name: 'large', longEdge: 640, format: 'jpeg', quality: 85, watermark: false },
  { name: 'webp', longEdge: 320, format: 'webp', quality: 75, watermark: false },
];
const caption =
  'Tom Cruise – “Maverick” & <friends> – is lowered on the State de France during the 2024 Summer Olympics closing ceremony, Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/Natacha Pisarenko)';

describe('metadata hygiene on renditions', async () => {
  const dir = await tempDir();
  afterAll(async () => {
    await exiftool.end();
    await dir.remove();
  });

  // An agency-style original with rights, plus GPS and camera serials that must not leak.
  const original = join(dir.path, 'original.jpg');
  await writeFile(original, await photoLike(1200, 800));
  await exiftool.write(
    original,
    {
      'IPTC:CodedCharacterSet': 'UTF8',
      'IPTC:Caption-Abstract': caption,
      'IPTC:By-line': 'Natacha Pisarenko',
      'IPTC:Credit': 'AP',
      'IPTC:Source': 'AP',
      'IPTC:CopyrightNotice': 'Copyright 2024 The Associated Press. All rights reserved.',
      'IPTC:SpecialInstructions': 'MANDATORY CREDIT',
      'XMP-dc:Description': caption,
      'XMP-dc:Creator': ['Natacha Pisarenko'],
      'XMP-photoshop:Credit': 'AP',
      'EXIF:GPSLatitude': 48.924,
      'EXIF:GPSLatitudeRef': 'N',
      'EXIF:GPSLongitude': 2.36,
      'EXIF:GPSLongitudeRef': 'E',
      'EXIF:SerialNumber': '032021001234',
      'EXIF:LensSerialNumber': '0000c1234',
      'EXIF:Make': 'Canon',
    } as never,
    { writeArgs: ['-overwrite_original'] },
  );
  const bytes = await readFile(original);
  const { metadata } = await readPhotoMetadata(bytes);
  const { renditions } = await renderPhoto(bytes, {
    renditions: specs,
    rights: rightsFromMetadata(metadata),
    maxInputPixels: 1e8,
  });

  it('strips GPS and serial numbers (read back by ExifTool)', async () => {
    for (const r of renditions) {
      const path = join(dir.path, `${r.name}.${r.format}`);
      await writeFile(path, r.data);
      const tags = (await exiftool.read(path)) as unknown as Record<string, unknown>;
      expect(tags.GPSLatitude).toBeUndefined();
      expect(tags.GPSPosition).toBeUndefined();
      expect(tags.SerialNumber).toBeUndefined();
      expect(tags.LensSerialNumber).toBeUndefined();
      expect(tags.Make).toBeUndefined();
    }
  });

  it('keeps creator, credit, copyright and caption in IIM and XMP of JPEGs (ExifTool reads them)', async () => {
    const path = join(dir.path, 'large.jpeg');
    await writeFile(path, renditions[0]?.data as Buffer);
    const tags = (await exiftool.read(path, { readArgs: ['-G1', '-a'] })) as unknown as Record<
      string,
      unknown
    >;
    expect(tags['IPTC:By-line'] ?? tags['By-line']).toBe('Natacha Pisarenko');
    const t = (await exiftool.read(path)) as unknown as Record<string, unknown>;
    expect(t['By-line']).toBe('Natacha Pisarenko');
    expect(t.Credit).toBe('AP');
    expect(t.CopyrightNotice).toBe('Copyright 2024 The Associated Press. All rights reserved.');
    expect(t['Caption-Abstract']).toBe(caption);
    expect(t.Description).toBe(caption);
    expect(t.Creator).toEqual(['Natacha Pisarenko']);
    expect(t.Rights).toBe('Copyright 2024 The Associated Press. All rights reserved.');
    expect(t.CurrentIPTCDigest).toBe(t.IPTCDigest);
  });

  it("Lightbox's own reader gets the same record back, with IIM and XMP in sync", async () => {
    const embedded = await readEmbeddedMetadata(renditions[0]?.data as Buffer);
    expect(embedded.iimDigest).toBe('match');
    expect(embedded.iimCharset).toEqual({ charset: 'utf-8', how: 'declared' });
    const back = (await readPhotoMetadata(renditions[0]?.data as Buffer)).metadata;
    expect(back).toMatchObject({
      caption,
      byline: 'Natacha Pisarenko',
      credit: 'AP',
      source: 'AP',
      copyright: 'Copyright 2024 The Associated Press. All rights reserved.',
      specialInstructions: 'MANDATORY CREDIT',
      creditLine: 'AP Photo/Natacha Pisarenko',
    });
  });

  it('keeps the rights in WebP through XMP (WebP has no IIM)', async () => {
    const path = join(dir.path, 'rights.webp');
    await writeFile(path, renditions[1]?.data as Buffer);
    const t = (await exiftool.read(path)) as unknown as Record<string, unknown>;
    expect(t).toMatchObject({
      Description: caption,
      Creator: ['Natacha Pisarenko'],
      Credit: 'AP',
      Rights: 'Copyright 2024 The Associated Press. All rights reserved.',
    });
  });

  it('cuts over-long IIM values at a character boundary while XMP keeps them whole', async () => {
    const long = `${'Zoë '.repeat(600)}end`;
    const { renditions: out } = await renderPhoto(await photoLike(300, 200), {
      renditions: [specs[0] as RenditionSpec],
      rights: { caption: long },
      maxInputPixels: 1e8,
    });
    const embedded = await readEmbeddedMetadata(out[0]?.data as Buffer);
    const iimCaption = embedded.iim.Caption as string;
    expect(Buffer.byteLength(iimCaption, 'utf8')).toBeLessThanOrEqual(2000);
    expect(iimCaption.endsWith('\uFFFD')).toBe(false);
    expect((await readPhotoMetadata(out[0]?.data as Buffer)).metadata.caption).toBe(long);
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhotoMetadata } from '@lightbox/contracts';
import { fixturePath, tempDir } from '@lightbox/test-infra';
import { exiftool, type WriteTags } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { readEmbeddedMetadata, readPhotoMetadata } from '../src/index.js';
import expected from './expected-records.json' with { type: 'json' };

/**
 * Exact normalised records. Real files: every JPEG in tests/fixtures/real (copied from ../shared);
 * their expected records are reviewed by hand in expected-records.json. Synthetic files: written
 * with ExifTool here, one per case the wire throws at us.
 */
describe('every real fixture gives its exact record', () => {
  it.each(Object.entries(expected as Record<string, PhotoMetadata>))('%s', async (rel, record) => {
    const { metadata } = await readPhotoMetadata(await readFile(fixturePath(rel)));
    expect(metadata).toEqual(record);
  });
});

describe('synthetic files written with ExifTool', async () => {
  const dir = await tempDir('lb-meta-');
  afterAll(async () => {
    await exiftool.end();
    await dir.remove();
  });
  const blank = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#777' } })
    .jpeg()
    .toBuffer();
  let n = 0;
  const write = async (tags: WriteTags, args: string[] = []) => {
    const path = join(dir.path, `case-${n++}.jpg`);
    await writeFile(path, blank);
    await exiftool.write(path, tags, { writeArgs: ['-overwrite_original', ...args] });
    return readFile(path);
  };

  it('IIM only', async () => {
    const bytes = await write({
      'IPTC:CodedCharacterSet': 'UTF8',
      'IPTC:Caption-Abstract':
        'Philadelphia Eagles quarterback Jalen Hurts celebrates after Super Bowl LIX. (AP Photo/Ashley Landis)',
      'IPTC:By-line': 'Ashley Landis',
      'IPTC:Credit': 'AP',
      'IPTC:Source': 'AP',
      'IPTC:City': 'NEW ORLEANS',
      'IPTC:Province-State': 'LA',
      'IPTC:Country-PrimaryLocationName': 'United States',
      'IPTC:Country-PrimaryLocationCode': 'USA',
      'IPTC:DateCreated': '2025:02:09',
      'IPTC:TimeCreated': '21:10:05-06:00',
      'IPTC:ObjectName': 'Super Bowl Football',
      'IPTC:Keywords': ['Super Bowl', 'NFL'],
      'IPTC:SpecialInstructions': 'MANDATORY CREDIT',
      'IPTC:OriginalTransmissionReference': 'NVA123',
      'IPTC:Urgency': 2,
    } as WriteTags);
    const { metadata } = await readPhotoMetadata(bytes);
    expect(metadata).toEqual({
      caption:
        'Philadelphia Eagles quarterback Jalen Hurts celebrates after Super Bowl LIX. (AP Photo/Ashley Landis)',
      byline: 'Ashley Landis',
      credit: 'AP',
      source: 'AP',
      city: 'New Orleans',
      provinceState: 'LA',
      country: 'United States',
      countryCode: 'USA',
      dateCreated: '2025-02-09T21:10:05-06:00',
      dateZone: 'explicit',
      objectName: 'Super Bowl Football',
      keywords: ['Super Bowl', 'NFL'],
      specialInstructions: 'MANDATORY CREDIT',
      transmissionReference: 'NVA123',
      urgency: 2,
      creditLine: 'AP Photo/Ashley Landis',
      parsedCredit: { raw: 'AP Photo/Ashley Landis', agency: 'AP', photographer: 'Ashley Landis' },
      agency: 'AP',
    });
  });

  it('XMP only, with the IPTC Extension event', async () => {
    const bytes = await write({
      'XMP-dc:Description': 'Fans cheer before the match. Photo: Jan Woitas/dpa',
      'XMP-dc:Creator': ['Jan Woitas'],
      'XMP-photoshop:Credit': 'dpa',
      'XMP-photoshop:DateCreated': '2024:07:14 20:55:00+02:00',
      'XMP-photoshop:City': 'Berlin',
      'XMP-photoshop:Country': 'Germany',
      'XMP-iptcCore:CountryCode': 'DE',
      'XMP-iptcExt:Event': 'UEFA Euro 2024 final',
      'XMP-dc:Subject': ['Soccer', 'Euro 2024'],
    } as WriteTags);
    const { metadata } = await readPhotoMetadata(bytes);
    expect(metadata).toEqual({
      caption: 'Fans cheer before the match. Photo: Jan Woitas/dpa',
      byline: 'Jan Woitas',
      credit: 'dpa',
      dateCreated: '2024-07-14T20:55:00+02:00',
      dateZone: 'explicit',
      city: 'Berlin',
      country: 'Germany',
      countryCode: 'DE',
      event: 'UEFA Euro 2024 final',
      keywords: ['Soccer', 'Euro 2024'],
      creditLine: 'Photo: Jan Woitas/dpa',
      parsedCredit: { raw: 'Photo: Jan Woitas/dpa', agency: 'dpa', photographer: 'Jan Woitas' },
      agency: 'dpa',
    });
  });

  const disagreeing: WriteTags = {
    'IPTC:CodedCharacterSet': 'UTF8',
    'IPTC:Headline': 'OLD HEADLINE FROM IIM',
    'IPTC:City': 'PARIS',
    'XMP-photoshop:Headline': 'Headline from XMP',
    'XMP-photoshop:City': 'Saint-Denis',
  } as WriteTags;

  it('both, disagreeing, IPTC digest in sync: XMP wins (MWG)', async () => {
    const bytes = await write({ ...disagreeing, 'Photoshop:IPTCDigest': 'new' } as WriteTags);
    expect((await readEmbeddedMetadata(bytes)).iimDigest).toBe('match');
    expect((await readPhotoMetadata(bytes)).metadata).toMatchObject({
      headline: 'Headline from XMP',
      city: 'Saint-Denis',
    });
  });

  it('both, disagreeing, IIM edited after the digest: IIM wins (MWG)', async () => {
    const synced = await write({ ...disagreeing, 'Photoshop:IPTCDigest': 'new' } as WriteTags);
    const path = join(dir.path, 'edited.jpg');
    await writeFile(path, synced);
    // An old tool edits IIM only and leaves the digest behind.
    await exiftool.write(path, { 'IPTC:Headline': 'EDITED IN IIM' } as WriteTags, {
      writeArgs: ['-overwrite_original', '-Photoshop:IPTCDigest<Photoshop:IPTCDigest'],
    });
    const bytes = await readFile(path);
    expect((await readEmbeddedMetadata(bytes)).iimDigest).toBe('mismatch');
    expect((await readPhotoMetadata(bytes)).metadata).toMatchObject({
      headline: 'EDITED IN IIM',
      city: 'Paris',
    });
  });

  it('Latin-1 IIM without a declared character set', async () => {
    const bytes = await write(
      {
        'IPTC:Caption-Abstract': 'Zoë Müller à Saint-Étienne, São Paulo, 1º',
        'IPTC:By-line': 'François Mori',
        'IPTC:City': 'SAINT-ÉTIENNE',
      } as WriteTags,
      ['-charset', 'iptc=Latin'],
    );
    const embedded = await readEmbeddedMetadata(bytes);
    expect(embedded.iimCharset).toEqual({ charset: 'windows-1252', how: 'default' });
    expect((await readPhotoMetadata(bytes)).metadata).toMatchObject({
      caption: 'Zoë Müller à Saint-Étienne, São Paulo, 1º',
      byline: 'François Mori',
      city: 'Saint-Étienne',
    });
  });

  it('no date at all: no dateCreated, no zone, nothing guessed', async () => {
    const bytes = await write({
      'IPTC:Caption-Abstract': 'A photo with no date',
      'IPTC:Credit': 'Handout',
    } as WriteTags);
    const { metadata } = await readPhotoMetadata(bytes);
    expect(metadata.dateCreated).toBeUndefined();
    expect(metadata.dateZone).toBeUndefined();
  });

  it.each([
    ['+13:45', '2024:08:12 09:15:00', '2024-08-12T09:15:00+13:45'],
    ['-09:30', '2024:08:11 11:15:00', '2024-08-11T11:15:00-09:30'],
  ])('a time zone far from UTC (%s) keeps its own offset', async (offset, local, iso) => {
    const [date, time] = local.split(' ') as [string, string];
    const bytes = await write({
      'IPTC:DateCreated': date,
      'IPTC:TimeCreated': `${time}${offset}`,
    } as WriteTags);
    expect((await readPhotoMetadata(bytes)).metadata).toMatchObject({
      dateCreated: iso,
      dateZone: 'explicit',
    });
  });

  it('EXIF only, with OffsetTimeOriginal', async () => {
    const bytes = await write({
      'EXIF:DateTimeOriginal': '2024:08:11 23:59:58',
      'EXIF:OffsetTimeOriginal': '+02:00',
    } as WriteTags);
    expect((await readPhotoMetadata(bytes)).metadata).toMatchObject({
      dateCreated: '2024-08-11T23:59:58+02:00',
      dateZone: 'explicit',
    });
  });

  it('IIM Edit Status and Release Date/Time (embargo)', async () => {
    const bytes = await write({
      'IPTC:EditStatus': 'CORRECTION',
      'IPTC:ReleaseDate': '2024:08:12',
      'IPTC:ReleaseTime': '00:01:00+00:00',
    } as WriteTags);
    expect((await readPhotoMetadata(bytes)).metadata).toMatchObject({
      editStatus: 'CORRECTION',
      releaseDate: '2024-08-12T00:01:00+00:00',
    });
  });
});

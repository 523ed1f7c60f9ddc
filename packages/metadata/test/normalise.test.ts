import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { cleanText, placeName, readEmbeddedMetadata, readPhotoMetadata, reconcile } from '../src/index.js';
import { iimBlock, jpegWithIim, xmpPacket } from './iim-fixture.js';

const read = async (rel: string) => readPhotoMetadata(await readFile(fixturePath(rel)));

describe('real wire photos', () => {
  it('AP 2003: caption credit, upper-case place names, "000000" time read as date only', async () => {
    const { metadata, warnings } = await read('real/wire/ap-bush-waco-2003.jpg');
    expect(warnings).toEqual([]);
    expect(metadata).toMatchObject({
      headline: 'BUSH',
      credit: 'AP',
      creditLine: 'AP Photo/Duane A. Laverty',
      byline: 'DUANE A. LAVERTY',
      bylineTitle: 'STR',
      source: 'AP',
      dateCreated: '2003-08-30',
      dateZone: 'unknown',
      city: 'Waco',
      provinceState: 'TX',
      country: 'USA',
      objectName: 'BUSH',
      category: 'A',
      transmissionReference: 'TXDL102',
      agency: 'AP',
      parsedCredit: { raw: 'AP Photo/Duane A. Laverty', agency: 'AP', photographer: 'Duane A. Laverty' },
    });
    expect(metadata.caption).toMatch(
      /^President Bush, along with first lady.*\(AP Photo\/Duane A\. Laverty\)$/,
    );
  });

  it('Reuters 2020: envelope record, upper-case city, File Photo credit, UTC time', async () => {
    const { metadata } = await read('real/wire/reuters-neuss-2020.jpg');
    expect(metadata).toMatchObject({
      credit: 'REUTERS',
      creditLine: 'REUTERS/Wolfgang Rattay/File Photo',
      byline: 'Wolfgang Rattay',
      source: 'X00227',
      dateCreated: '2020-07-23T11:32:20+00:00',
      dateZone: 'explicit',
      city: 'Neuss',
      country: 'Germany',
      countryCode: 'DEU',
      objectName: 'THYSSENKRUPP-RESTRUCTURING/STEEL',
      specialInstructions: 'NARCH/NARCH30',
      urgency: 4,
      agency: 'Reuters',
      parsedCredit: { agency: 'Reuters', photographer: 'Wolfgang Rattay' },
    });
  });

  it('IPTC reference photo: XMP-only fields, usage terms, location from XMP', async () => {
    const { metadata } = await read('real/iptc/iptc-agency-photographer-example.jpg');
    expect(metadata).toMatchObject({
      headline: 'Lincoln Memorial',
      credit: 'Mugwum Press',
      byline: 'Julie Doe',
      city: 'Washington',
      sublocation: 'Lincoln Memorial',
      provinceState: 'District of Columbia',
      countryCode: 'US',
      specialInstructions: 'Newsmagazines Out',
      transmissionReference: 'Honest Abe',
    });
    expect(metadata.usageTerms).toMatch(/^Image to be used One-time only/);
    expect(metadata.keywords).toContain('Lincoln Memorial');
  });

  it('messy camera IIM: offset in TimeCreated', async () => {
    const { metadata } = await read('real/iptc/iptc-mess.jpg');
    expect(metadata).toMatchObject({
      dateCreated: '2021-06-27T18:23:07+02:00',
      dateZone: 'explicit',
      byline: 'MARCO VILLANTI',
    });
  });

  it('Adobe RGB art photo: XML entities decoded', async () => {
    const { metadata } = await read('real/iptc/BonTonARTSTORplusIPTC.jpg');
    expect(metadata.credit).toBe(
      'Allan Kohl; Minneapolis College of Art & Design Visual Resource Collection',
    );
    expect(metadata.caption).toContain('May 1914\nJeanne Lanvin');
    expect(metadata.caption).not.toMatch(/&#x|&amp;/);
  });

  it.each([
    'real/camera/segment-unreachable.jpg',
    'real/camera/warsaw-bad-exif-text.jpg',
    'real/camera/door-knocker.jpg',
    'real/camera/canon-dslr.jpg',
  ])('broken or sparse metadata never throws: %s', async (rel) => {
    const { metadata } = await read(rel);
    expect(metadata.keywords).toBeInstanceOf(Array);
  });

  it('EXIF-only photo: date with unknown zone', async () => {
    const { metadata } = await read('real/camera/door-knocker.jpg');
    expect(metadata).toMatchObject({ dateCreated: '2018-04-27T13:17:26', dateZone: 'unknown' });
  });

  it('non-JPEG bytes give a warning, not an exception', async () => {
    const { metadata, warnings } = await readPhotoMetadata(Buffer.from('this is not an image'));
    expect(metadata).toEqual({ keywords: [] });
    expect(warnings[0]).toMatch(/metadata unreadable/);
  });
});

describe('IIM character sets', () => {
  const caption = 'Zoë Müller à Saint-Étienne';
  it('declared UTF-8 (1:90 ESC % G)', async () => {
    const iim = iimBlock([
      [1, 90, Buffer.from([0x1b, 0x25, 0x47])],
      [2, 120, caption],
    ]);
    const { metadata } = await readPhotoMetadata(await jpegWithIim(iim));
    expect(metadata.caption).toBe(caption);
  });
  it('undeclared Latin-1', async () => {
    const iim = iimBlock([[2, 120, caption]], 'latin1');
    const embedded = await readEmbeddedMetadata(await jpegWithIim(iim));
    expect(embedded.iimCharset).toEqual({ charset: 'windows-1252', how: 'default' });
    expect((await readPhotoMetadata(await jpegWithIim(iim))).metadata.caption).toBe(caption);
  });
  it('undeclared bytes 0x80–0x9F are Windows-1252 (agency en dashes, curly quotes), never C1 controls', async () => {
    const all = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));
    const iim = iimBlock([
      [
        2,
        120,
        Buffer.concat([
          Buffer.from('Fire 2', 'latin1'),
          Buffer.from([0x96]),
          Buffer.from('1 Crew ', 'latin1'),
          all,
        ]),
      ],
    ]);
    const { metadata } = await readPhotoMetadata(await jpegWithIim(iim));
    expect(metadata.caption?.startsWith('Fire 2–1 Crew ')).toBe(true);
    const high = [...(metadata.caption ?? '').slice('Fire 2–1 Crew '.length)];
    expect(high.join('')).toBe('€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ');
    // Only the five bytes Windows-1252 leaves undefined stay control codes.
    expect(high.filter((c) => c.charCodeAt(0) >= 0x80 && c.charCodeAt(0) <= 0x9f)).toHaveLength(5);
  });
  it('undeclared but valid UTF-8 is read as UTF-8', async () => {
    const iim = iimBlock([[2, 120, caption]], 'utf8');
    const embedded = await readEmbeddedMetadata(await jpegWithIim(iim));
    expect(embedded.iimCharset.how).toBe('detected');
    expect((await readPhotoMetadata(await jpegWithIim(iim))).metadata.caption).toBe(caption);
  });
});

describe('MWG reconciliation of IIM and XMP', () => {
  const iim = iimBlock([
    [2, 105, 'IIM HEADLINE'],
    [2, 90, 'PARIS'],
    [2, 55, '20240811'],
    [2, 60, '231548'],
  ]);
  const xmp = xmpPacket({
    Headline: 'XMP headline',
    City: 'Paris',
    DateCreated: '2024-08-11T23:15:48+02:00',
  });

  it('digest matches: XMP wins', async () => {
    const { metadata } = await readPhotoMetadata(await jpegWithIim(iim, 'match', xmp));
    expect(metadata.headline).toBe('XMP headline');
  });
  it('digest mismatches (IIM edited later): IIM wins', async () => {
    const embedded = await readEmbeddedMetadata(await jpegWithIim(iim, Buffer.alloc(16, 1), xmp));
    expect(embedded.iimDigest).toBe('mismatch');
    const { metadata } = await readPhotoMetadata(await jpegWithIim(iim, Buffer.alloc(16, 1), xmp));
    expect(metadata.headline).toBe('IIM HEADLINE');
    expect(metadata.city).toBe('Paris');
  });
  it('zone-less IIM time borrows the XMP offset for the same wall clock', async () => {
    const { metadata } = await readPhotoMetadata(await jpegWithIim(iim, undefined, xmp));
    expect(metadata).toMatchObject({ dateCreated: '2024-08-11T23:15:48+02:00', dateZone: 'explicit' });
  });
  it('a truncated IIM copy of a longer XMP value yields the XMP value', () => {
    expect(reconcile('A long caption that IIM had to cut', 'A long caption that', 'absent')).toBe(
      'A long caption that IIM had to cut',
    );
    expect(reconcile('xmp', 'iim', 'absent')).toBe('iim');
    expect(reconcile(undefined, ' iim ', 'match')).toBe('iim');
  });
});

describe('text helpers', () => {
  it.each([
    ['SAINT-DENIS', 'Saint-Denis'],
    ["VILLENEUVE-D'ASCQ", "Villeneuve-d'Ascq"],
    ['SAINT-QUENTIN-EN-YVELINES', 'Saint-Quentin-en-Yvelines'],
    ['NEW YORK', 'New York'],
    ['USA', 'USA'],
    ['Neuss', 'Neuss'],
    ["L'AQUILA", "L'Aquila"],
  ])('placeName(%s) = %s', (input, expected) => {
    expect(placeName(input)).toBe(expected);
  });
  it('cleanText trims, unifies line breaks and drops control characters', () => {
    expect(cleanText('  a\r\nb\u0007  c ')).toBe('a\nb c');
    expect(cleanText('   ')).toBeUndefined();
  });
});

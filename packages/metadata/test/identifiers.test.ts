import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@lightbox/test-infra';
import { exiftool, type WriteTags } from 'exiftool-vendored';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyEmbeddedMetadata, normaliseMetadata, readPhotoMetadata } from '../src/index.js';

/** The identifiers matching uses before any text: event ids, the job id (IIM 2:103), the picture guid. */
describe('identifiers written with ExifTool', async () => {
  const dir = await tempDir('lb-ids-');
  afterAll(async () => {
    await exiftool.end();
    await dir.remove();
  });
  const blank = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#555' } })
    .jpeg()
    .toBuffer();
  let n = 0;
  const write = async (tags: WriteTags) => {
    const path = join(dir.path, `ids-${n++}.jpg`);
    await writeFile(path, blank);
    await exiftool.write(path, tags, { writeArgs: ['-overwrite_original'] });
    return readFile(path);
  };

  it('reads every XMP Iptc4xmpExt:EventId, the job id and the image guid', async () => {
    const bytes = await write({
      'XMP-iptcExt:EventId': ['urn:example:event:nye-2024-london', 'https://events.example/e/42'],
      'XMP-iptcExt:Event': "New Year's Eve",
      'XMP-iptcExt:DigitalImageGUID': 'tag:ap.org:2024:7e1c0b',
      'IPTC:OriginalTransmissionReference': 'LON123',
    } as WriteTags);
    const { metadata } = await readPhotoMetadata(bytes);
    expect(metadata).toMatchObject({
      event: "New Year's Eve",
      eventIds: ['urn:example:event:nye-2024-london', 'https://events.example/e/42'],
      transmissionReference: 'LON123',
      guid: 'tag:ap.org:2024:7e1c0b',
    });
  });

  it('a single EventId is a list of one; none leaves the field out', async () => {
    const one = await readPhotoMetadata(await write({ 'XMP-iptcExt:EventId': 'urn:one' } as WriteTags));
    expect(one.metadata.eventIds).toEqual(['urn:one']);
    const none = await readPhotoMetadata(await write({ 'IPTC:Headline': 'No ids' } as WriteTags));
    expect(none.metadata).not.toHaveProperty('eventIds');
  });
});

describe('normalising event ids', () => {
  it('trims, drops empties and repeats (case-insensitively)', () => {
    const embedded = emptyEmbeddedMetadata();
    embedded.xmp.Iptc4xmpExt = { EventId: [' urn:a ', '', 'URN:A', 'urn:b'] };
    expect(normaliseMetadata(embedded).eventIds).toEqual(['urn:a', 'urn:b']);
  });
});

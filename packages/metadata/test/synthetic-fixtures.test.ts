import { readFile } from 'node:fs/promises';
import { type PhotoMetadata, provenanceMetadataFields } from '@lightbox/contracts';
import { fixturePath } from '@lightbox/test-infra';
import {
  detectGraphicContent,
  digitalSourceTypeHold,
  expiredLicence,
  type FeedExpiryRule,
  licenceExpiry,
  readDigitalSourceType,
} from '@lightbox/wire-rules';
import { describe, expect, it } from 'vitest';
import { readPhotoMetadata } from '../src/index.js';

/** tests/fixtures/synthetic: ExifTool-written files, one per case (see its README). */
interface ImageCase {
  file: string;
  expect: Partial<PhotoMetadata>;
  digitalSourceType?: { code: string; needsReview: boolean };
  graphic?: { words?: string[]; match: string | null; field?: string };
  expiry?: { receivedAt: string; published: boolean; feedRule?: FeedExpiryRule; source: string; at: string };
}
const { images } = JSON.parse(await readFile(fixturePath('synthetic/cases.json'), 'utf8')) as {
  images: ImageCase[];
};
const read = async (c: ImageCase) => readPhotoMetadata(await readFile(fixturePath(`synthetic/${c.file}`)));
const NEW_FIELDS = Object.keys(provenanceMetadataFields) as (keyof PhotoMetadata)[];

describe('every synthetic fixture reads as written', () => {
  it.each(images.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const { metadata, warnings } = await read(c);
    expect(warnings).toEqual([]);
    expect(metadata).toMatchObject(c.expect);
    // Fields the case does not write stay absent: nothing is invented.
    for (const key of NEW_FIELDS) if (!(key in c.expect)) expect(metadata[key], key).toBeUndefined();
  });
});

describe('digital source types: label and review from the file', () => {
  const cases = images.filter((c) => c.digitalSourceType);
  it('covers every IPTC value', () => {
    expect(new Set(cases.map((c) => c.digitalSourceType?.code)).size).toBe(20);
  });
  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const { metadata } = await read(c);
    const reading = readDigitalSourceType(metadata.digitalSourceType);
    expect(reading?.code).toBe(c.digitalSourceType?.code);
    expect(reading?.needsReview).toBe(c.digitalSourceType?.needsReview);
    expect(digitalSourceTypeHold(metadata.digitalSourceType) !== undefined).toBe(
      c.digitalSourceType?.needsReview,
    );
  });
});

describe('graphic content from the file', () => {
  const cases = images.filter((c) => c.graphic);
  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const { metadata } = await read(c);
    const flag = detectGraphicContent(metadata, { words: c.graphic?.words });
    expect(flag?.match ?? null).toBe(c.graphic?.match);
    if (flag) expect(flag.field).toBe(c.graphic?.field);
    // A feed word fires only for the feed that configured it.
    if (c.graphic?.words) expect(detectGraphicContent(metadata)).toBeUndefined();
  });
});

describe('licence expiry from the file (IIM) or the feed rule, with a fake clock', () => {
  const cases = images.filter((c) => c.expiry);
  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const { metadata } = await read(c);
    const e = c.expiry as NonNullable<ImageCase['expiry']>;
    const input = {
      receivedAt: e.receivedAt,
      published: e.published,
      agency: { iim: metadata.expirationDate },
      feedRule: e.feedRule,
    };
    expect(licenceExpiry(input)).toMatchObject({ source: e.source, at: e.at });
    const at = Date.parse(e.at);
    expect(expiredLicence(input, () => new Date(at - 1))).toBeUndefined();
    expect(expiredLicence(input, () => new Date(at))?.source).toBe(e.source);
  });
});

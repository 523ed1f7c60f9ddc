import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Photo, PhotoMetadata, Story } from '@lightbox/contracts';
import { REPO_ROOT } from '@lightbox/test-infra';
import AjvModule from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { buildManifest, galleryJsonFeed, galleryRssFeed } from '../src/index.js';

const Ajv = AjvModule.default;
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

const DST = 'http://cv.iptc.org/newscodes/digitalsourcetype/';
const story: Story = {
  id: 'st_p',
  slug: 'madrid',
  headline: 'Madrid derby',
  status: 'open',
  createdAt: '',
  updatedAt: '',
  event: { name: 'Madrid derby', start: '2024-09-29T21:00:00+02:00', end: '2024-09-29T23:30:00+02:00' },
};
const urlFor = (k: string) => `https://cdn.example/${k}`;
const urls = {
  manifest: 'https://cdn.example/galleries/st_p/gallery.json',
  jsonFeed: 'https://cdn.example/galleries/st_p/feed.json',
  rssFeed: 'https://cdn.example/galleries/st_p/feed.xml',
};

let minute = 0;
const photo = (id: string, metadata: Partial<PhotoMetadata> = {}, extra: Partial<Photo> = {}): Photo => ({
  photoId: id,
  status: 'matched',
  storyId: story.id,
  feed: 'dpa',
  sha256: id,
  originalKey: `originals/${id}.jpg`,
  contentType: 'image/jpeg',
  bytes: 1,
  receivedAt: '2024-09-29T20:00:00.000Z',
  updatedAt: '2024-09-29T20:00:00.000Z',
  version: 1,
  // Minutes apart and no perceptual hash: never grouped as near-duplicates unless a test says so.
  metadata: {
    keywords: [],
    caption: `Photo ${id} in Madrid.`,
    dateCreated: `2024-09-29T21:${String(minute++).padStart(2, '0')}:00+02:00`,
    width: 3000,
    height: 2000,
    ...metadata,
  },
  renditions: [
    { name: 'large', key: `renditions/${id}/large.jpg`, width: 2048, height: 1365, format: 'jpeg', bytes: 9 },
  ],
  ...extra,
});

const signed = photo(
  'signed',
  {},
  {
    provenance: {
      c2pa: {
        state: 'valid',
        trusted: true,
        signer: { organisation: 'Reuters', commonName: 'Reuters C2PA Signer' },
        actions: ['c2pa.opened'],
        ingredients: 1,
      },
      manifestStoreKey: 'provenance/signed.c2pa',
      checkedAt: '2024-09-29T20:00:01.000Z',
    },
  },
);
const tampered = photo(
  'tampered',
  {},
  {
    provenance: {
      c2pa: {
        state: 'invalid',
        trusted: false,
        signer: { commonName: 'C2PA Signer' },
        actions: [],
        ingredients: 0,
        issues: [{ code: 'assertion.dataHash.mismatch' }],
      },
      manifestStoreKey: 'provenance/tampered.c2pa',
      checkedAt: '2024-09-29T20:00:01.000Z',
    },
  },
);
const absent = photo(
  'absent',
  {},
  {
    provenance: {
      c2pa: { state: 'absent', trusted: false, actions: [], ingredients: 0 },
      checkedAt: '2024-09-29T20:00:01.000Z',
    },
  },
);
const aiGenerated = photo('ai', { digitalSourceType: `${DST}trainedAlgorithmicMedia` });
const aiByCredentials = photo(
  'ai-c2pa',
  { digitalSourceType: `${DST}digitalCapture` },
  {
    provenance: {
      c2pa: {
        state: 'valid',
        trusted: false,
        actions: ['c2pa.opened', 'c2pa.edited'],
        ingredients: 1,
        digitalSourceType: `${DST}compositeWithTrainedAlgorithmicMedia`,
      },
      checkedAt: '2024-09-29T20:00:01.000Z',
    },
  },
);
const capture = photo('capture', { digitalSourceType: `${DST}digitalCapture` });
const rights = photo('rights', {
  caption: 'Fans wave flags in Madrid. Photo: Oscar J. Barroso/EUROPA PRESS/dpa',
  agency: 'Europa Press',
  distributor: 'dpa',
  copyright: '© Europa Press',
  copyrightOwners: ['Europa Press'],
  usageTerms: 'Editorial use only',
  webStatement: 'https://www.picture-alliance.com/terms',
  licensorUrl: 'https://www.picture-alliance.com/licensing',
  dataMining: 'DMI-PROHIBITED',
  modelReleaseStatus: 'MR-NAP',
  propertyReleaseStatus: 'PR-NON',
});
const graphic = photo(
  'graphic',
  {},
  {
    sensitive: { reason: 'Graphic content flagged in special instructions: "GRAPHIC CONTENT"' },
    expiresAt: '2024-10-29T20:00:00.000Z',
  },
);

const manifest = buildManifest({
  story,
  photos: [signed, tampered, absent, aiGenerated, aiByCredentials, capture, rights, graphic],
  version: 1,
  updatedAt: new Date('2024-09-29T22:00:00Z'),
  urlFor,
});
const byId = (id: string) => manifest.photos.find((p) => p.photoId === id);

describe('manifest: provenance, labels, rights, sensitivity, expiry', () => {
  it('Content Credentials of the original, with a link to its manifest store', () => {
    expect(byId('signed')?.provenance).toEqual({
      state: 'valid',
      trusted: true,
      signer: 'Reuters',
      appliesTo: 'original',
      manifestStoreUrl: 'https://cdn.example/provenance/signed.c2pa',
    });
    expect(byId('tampered')?.provenance).toMatchObject({
      state: 'invalid',
      trusted: false,
      signer: 'C2PA Signer',
    });
    expect(byId('absent')?.provenance).toEqual({
      state: 'absent',
      trusted: false,
      signer: null,
      appliesTo: 'original',
      manifestStoreUrl: null,
    });
    expect(byId('capture')?.provenance).toBeNull(); // never checked
  });

  it('AI-generated and AI-edited pictures carry the IPTC type and a label; photographs carry none', () => {
    expect(byId('ai')?.digitalSourceType).toEqual({
      uri: `${DST}trainedAlgorithmicMedia`,
      code: 'trainedAlgorithmicMedia',
      label: 'AI-generated',
    });
    // The file says "digital capture", its C2PA manifest says generative AI edited it: the latter counts.
    expect(byId('ai-c2pa')?.digitalSourceType).toMatchObject({
      code: 'compositeWithTrainedAlgorithmicMedia',
      label: 'AI-edited',
    });
    expect(byId('capture')?.digitalSourceType).toBeNull();
    expect(byId('signed')?.digitalSourceType).toBeNull();
  });

  it('rights and the distributor as the sender stated them', () => {
    expect(byId('rights')).toMatchObject({
      distributor: 'dpa',
      rights: {
        copyright: '© Europa Press',
        copyrightOwners: ['Europa Press'],
        usageTerms: 'Editorial use only',
        webStatement: 'https://www.picture-alliance.com/terms',
        licensorUrl: 'https://www.picture-alliance.com/licensing',
        dataMining: 'DMI-PROHIBITED',
        modelReleaseStatus: 'MR-NAP',
        propertyReleaseStatus: 'PR-NON',
      },
    });
  });

  it('sensitive photos say so with the reason; the licence end is stated', () => {
    expect(byId('graphic')).toMatchObject({
      sensitive: true,
      sensitiveReason: 'Graphic content flagged in special instructions: "GRAPHIC CONTENT"',
      expiresAt: '2024-10-29T20:00:00.000Z',
    });
    expect(byId('signed')).toMatchObject({ sensitive: false, sensitiveReason: null, expiresAt: null });
  });

  it('states the licence end as published, and leaves out a photo whose licence ran out', () => {
    const licensed = photo(
      'licensed',
      {},
      {
        receivedAt: '2024-09-29T20:00:00.000Z',
        licence: { iim: '2024-12-31', feedRule: { expireAfterDays: 1, applies: 'unpublished' } },
        // What the record says while unpublished: the feed's rule.
        expiresAt: '2024-09-30T20:00:00.000Z',
      },
    );
    const lapsed = photo('lapsed', {}, { licence: { newsml: '2024-09-29T21:00:00Z' } });
    const m = buildManifest({
      story,
      photos: [licensed, lapsed],
      version: 1,
      updatedAt: new Date('2024-09-29T22:00:00Z'),
      urlFor,
    });
    expect(m.photos.map((p) => [p.photoId, p.expiresAt])).toEqual([['licensed', '2024-12-31T10:00:00.000Z']]);
  });

  it('a sensitive near-duplicate is marked sensitive among the alternates too', () => {
    const frames = ['a', 'b'].map((id, i) =>
      photo(
        id,
        { dateCreated: '2024-09-29T22:00:00+02:00', width: 3000 - i, height: 2000 },
        { phash: 'ffff0000ffff0000', ...(i === 1 ? { sensitive: { reason: 'GRAPHIC CONTENT' } } : {}) },
      ),
    );
    const m = buildManifest({ story, photos: frames, version: 1, updatedAt: new Date(), urlFor });
    expect(m.photos).toHaveLength(1);
    expect(m.photos[0]?.alternates.map((a) => [a.photoId, a.sensitive])).toEqual([['b', true]]);
  });

  it('validates against docs/gallery.schema.json', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validate = ajv.compile(
      JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'gallery.schema.json'), 'utf8')),
    );
    expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    const broken = { ...manifest, photos: [{ ...manifest.photos[0], provenance: { state: 'maybe' } }] };
    expect(validate(broken)).toBe(false);
  });
});

describe('feeds carry the AI label', () => {
  it('JSON Feed: in the text and in the extension; still a valid JSON Feed 1.1', () => {
    const feed = galleryJsonFeed(manifest, urls);
    const ai = feed.items.find((i) => i.id === 'ai');
    expect(ai?.content_text).toBe('[AI-generated]\nPhoto ai in Madrid.');
    expect(ai?._lightbox.digitalSourceType).toMatchObject({ label: 'AI-generated' });
    const graphicItem = feed.items.find((i) => i.id === 'graphic');
    expect(graphicItem?._lightbox.sensitive).toBe(true);
    expect(feed.items.find((i) => i.id === 'capture')?.content_text).toBe('Photo capture in Madrid.');
    expect(feed.items.find((i) => i.id === 'signed')?._lightbox.provenance).toMatchObject({ trusted: true });

    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const schema = JSON.parse(
      readFileSync(createRequire(import.meta.url).resolve('jsonfeed-schema/schema-v1.1.json'), 'utf8'),
    );
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(JSON.stringify(feed))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('Media RSS: a media:category in the IPTC scheme with the label, and the description says it', async () => {
    const xml = galleryRssFeed(manifest, urls);
    const parser = new Parser({
      customFields: { item: [['media:category', 'mediaCategory', { keepArray: true }]] },
    });
    const feed = await parser.parseString(xml);
    const item = (id: string) =>
      feed.items.find((i) => i.guid === `lightbox:st_p:${id}`) as unknown as Record<string, unknown> &
        Parser.Item;
    expect(item('ai').mediaCategory).toEqual([
      { _: `${DST}trainedAlgorithmicMedia`, $: { scheme: DST, label: 'AI-generated' } },
    ]);
    expect(item('ai').content).toMatch(/^\[AI-generated\]\n/);
    expect(item('capture').mediaCategory).toBeUndefined();
    expect(xml).toContain(
      '<media:copyright url="https://www.picture-alliance.com/terms">© Europa Press</media:copyright>',
    );
  });
});

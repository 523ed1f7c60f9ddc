import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type GalleryManifest, type Photo, publishedJsonSchema, type Story } from '@lightbox/contracts';
import { REPO_ROOT } from '@lightbox/test-infra';
import AjvModule from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import {
  buildIndex,
  buildManifest,
  galleriesJsonFeed,
  galleriesRssFeed,
  galleryJsonFeed,
  galleryRssFeed,
  indexEntry,
  xmlEscape,
} from '../src/index.js';

// CommonJS packages: their classes are on `.default` when imported from ESM.
const Ajv = AjvModule.default;
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;
const jsonFeedSchema = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('jsonfeed-schema/schema-v1.1.json'), 'utf8'),
);

const story: Story = {
  id: 'st_feed',
  slug: 'closing',
  headline: 'Paris Olympics end with a "star-studded" closing <ceremony> & more',
  status: 'open',
  createdAt: '',
  updatedAt: '',
  event: { name: 'Closing ceremony', start: '2024-08-11T21:00:00+02:00', end: '2024-08-12T00:30:00+02:00' },
};

const photo = (
  id: string,
  meta: Partial<NonNullable<Photo['metadata']>>,
  extra: Partial<Photo> = {},
): Photo => ({
  photoId: id,
  status: 'matched',
  storyId: story.id,
  feed: 'wire',
  sha256: id,
  originalKey: `originals/${id}.jpg`,
  contentType: 'image/jpeg',
  bytes: 1,
  receivedAt: '2024-08-11T23:00:00.000Z',
  updatedAt: '2024-08-11T23:00:00.000Z',
  version: 1,
  metadata: { keywords: [], width: 5184, height: 3456, ...meta },
  renditions: ['thumb:320:213', 'medium:1024:683', 'large:2048:1365'].map((s) => {
    const [name, w, h] = s.split(':') as [string, string, string];
    return {
      name,
      key: `renditions/${id}/${name}.jpg`,
      width: +w,
      height: +h,
      format: 'jpeg',
      bytes: +w * 40,
    };
  }),
  ...extra,
});

const photos = [
  photo('p1', {
    caption:
      'Tom Cruise is lowered on the State de France during the closing ceremony, Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/Natacha Pisarenko)',
    creditLine: 'AP Photo/Natacha Pisarenko',
    byline: 'Natacha Pisarenko',
    dateCreated: '2024-08-11T23:40:12+02:00',
  }),
  photo(
    'p2',
    {
      caption: 'Control characters \u0001 and <markup> & "quotes" survive. REUTERS/Kai Pfaffenbach',
      creditLine: 'REUTERS',
      byline: 'Kai Pfaffenbach',
      dateCreated: '2024-08-11T22:10:00', // zone unknown: no pubDate rather than a wrong one
    },
    { restrictions: ['SPAIN OUT', 'NO ARCHIVES'] },
  ),
  photo('p3', {}),
];

const urls = {
  manifest: 'https://cdn.example/galleries/st_feed/gallery.json',
  jsonFeed: 'https://cdn.example/galleries/st_feed/feed.json',
  rssFeed: 'https://cdn.example/galleries/st_feed/feed.xml',
};
const manifest: GalleryManifest = buildManifest({
  story,
  photos,
  version: 4,
  updatedAt: new Date('2024-08-12T00:00:00Z'),
  urlFor: (k) => `https://cdn.example/${k}`,
});

describe('published JSON Schemas', () => {
  it.each(['gallery', 'gallery-index'] as const)(
    'docs/%s.schema.json is current (npm run schemas)',
    (kind) => {
      const onDisk = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', `${kind}.schema.json`), 'utf8'));
      expect(onDisk).toEqual(publishedJsonSchema(kind));
    },
  );

  it('manifests and the index validate against the published schemas; broken ones do not', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const validateGallery = ajv.compile(
      JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'gallery.schema.json'), 'utf8')),
    );
    expect(validateGallery(manifest), JSON.stringify(validateGallery.errors)).toBe(true);
    expect(validateGallery({ ...manifest, schemaVersion: 2 })).toBe(false);
    expect(validateGallery({ ...manifest, photos: [{ ...manifest.photos[0], renditions: undefined }] })).toBe(
      false,
    );

    const validateIndex = ajv.compile(
      JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'gallery-index.schema.json'), 'utf8')),
    );
    const index = buildIndex([indexEntry(manifest, urls.manifest)], new Date());
    expect(validateIndex(index), JSON.stringify(validateIndex.errors)).toBe(true);
  });
});

describe('JSON Feed', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(jsonFeedSchema);

  it('a gallery feed is valid JSON Feed 1.1 with one item per photo', () => {
    const feed = galleryJsonFeed(manifest, urls);
    // Round-trip through JSON, as downstream sees it (undefined fields vanish).
    const parsed = JSON.parse(JSON.stringify(feed));
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed.items.map((i: { id: string }) => i.id)).toEqual(['p1', 'p2', 'p3']);
    const p1 = parsed.items.find((i: { id: string }) => i.id === 'p1');
    expect(p1).toMatchObject({
      image: 'https://cdn.example/renditions/p1/large.jpg',
      date_published: '2024-08-11T23:40:12+02:00',
      authors: [{ name: 'Natacha Pisarenko' }],
    });
    expect(p1.content_text).toContain('(AP Photo/Natacha Pisarenko)');
    const p2 = parsed.items.find((i: { id: string }) => i.id === 'p2');
    expect(p2.date_published).toBeUndefined();
    expect(p2.content_text).toContain('Restrictions: SPAIN OUT; NO ARCHIVES');
    expect(p2._lightbox.renditions).toHaveLength(3);
  });

  it('the all-galleries feed is valid JSON Feed 1.1', () => {
    const index = buildIndex([indexEntry(manifest, urls.manifest)], new Date('2024-08-12T00:00:01Z'));
    const parsed = JSON.parse(
      JSON.stringify(galleriesJsonFeed(index, 'https://cdn.example/galleries/feed.json')),
    );
    expect(validate(parsed), JSON.stringify(validate.errors)).toBe(true);
    expect(parsed.items[0]).toMatchObject({ id: 'st_feed', url: urls.manifest, title: story.headline });
  });

  it('the validator rejects a broken feed (the check has teeth)', () => {
    expect(
      validate({ version: 'https://jsonfeed.org/version/1.1', title: 't', items: [{ content_text: 'x' }] }),
    ).toBe(false);
  });
});

describe('RSS 2.0 with Media RSS', () => {
  const parser = new Parser({
    customFields: {
      item: [
        ['media:group', 'mediaGroup'],
        ['media:credit', 'mediaCredit', { keepArray: true }],
        ['media:thumbnail', 'mediaThumbnail'],
        ['media:description', 'mediaDescription'],
      ],
    },
  });

  it('parses with a real RSS parser: items, renditions, credits, escaping', async () => {
    const xml = galleryRssFeed(manifest, urls);
    const feed = await parser.parseString(xml);
    expect(feed.title).toBe(story.headline);
    expect(feed.items).toHaveLength(3);
    const p1 = feed.items.find((i) => i.guid === 'lightbox:st_feed:p1') as unknown as Record<
      string,
      unknown
    > &
      Parser.Item;
    expect(p1.pubDate).toBe('Sun, 11 Aug 2024 21:40:12 GMT');
    expect(p1.enclosure).toMatchObject({
      url: 'https://cdn.example/renditions/p1/large.jpg',
      type: 'image/jpeg',
    });
    const group = p1.mediaGroup as { 'media:content': { $: Record<string, string> }[] };
    expect(group['media:content'].map((c) => c.$.width)).toEqual(['2048', '1024', '320']);
    expect(group['media:content'][0]?.$.isDefault).toBe('true');
    const credits = p1.mediaCredit as { _: string; $: { role: string } }[];
    expect(credits.map((c) => [c.$.role, c._])).toEqual([
      ['photographer', 'Natacha Pisarenko'],
      ['distributor', 'AP Photo/Natacha Pisarenko'],
    ]);
    const p2 = feed.items.find((i) => i.guid === 'lightbox:st_feed:p2') as unknown as Parser.Item &
      Record<string, unknown>;
    expect(p2.pubDate).toBeUndefined();
    const categories = p2.categories as unknown as { _: string; $: { domain: string } }[];
    expect(categories.map((c) => [c.$.domain, c._])).toEqual([
      ['urn:lightbox:restriction', 'SPAIN OUT'],
      ['urn:lightbox:restriction', 'NO ARCHIVES'],
    ]);
    expect(p2.content).toContain('<markup> & "quotes"');
    expect(p2.content).not.toContain('\u0001');
  });

  it('the all-galleries feed parses', async () => {
    const index = buildIndex([indexEntry(manifest, urls.manifest)], new Date('2024-08-12T00:00:01Z'));
    const feed = await parser.parseString(
      galleriesRssFeed(
        index,
        'https://cdn.example/galleries/feed.xml',
        'https://cdn.example/galleries/index.json',
      ),
    );
    expect(feed.items.map((i) => i.title)).toEqual([story.headline]);
  });

  it('escapes the five XML specials', () => {
    expect(xmlEscape(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  });
});

describe('gallery index', () => {
  it('is newest first and carries a cover near 640 px', () => {
    const older = {
      ...indexEntry(manifest, urls.manifest),
      storyId: 'st_old',
      updatedAt: '2024-08-10T00:00:00Z',
    };
    const index = buildIndex([older, indexEntry(manifest, urls.manifest)], new Date());
    expect(index.galleries.map((g) => g.storyId)).toEqual(['st_feed', 'st_old']);
    expect(index.galleries[0]?.cover?.url).toMatch(/medium\.jpg$/);
    expect(index.galleries[0]?.photoCount).toBe(3);
  });
});

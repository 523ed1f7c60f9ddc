import { galleryManifestSchema, type Photo, type Story } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import { buildManifest, sortInstant } from '../src/index.js';

const story: Story = {
  id: 'st_1',
  slug: 'closing',
  headline: 'Closing ceremony',
  status: 'open',
  createdAt: '',
  updatedAt: '',
  event: { name: 'Closing ceremony', start: '2024-08-11T21:00:00+02:00', end: '2024-08-12T00:30:00+02:00' },
};

const photo = (id: string, dateCreated: string | undefined, overrides: Partial<Photo> = {}): Photo => ({
  photoId: id,
  status: 'matched',
  storyId: 'st_1',
  feed: 'wire',
  sha256: id,
  originalKey: `originals/${id}.jpg`,
  contentType: 'image/jpeg',
  bytes: 1,
  receivedAt: '2024-08-11T23:00:00.000Z',
  updatedAt: '2024-08-11T23:00:00.000Z',
  version: 1,
  metadata: {
    caption: `caption ${id}`,
    creditLine: 'AP Photo/X',
    byline: 'X',
    dateCreated,
    keywords: [],
    width: 3000,
    height: 2000,
  },
  renditions: [
    {
      name: 'large',
      key: `renditions/${id}/large.jpg`,
      width: 2048,
      height: 1365,
      format: 'jpeg',
      bytes: 100,
    },
  ],
  ...overrides,
});

describe('buildManifest', () => {
  const urlFor = (k: string) => `https://cdn.example/${k}`;

  it('lists matched and published photos of the story in chronological order, across offsets', () => {
    const manifest = buildManifest({
      story,
      photos: [
        photo('c', '2024-08-12T00:20:00+02:00'),
        photo('a', '2024-08-11T21:05:00+02:00', { status: 'published' }),
        photo('b', '2024-08-11T20:30:00Z'), // 22:30 CEST
      ],
      version: 3,
      updatedAt: new Date('2024-08-12T00:00:00Z'),
      urlFor,
    });
    expect(manifest.photos.map((p) => p.photoId)).toEqual(['a', 'b', 'c']);
    expect(manifest).toMatchObject({
      schemaVersion: 1,
      cover: 'a',
      final: false,
      storyId: 'st_1',
      slug: 'closing',
      headline: 'Closing ceremony',
      version: 3,
      updatedAt: '2024-08-12T00:00:00.000Z',
    });
    expect(manifest.photos[0]).toEqual({
      photoId: 'a',
      caption: 'caption a',
      credit: 'AP Photo/X',
      byline: 'X',
      dateCreated: '2024-08-11T21:05:00+02:00',
      width: 3000,
      height: 2000,
      alt: 'caption a',
      placeholder: null,
      restrictions: [],
      alternates: [],
      renditions: [
        {
          name: 'large',
          key: 'renditions/a/large.jpg',
          url: 'https://cdn.example/renditions/a/large.jpg',
          width: 2048,
          height: 1365,
          format: 'jpeg',
          bytes: 100,
        },
      ],
      provenance: null,
      digitalSourceType: null,
      rights: {
        copyright: null,
        copyrightOwners: [],
        usageTerms: null,
        webStatement: null,
        licensorUrl: null,
        dataMining: null,
        modelReleaseStatus: null,
        propertyReleaseStatus: null,
      },
      distributor: null,
      sensitive: false,
      sensitiveReason: null,
      expiresAt: null,
    });
    expect(galleryManifestSchema.parse(manifest)).toEqual(manifest);
  });

  it('leaves out photos under review, killed, of another story or without renditions', () => {
    const manifest = buildManifest({
      story,
      photos: [
        photo('ok', '2024-08-11T22:00:00+02:00'),
        photo('review', '2024-08-11T22:00:00+02:00', { status: 'review' }),
        photo('killed', '2024-08-11T22:00:00+02:00', { status: 'killed' }),
        photo('other', '2024-08-11T22:00:00+02:00', { storyId: 'st_2' }),
        photo('norend', '2024-08-11T22:00:00+02:00', { renditions: [] }),
      ],
      version: 1,
      updatedAt: new Date(),
      urlFor,
    });
    expect(manifest.photos.map((p) => p.photoId)).toEqual(['ok']);
  });

  it('orders undated photos by arrival and breaks ties by id', () => {
    expect(sortInstant(photo('x', undefined))).toBe(Date.parse('2024-08-11T23:00:00.000Z'));
    const manifest = buildManifest({
      story,
      photos: [photo('b', '2024-08-11T22:00:00+02:00'), photo('a', '2024-08-11T22:00:00+02:00')],
      version: 1,
      updatedAt: new Date(),
      urlFor,
    });
    expect(manifest.photos.map((p) => p.photoId)).toEqual(['a', 'b']);
  });
});

describe('buildManifest: editor layout and near-duplicates', () => {
  const urlFor = (k: string) => `https://cdn.example/${k}`;
  const at = (s: number) => new Date(Date.parse('2024-08-11T21:40:00+02:00') + s * 1000).toISOString();
  const burst = [
    photo('b1', at(0), { phash: 'f0f0f0f0f0f0f0f0' }),
    photo('b2', at(1), { phash: 'f0f0f0f0f0f0f0f1' }),
    photo('b3', at(2), {
      phash: 'f0f0f0f0f0f0f0f3',
      metadata: { keywords: [], caption: 'big', dateCreated: at(2), width: 6000, height: 4000 },
    }),
    photo('b4', at(2.5), { phash: 'f0f0f0f0f0f0f0f7' }),
    photo('b5', at(2.9), { phash: 'f0f0f0f0f0f0f0ff' }),
  ];
  const others = [photo('early', at(-600)), photo('late', at(600))];

  it('collapses a burst to its largest frame, with the rest as alternates', () => {
    const m = buildManifest({
      story,
      photos: [...burst, ...others],
      version: 1,
      updatedAt: new Date(),
      urlFor,
    });
    expect(m.photos.map((p) => p.photoId)).toEqual(['early', 'b3', 'late']);
    expect(m.photos[1]?.alternates.map((a) => a.photoId)).toEqual(['b1', 'b2', 'b4', 'b5']);
    expect(m.photos[1]?.alternates[0]?.renditions[0]?.url).toBe(
      'https://cdn.example/renditions/b1/large.jpg',
    );
    expect(galleryManifestSchema.parse(m)).toEqual(m);
  });

  it('keeps editor order first, then the rest chronologically; a cover from a burst becomes its shown frame', () => {
    const m = buildManifest({
      story: { ...story, status: 'closed' },
      photos: [...burst, ...others],
      version: 2,
      updatedAt: new Date(),
      urlFor,
      layout: { order: ['late', 'missing', 'late'], cover: 'b1' },
    });
    expect(m.photos.map((p) => p.photoId)).toEqual(['late', 'early', 'b1']);
    expect(m.cover).toBe('b1');
    expect(m.final).toBe(true);
    expect(m.photos.find((p) => p.photoId === 'b1')?.alternates.map((a) => a.photoId)).toEqual([
      'b2',
      'b3',
      'b4',
      'b5',
    ]);
  });

  const build = (layout: { order: string[]; cover: string | null; leads?: string[] }) =>
    buildManifest({
      story,
      photos: [...burst, ...others],
      version: 1,
      updatedAt: new Date(),
      urlFor,
      layout,
    });
  const view = (m: ReturnType<typeof build>) =>
    m.photos.map((p) =>
      p.alternates.length ? `${p.photoId}+${p.alternates.map((a) => a.photoId).join(',')}` : p.photoId,
    );

  it('reordering the shown photos keeps a near-duplicate group together (the dashboard sends the shown ids)', () => {
    // Before: ordering b3 pinned it alone and its burst came back as a second photo, b1+b2,b4,b5.
    expect(view(build({ order: ['late', 'b3', 'early'], cover: null }))).toEqual([
      'late',
      'b3+b1,b2,b4,b5',
      'early',
    ]);
  });

  it('an alternate placed by the editor moves its whole group; the group shows once', () => {
    expect(view(build({ order: ['b2', 'early'], cover: null }))).toEqual(['b3+b1,b2,b4,b5', 'early', 'late']);
    expect(view(build({ order: ['late', 'b4', 'b3', 'b1'], cover: null }))).toEqual([
      'late',
      'b3+b1,b2,b4,b5',
      'early',
    ]);
  });

  it("an alternate becomes its group's lead only when the editor says so (leads)", () => {
    expect(view(build({ order: ['late', 'b3'], cover: null, leads: ['b2'] }))).toEqual([
      'late',
      'b2+b1,b3,b4,b5',
      'early',
    ]);
    // Unordered, the group keeps its chronological place under its new lead.
    expect(view(build({ order: [], cover: null, leads: ['b5', 'gone'] }))).toEqual([
      'early',
      'b5+b1,b2,b3,b4',
      'late',
    ]);
  });

  it('the cover outranks a chosen lead of the same group', () => {
    const m = build({ order: [], cover: 'b4', leads: ['b2'] });
    expect(view(m)).toEqual(['early', 'b4+b1,b2,b3,b5', 'late']);
    expect(m.cover).toBe('b4');
  });

  it('falls back to the first photo when the pinned cover left the gallery; null when empty', () => {
    const m = buildManifest({
      story,
      photos: others,
      version: 1,
      updatedAt: new Date(),
      urlFor,
      layout: { order: [], cover: 'gone' },
    });
    expect(m.cover).toBe('early');
    expect(buildManifest({ story, photos: [], version: 1, updatedAt: new Date(), urlFor }).cover).toBeNull();
  });
});

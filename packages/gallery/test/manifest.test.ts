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
      placeholder: null,
      restrictions: [],
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

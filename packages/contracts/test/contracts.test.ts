import { describe, expect, it } from 'vitest';
import { jobPayloadSchemas, objectKeys, parseStageList, STAGES, storyInputSchema } from '../src/index.js';

describe('stages', () => {
  it('parses QUEUES', () => {
    expect(parseStageList(undefined)).toEqual([...STAGES]);
    expect(parseStageList('')).toEqual([...STAGES]);
    expect(parseStageList('render, match,render')).toEqual(['render', 'match']);
    expect(() => parseStageList('render,thumbs')).toThrow(/Unknown stage\(s\) in QUEUES: thumbs/);
  });
  it('job payloads carry ids only', () => {
    expect(jobPayloadSchemas.render.parse({ photoId: 'ph_1' })).toEqual({ photoId: 'ph_1' });
    expect(() => jobPayloadSchemas.render.parse({ photoId: 'ph_1', bytes: 'AAAA' })).toThrow();
    expect(() => jobPayloadSchemas.publish.parse({ photoId: 'ph_1' })).toThrow();
  });
});

describe('storyInputSchema', () => {
  const valid = {
    slug: 'paris-2024-closing-ceremony',
    headline: 'Closing',
    event: { name: 'Closing ceremony', start: '2024-08-11T21:00:00+02:00', end: '2024-08-12T00:30:00+02:00' },
  };
  it('accepts the contract shape', () => {
    expect(storyInputSchema.parse(valid)).toEqual(valid);
  });
  it.each([
    ['a start without offset', { ...valid, event: { ...valid.event, start: '2024-08-11T21:00:00' } }],
    ['end before start', { ...valid, event: { ...valid.event, end: '2024-08-11T20:00:00+02:00' } }],
    ['a bad slug', { ...valid, slug: 'Paris 2024!' }],
    ['unknown fields', { ...valid, colour: 'red' }],
    ['a missing headline', { ...valid, headline: undefined }],
  ])('rejects %s', (_label, input) => {
    expect(storyInputSchema.safeParse(input).success).toBe(false);
  });
});

describe('objectKeys', () => {
  it('builds keys from ids and hashes', () => {
    expect(objectKeys.original('ab'.repeat(32), 'jpg')).toBe(`originals/${'ab'.repeat(32)}.jpg`);
    expect(objectKeys.rendition('ph_1', 'large', 'jpg')).toBe('renditions/ph_1/large.jpg');
    expect(objectKeys.gallery('st_1')).toBe('galleries/st_1/gallery.json');
  });
});

import type { Story } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import { applyStoryUpdate, DeskError, parseLayout } from '../src/index.js';

const story: Story = {
  id: 'st_1',
  slug: 'closing',
  headline: 'Closing ceremony',
  status: 'open',
  createdAt: '2024-08-01T00:00:00.000Z',
  updatedAt: '2024-08-01T00:00:00.000Z',
  event: {
    name: 'Closing ceremony',
    venue: 'Stade de France',
    start: '2024-08-11T21:00:00+02:00',
    end: '2024-08-12T00:30:00+02:00',
  },
  keywords: ['olympics'],
};
const now = new Date('2024-08-11T12:00:00Z');

describe('applyStoryUpdate', () => {
  it('merges event fields and keeps the rest', () => {
    const next = applyStoryUpdate(
      story,
      { event: { venue: 'Stade de France, Saint-Denis' }, keywords: ['a'] },
      now,
    );
    expect(next.event).toEqual({ ...story.event, venue: 'Stade de France, Saint-Denis' });
    expect(next.keywords).toEqual(['a']);
    expect(next.headline).toBe(story.headline);
    expect(next.updatedAt).toBe(now.toISOString());
    expect(next.slug).toBe(story.slug);
  });

  it('replaces the end with start + duration, in the start’s offset', () => {
    expect(applyStoryUpdate(story, { event: { duration: 'PT4H' } }, now).event.end).toBe(
      '2024-08-12T01:00:00+02:00',
    );
    expect(
      applyStoryUpdate(story, { event: { start: '2024-08-11T20:00:00+02:00', duration: 'PT1H30M' } }, now)
        .event.end,
    ).toBe('2024-08-11T21:30:00+02:00');
  });

  it('refuses an end before the start, a bad duration, and end with duration', () => {
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as DeskError;
      }
      throw new Error('no error');
    };
    const before = err(() => applyStoryUpdate(story, { event: { end: '2024-08-11T20:00:00+02:00' } }, now));
    expect(before).toBeInstanceOf(DeskError);
    expect(before.code).toBe('invalid');
    expect(before.message).toMatch(/event.end must not be before event.start/);
    expect(err(() => applyStoryUpdate(story, { event: { duration: 'four hours' } }, now)).message).toMatch(
      /ISO 8601 duration/,
    );
    expect(
      err(() =>
        applyStoryUpdate(story, { event: { end: '2024-08-12T01:00:00+02:00', duration: 'PT1H' } }, now),
      ).message,
    ).toMatch(/not both/);
    expect(err(() => applyStoryUpdate(story, { event: { start: '2024-08-11 21:00' } }, now)).message).toMatch(
      /event.start/,
    );
  });

  it('closes with a timestamp and reopens without one', () => {
    const closed = applyStoryUpdate(story, { status: 'closed' }, now);
    expect(closed).toMatchObject({ status: 'closed', closedAt: now.toISOString() });
    const again = applyStoryUpdate(closed, { status: 'closed' }, new Date('2025-01-01T00:00:00Z'));
    expect(again.closedAt).toBe(now.toISOString());
    const reopened = applyStoryUpdate(closed, { status: 'open' }, now);
    expect(reopened.status).toBe('open');
    expect(reopened.closedAt).toBeUndefined();
  });
});

describe('parseLayout', () => {
  const current = { order: ['a', 'b'], cover: 'a' };
  it('keeps what is not given and unpins with null', () => {
    expect(parseLayout({ cover: 'b' }, current)).toEqual({ order: ['a', 'b'], cover: 'b' });
    expect(parseLayout({ order: ['c'] }, current)).toEqual({ order: ['c'], cover: 'a' });
    expect(parseLayout({ cover: null }, current)).toEqual({ order: ['a', 'b'], cover: null });
  });
  it('refuses duplicates, unknown fields and wrong types', () => {
    expect(() => parseLayout({ order: ['a', 'a'] }, current)).toThrow(/twice/);
    expect(() => parseLayout({ pinned: 'a' }, current)).toThrow(DeskError);
    expect(() => parseLayout({ order: 'a' }, current)).toThrow(DeskError);
  });
});

describe('parseLayout: chosen leads of near-duplicate groups', () => {
  it('sets, keeps and clears leads; a layout stored before leads existed has none', () => {
    const old = { order: ['a'], cover: null };
    expect(parseLayout({ leads: ['b2'] }, old)).toEqual({ order: ['a'], cover: null, leads: ['b2'] });
    expect(parseLayout({ order: ['b'] }, { ...old, leads: ['b2'] })).toEqual({
      order: ['b'],
      cover: null,
      leads: ['b2'],
    });
    expect(parseLayout({ leads: [] }, { ...old, leads: ['b2'] })).toEqual({ order: ['a'], cover: null });
    expect(parseLayout({}, old)).toEqual(old);
  });
  it('refuses a lead listed twice', () => {
    expect(() => parseLayout({ leads: ['x', 'x'] }, { order: [], cover: null })).toThrow(
      /leads lists photo x twice/,
    );
  });
});

describe('applyStoryUpdate: exact keys and places', () => {
  it('adds ids and places to a story stored before they existed, and replaces them', () => {
    const withIds = applyStoryUpdate(story, { event: { ids: ['urn:a'], places: ['Saint-Denis'] } }, now);
    expect(withIds.event).toEqual({ ...story.event, ids: ['urn:a'], places: ['Saint-Denis'] });
    expect(applyStoryUpdate(withIds, { event: { ids: ['urn:b'] } }, now).event.ids).toEqual(['urn:b']);
  });
  it('refuses an empty id with the field named', () => {
    expect(() => applyStoryUpdate(story, { event: { ids: [''] } }, now)).toThrow(/event\.ids\.0/);
  });
});

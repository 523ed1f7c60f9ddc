import type { PhotoMetadata, Story } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_OPTIONS, matchPhoto } from '../src/index.js';

const story = (overrides: Partial<Story> & { event?: Partial<Story['event']> } = {}): Story => ({
  id: 'st_closing',
  slug: 'paris-2024-closing-ceremony',
  headline: 'Paris Olympics end with star-studded closing ceremony',
  status: 'open',
  createdAt: '',
  updatedAt: '',
  keywords: ['olympics', 'closing ceremony'],
  ...overrides,
  event: {
    name: 'Paris 2024 Olympics closing ceremony',
    aliases: ['2024 Summer Olympics closing ceremony'],
    venue: 'Stade de France',
    city: 'Saint-Denis',
    country: 'France',
    start: '2024-08-11T21:00:00+02:00',
    end: '2024-08-12T00:30:00+02:00',
    ...overrides.event,
  },
});

const photo = (p: Partial<PhotoMetadata>): PhotoMetadata => ({ keywords: [], ...p });

const superBowl = story({
  id: 'st_sb',
  slug: 'super-bowl-lix',
  headline: 'Eagles win Super Bowl LIX',
  keywords: ['nfl', 'super bowl'],
  event: {
    name: 'Super Bowl LIX',
    aliases: [],
    venue: 'Caesars Superdome',
    city: 'New Orleans',
    country: 'United States',
    start: '2025-02-09T17:30:00-06:00',
    end: '2025-02-09T21:30:00-06:00',
  },
});

describe('matchPhoto', () => {
  it('matches the agency typo caption to the Stade de France story', () => {
    const out = matchPhoto(
      photo({
        caption:
          'Tom Cruise is lowered on the State de France during the 2024 Summer Olympics closing ceremony, Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/Natacha Pisarenko)',
        dateCreated: '2024-08-11T23:15:48+02:00',
        city: 'Saint-Denis',
      }),
      [story()],
    );
    expect(out.decision).toBe('matched');
    expect(out.storyId).toBe('st_closing');
    expect(out.reasons.join('\n')).toMatch(/venue: "Stade de France" ~ "state de france"/);
  });

  it('uses the photo offset: Monday 00:20 CEST is inside a Sunday-evening event', () => {
    const out = matchPhoto(
      photo({
        caption: 'Fireworks explode during the 2024 Summer Olympics closing ceremony, Monday, Aug. 12, 2024',
        dateCreated: '2024-08-12T00:20:00+02:00',
      }),
      [story()],
    );
    expect(out.decision).toBe('matched');
    expect(out.reasons.join('\n')).toMatch(/within the event/);
  });

  it('reads a zone-less time in the story zone and says so', () => {
    const out = matchPhoto(
      photo({
        caption: 'during the 2024 Summer Olympics closing ceremony',
        dateCreated: '2024-08-11T22:00:00',
      }),
      [story()],
    );
    expect(out.decision).toBe('matched');
    expect(out.reasons.join('\n')).toMatch(/no zone; assumed the story's zone \(\+02:00\)/);
  });

  it('does not consider photos far outside the window', () => {
    const out = matchPhoto(
      photo({
        caption: 'during the 2024 Summer Olympics closing ceremony',
        dateCreated: '2024-08-10T09:00:00+02:00',
      }),
      [story()],
    );
    expect(out).toMatchObject({ decision: 'unmatched', storyId: null, candidates: [] });
  });

  it('never auto-matches a same-city, same-day street scene without event evidence', () => {
    const out = matchPhoto(
      photo({
        caption: 'People walk along Bourbon Street on Sunday, Feb. 9, 2025, in New Orleans.',
        dateCreated: '2025-02-09T18:00:00-06:00',
        city: 'New Orleans',
        country: 'United States',
      }),
      [superBowl],
    );
    expect(out.decision).not.toBe('matched');
    expect(out.score).toBeLessThan(DEFAULT_MATCH_OPTIONS.autoThreshold);
  });

  it('matches roman and arabic numerals: Super Bowl 59 = Super Bowl LIX', () => {
    const out = matchPhoto(
      photo({
        caption: 'Philadelphia Eagles quarterback Jalen Hurts celebrates after Super Bowl 59',
        dateCreated: '2025-02-09T21:10:00-06:00',
        city: 'New Orleans',
      }),
      [superBowl],
    );
    expect(out.decision).toBe('matched');
  });

  it('sends near-ties between two stories to review', () => {
    const twin = story({ id: 'st_twin', slug: 'closing-ceremony-live' });
    const out = matchPhoto(
      photo({
        caption: 'during the 2024 Summer Olympics closing ceremony at the Stade de France',
        dateCreated: '2024-08-11T22:00:00+02:00',
      }),
      [story(), twin],
    );
    expect(out.decision).toBe('review');
    expect(out.reasons[0]).toMatch(/^ambiguous/);
  });

  it('picks the right one of several open stories and lists candidates', () => {
    const out = matchPhoto(
      photo({
        caption: 'Jalen Hurts during Super Bowl LIX at the Caesars Superdome',
        dateCreated: '2025-02-09T19:00:00-06:00',
      }),
      [story(), superBowl],
    );
    expect(out.storyId).toBe('st_sb');
    expect(out.candidates.map((c) => c.storyId)).toEqual(['st_sb']);
  });

  it('sends late photos for a closed story to review, never into its final gallery', () => {
    const out = matchPhoto(
      photo({ caption: '2024 Summer Olympics closing ceremony', dateCreated: '2024-08-11T22:00:00+02:00' }),
      [story({ status: 'closed' })],
    );
    expect(out.decision).toBe('review');
    expect(out.reasons.join('\n')).toMatch(/story is closed/);
  });

  it('a photo without a date can reach review but not matched on the event name alone', () => {
    const out = matchPhoto(
      photo({ caption: 'Scenes from the 2024 Summer Olympics closing ceremony at the Stade de France' }),
      [story()],
    );
    expect(out.decision).toBe('review');
  });
});

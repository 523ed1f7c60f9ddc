import { readFile } from 'node:fs/promises';
import type { Story } from '@lightbox/contracts';
import { REPO_ROOT } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import {
  datelinePlaces,
  deletions,
  evaluate,
  type LabelledPhoto,
  matchPhoto,
  StoryIndex,
  stem,
  tokenize,
} from '../src/index.js';

const story = (
  id: string,
  name: string,
  start: string,
  end: string,
  extra: Partial<Story['event']> = {},
): Story => ({
  id,
  slug: id.replace(/_/g, '-'),
  headline: name,
  status: 'open',
  createdAt: '',
  updatedAt: '',
  event: { name, start, end, ...extra },
});

describe('StoryIndex', () => {
  it('finds stories by word (and one-typo variants) only on the days their window covers', () => {
    const index = new StoryIndex(6 * 3600_000);
    index.upsert(
      story('st_a', 'Stade de France closing ceremony', '2024-08-11T19:00:00Z', '2024-08-11T22:30:00Z'),
    );
    index.upsert(story('st_b', 'Cincinnati Open', '2024-08-12T15:00:00Z', '2024-08-19T23:00:00Z'));
    const aug11: [number, number] = [Date.parse('2024-08-11T18:00:00Z'), Date.parse('2024-08-11T23:00:00Z')];
    expect([...index.sharingWords(['ceremony'], aug11)]).toEqual(['st_a']);
    expect([...index.sharingWords(['ceremoni'], aug11)]).toEqual(['st_a']); // one edit
    expect([...index.sharingWords(['cincinnati'], aug11)]).toEqual([]); // not on that day
    expect([...index.sharingWords(['cincinnati'])]).toEqual(['st_b']); // no time: any day
    index.remove('st_a');
    expect([...index.sharingWords(['ceremony'], aug11)]).toEqual([]);
  });

  it('weighs name words by how many stories share them', () => {
    const index = new StoryIndex(0);
    for (let i = 0; i < 20; i++)
      index.upsert(story(`st_${i}`, `Olympic sport ${i}`, '2024-08-11T10:00:00Z', '2024-08-11T12:00:00Z'));
    index.upsert(story('st_x', 'Olympic closing ceremony', '2024-08-11T19:00:00Z', '2024-08-11T22:00:00Z'));
    expect(index.nameIdf('closing')).toBe(1);
    expect(index.nameIdf('olympic')).toBeLessThan(0.5);
  });

  it('typo keys are deletions', () => {
    expect(deletions('stade')).toEqual(['tade', 'sade', 'stde', 'stae', 'stad']);
  });
});

describe('text', () => {
  it('stems plurals the same way on both sides', () => {
    expect(stem('wildfires')).toBe('wildfire');
    expect(stem('olympics')).toBe('olympic');
    expect(stem('glass')).toBe('glass');
    expect(tokenize('Wildfires near Athens')).toEqual(['wildfire', 'near', 'athen']);
  });
  it('reads places from datelines', () => {
    expect(datelinePlaces('Fans cheer, Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/X)')).toEqual(
      ['saint', 'denis', 'france'],
    );
    expect(datelinePlaces('CINCINNATI, UNITED STATES - AUGUST 13: A storm')).toEqual([
      'cincinnati',
      'united',
      'state',
    ]);
  });
});

describe('rules that protect precision', () => {
  const sb = story('st_sb', 'Super Bowl LIX', '2025-02-09T17:30:00-06:00', '2025-02-09T21:30:00-06:00', {
    city: 'New Orleans',
    country: 'United States',
  });
  it('a "Super Bowl Sunday" street scene before kickoff is not the game', () => {
    const out = matchPhoto(
      {
        caption: 'People walk along Bourbon Street on Super Bowl Sunday, in New Orleans, La.',
        objectName: 'Super Bowl Sunday',
        dateCreated: '2025-02-09T15:00:00-06:00',
        city: 'New Orleans',
        keywords: [],
      },
      [sb],
    );
    expect(out.decision).toBe('review');
  });
  it('a place that is part of an event name is no evidence on its own', () => {
    const open = story('st_c', 'Cincinnati Open', '2024-08-12T11:00:00-04:00', '2024-08-19T22:00:00-04:00', {
      city: 'Mason',
      country: 'United States',
    });
    const storm = matchPhoto(
      {
        caption: 'A storm rolls over Cincinnati, Tuesday, Aug. 13, 2024, in Cincinnati, Ohio.',
        dateCreated: '2024-08-13T17:00:00-04:00',
        keywords: [],
      },
      [open],
    );
    expect(storm.decision).not.toBe('matched');
    const match = matchPhoto(
      {
        caption:
          'Jannik Sinner returns a shot during the Cincinnati Open tennis tournament, Tuesday, Aug. 13, 2024, in Mason, Ohio.',
        dateCreated: '2024-08-13T14:00:00-04:00',
        city: 'Mason',
        keywords: [],
      },
      [open],
    );
    expect(match.decision).toBe('matched');
  });
  it('an event watched on a screen elsewhere goes to an editor', () => {
    const final = story(
      'st_f',
      "Olympic women's basketball final",
      '2024-08-11T15:30:00+02:00',
      '2024-08-11T17:45:00+02:00',
      { city: 'Paris', venue: 'Bercy Arena' },
    );
    const out = matchPhoto(
      {
        caption: 'Spectators watch the basketball final on a giant screen at a fan zone, in Paris, France.',
        dateCreated: '2024-08-11T16:30:00+02:00',
        city: 'Paris',
        keywords: [],
      },
      [final],
    );
    expect(out.decision).toBe('review');
    expect(out.reasons.join('\n')).toMatch(/being watched/);
  });
});

describe('the labelled corpus (bench/matching/corpus.json)', async () => {
  const corpus = JSON.parse(await readFile(`${REPO_ROOT}/bench/matching/corpus.json`, 'utf8')) as {
    stories: Story[];
    photos: LabelledPhoto[];
  };
  const e = evaluate(
    corpus.stories.map((s) => ({ ...s, status: s.status ?? 'open', createdAt: '', updatedAt: '' })),
    corpus.photos,
  );
  it('is at least 200 photos across at least 6 stories, from the seed article on', () => {
    expect(corpus.photos.length).toBeGreaterThanOrEqual(200);
    expect(corpus.stories.length).toBeGreaterThanOrEqual(6);
    expect(corpus.photos.filter((p) => p.id.startsWith('seed-') && p.label === 'st_closing')).toHaveLength(
      16,
    );
  });
  it('meets the targets: precision ≥ 0.99, recall ≥ 0.95, no silent misses', () => {
    expect(e.precision).toBeGreaterThanOrEqual(0.99);
    expect(e.recall).toBeGreaterThanOrEqual(0.95);
    expect(e.silentMisses).toBe(0);
  });
  it('sends every photo of a closed or unknown event to an editor', () => {
    expect(e.reviewExpected).toBeGreaterThanOrEqual(9);
    expect(e.reviewExpectedMet).toBe(e.reviewExpected);
  });
});

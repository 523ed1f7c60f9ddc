import type { PhotoMetadata, Story } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MATCH_OPTIONS,
  EVENT_SIGNAL_MIN,
  keyScheme,
  matchPhoto,
  photoKeys,
  TEXT_SIGNAL_MIN,
} from '../src/index.js';

const story = (
  id: string,
  event: Partial<Story['event']> & { name: string },
  extra: Partial<Story> = {},
): Story => ({
  id,
  slug: id.replace(/_/g, '-'),
  headline: event.name,
  status: 'open',
  createdAt: '',
  updatedAt: '',
  ...extra,
  event: { start: '2024-12-31T20:00:00+00:00', end: '2025-01-01T01:30:00+00:00', ...event },
});
const photo = (p: Partial<PhotoMetadata>): PhotoMetadata => ({ keywords: [], ...p });

const londonNye = story(
  'st_nye_london',
  {
    name: "New Year's Eve in London",
    aliases: ['London New Year fireworks'],
    city: 'London',
    country: 'United Kingdom',
    ids: ['urn:newsml:ap.org:20241231:event:nye-london', 'LON-NYE-24'],
  },
  { headline: 'London sees in 2025 with fireworks over the Thames', keywords: ['New Year', 'fireworks'] },
);

describe('exact keys before heuristics', () => {
  it('an XMP EventId on the story matches with score 1 and names the key, whatever the caption says', () => {
    const out = matchPhoto(
      photo({
        caption: 'A reveller in a party hat. (AP Photo/Kin Cheung)',
        eventIds: ['urn:newsml:ap.org:20241231:event:nye-london'],
        dateCreated: '2024-12-30T09:00:00+00:00', // days before: keys do not look at the clock
      }),
      [londonNye],
    );
    expect(out).toMatchObject({ decision: 'matched', storyId: 'st_nye_london', score: 1 });
    expect(out.reasons).toEqual([
      `exact key: the photo's event id "urn:newsml:ap.org:20241231:event:nye-london" is one of st_nye_london's event ids`,
    ]);
    expect(out.candidates).toEqual([{ storyId: 'st_nye_london', score: 1, reasons: out.reasons }]);
  });

  it('the agency job id (IIM 2:103) and the picture guid (AP-style associations) are keys too', () => {
    const job = matchPhoto(photo({ transmissionReference: ' lon-nye-24 ' }), [londonNye]);
    expect(job).toMatchObject({ decision: 'matched', score: 1 });
    expect(job.reasons[0]).toMatch(/job id "lon-nye-24"/);
    const withPicture = story('st_text', { name: 'Fed holds rates', ids: ['tag:ap.org:2024:pic:a1b2c3'] });
    const guid = matchPhoto(photo({ guid: 'tag:ap.org:2024:pic:a1b2c3', caption: 'File photo' }), [
      withPicture,
    ]);
    expect(guid).toMatchObject({ decision: 'matched', storyId: 'st_text' });
    expect(guid.reasons[0]).toMatch(/picture guid "tag:ap.org:2024:pic:a1b2c3"/);
  });

  it('a key wins over a contradicting place', () => {
    const out = matchPhoto(
      photo({
        city: 'Paris',
        country: 'France',
        caption: "New Year's Eve fireworks",
        eventIds: ['LON-NYE-24'],
      }),
      [londonNye],
    );
    expect(out.decision).toBe('matched');
  });

  it('a key that names a closed story goes to review with that reason', () => {
    const out = matchPhoto(photo({ eventIds: ['lon-nye-24'] }), [{ ...londonNye, status: 'closed' }]);
    expect(out).toMatchObject({ decision: 'review', storyId: 'st_nye_london', score: 1 });
    expect(out.reasons[0]).toMatch(/names st_nye_london, which is closed/);
  });

  it('a key on two stories goes to review, the open one first', () => {
    const closedTwin = story('st_a_old', { name: 'Old', ids: ['LON-NYE-24'] }, { status: 'closed' });
    const out = matchPhoto(photo({ eventIds: ['LON-NYE-24'] }), [closedTwin, londonNye]);
    expect(out).toMatchObject({ decision: 'review', storyId: 'st_nye_london' });
    expect(out.reasons[0]).toBe("ambiguous exact key: the photo's keys are on st_nye_london, st_a_old");
  });

  const londonCaption = photo({
    caption:
      "Fireworks explode over the London Eye during New Year's Eve celebrations, Wednesday, Jan. 1, 2025, in London, England. (AP Photo/Alberto Pezzali)",
    city: 'London',
    country: 'United Kingdom',
    countryCode: 'GBR',
    dateCreated: '2025-01-01T00:01:00+00:00',
  });

  it('heuristics alone match the London caption (the baseline for the next cases)', () => {
    expect(matchPhoto(londonCaption, [londonNye]).decision).toBe('matched');
  });

  it('an event id no story carries, of a vocabulary stories use (an unknown event), is never auto-matched', () => {
    const out = matchPhoto(
      { ...londonCaption, eventIds: ['urn:newsml:ap.org:20241231:event:nye-london-fan-zone'] },
      [londonNye],
    );
    expect(out).toMatchObject({ decision: 'review', storyId: 'st_nye_london' });
    expect(out.reasons[0]).toBe(
      `exact key: the photo's event id "urn:newsml:ap.org:20241231:event:nye-london-fan-zone" is on no story, though stories carry urn:newsml:ap.org ids (an unknown event): needs an editor`,
    );
  });

  it("an event id of a vocabulary no story uses says nothing (Getty's event ids on a sidecar): heuristics decide", () => {
    expect(matchPhoto({ ...londonCaption, eventIds: ['gyimeid:104530187'] }, [londonNye]).decision).toBe(
      'matched',
    );
    const gettyStory = {
      ...londonNye,
      id: 'st_other',
      slug: 'other',
      event: { ...londonNye.event, ids: ['gyimeid:1'] },
    };
    const other = story('st_unrelated', {
      name: 'Unrelated',
      start: '2020-01-01T00:00:00Z',
      end: '2020-01-01T01:00:00Z',
      ids: ['gyimeid:2'],
    });
    expect(
      matchPhoto({ ...londonCaption, eventIds: ['gyimeid:104530187'] }, [gettyStory, other]).decision,
    ).toBe('review');
  });

  it('an unknown event id with no candidate stays unmatched, its key in the reasons', () => {
    const out = matchPhoto(photo({ caption: 'A cat', eventIds: ['urn:newsml:ap.org:x'] }), [londonNye]);
    expect(out.decision).toBe('unmatched');
    expect(out.reasons.at(-1)).toMatch(/event id "urn:newsml:ap.org:x" is on no story/);
  });

  it.each([
    ['gyimeid:104530187', 'gyimeid'],
    ['urn:newsml:ap.org:20241231:event:nye-london', 'urn:newsml:ap.org'],
    ['urn:event:berlin-marathon-2024', 'urn:event'],
    ['https://events.ap.org/e/42?x=1', 'events.ap.org'],
    ['tag:ap.org,2024:pic:a1', 'tag:ap.org'],
    ['LON-NYE-24', undefined],
    [':odd', undefined],
  ])('the vocabulary of %s is %s', (key, scheme) => {
    expect(keyScheme(key)).toBe(scheme);
  });

  it('an unknown job id or guid is not an unknown event: heuristics decide', () => {
    const out = matchPhoto({ ...londonCaption, transmissionReference: 'XYZ1', guid: 'tag:x' }, [londonNye]);
    expect(out.decision).toBe('matched');
  });

  it('photoKeys lists event ids, job id and guid once each', () => {
    expect(photoKeys({ eventIds: ['a', 'A '], transmissionReference: 'j', guid: 'a' })).toEqual([
      { kind: 'event id', value: 'a' },
      { kind: 'job id', value: 'j' },
    ]);
  });
});

describe('a place that contradicts vetoes', () => {
  const parisFireworks = photo({
    caption:
      "Fireworks light up the sky around the Eiffel Tower during New Year's Eve celebrations, Wednesday, Jan. 1, 2025, in Paris, France. (AP Photo/Thibault Camus)",
    headline: "New Year's Eve fireworks",
    city: 'Paris',
    country: 'France',
    countryCode: 'FRA',
    dateCreated: '2024-12-31T23:59:00+00:00', // the same hour as London's
    keywords: ['New Year', 'fireworks'],
  });

  it("another country's New Year's Eve fireworks are never auto-matched; the contradiction is the first reason", () => {
    const out = matchPhoto(parisFireworks, [londonNye]);
    expect(out.decision).toBe('review');
    expect(out.score).toBeLessThan(DEFAULT_MATCH_OPTIONS.autoThreshold);
    expect(out.reasons[0]).toBe(
      'place contradicts: the photo is in Paris, France, the story in London, United Kingdom: never auto-matched',
    );
  });

  it('with a story in each city, each photo goes to its own', () => {
    const parisNye = story('st_nye_paris', {
      name: "New Year's Eve in Paris",
      city: 'Paris',
      country: 'France',
      start: '2024-12-31T22:00:00+01:00',
      end: '2025-01-01T02:00:00+01:00',
    });
    expect(matchPhoto(parisFireworks, [londonNye, parisNye])).toMatchObject({
      decision: 'matched',
      storyId: 'st_nye_paris',
    });
  });

  it('a dateline alone (no location fields) is enough to contradict', () => {
    const out = matchPhoto(
      photo({
        caption:
          "Fireworks explode over the Brandenburg Gate during New Year's Eve celebrations in Berlin, Germany, January 1, 2025. REUTERS/Lisi Niesner",
        dateCreated: '2025-01-01T00:00:00+01:00',
      }),
      [londonNye],
    );
    expect(out.decision).toBe('review');
    expect(out.reasons[0]).toMatch(/photo is in Berlin, Germany, the story in London/);
  });

  it('another city of the same country contradicts (a protest in Lyon is not the Paris protest)', () => {
    const parisProtest = story('st_protest', {
      name: 'Pension reform protest',
      city: 'Paris',
      country: 'France',
      start: '2023-03-23T10:00:00+01:00',
      end: '2023-03-23T20:00:00+01:00',
    });
    const out = matchPhoto(
      photo({
        caption:
          'Protesters march during a pension reform protest in Lyon, France, March 23, 2023. REUTERS/Stephane Mahe',
        city: 'Lyon',
        country: 'France',
        dateCreated: '2023-03-23T15:00:00+01:00',
      }),
      [parisProtest],
    );
    expect(out.decision).toBe('review');
    expect(out.reasons[0]).toMatch(/photo is in Lyon, France, the story in Paris, France/);
  });

  it('districts and suburbs are the same place: Hollywood for Los Angeles, Krasnaya Polyana for Sochi', () => {
    const oscars = story('st_oscars', {
      name: '97th Academy Awards',
      aliases: ['Oscars'],
      venue: 'Dolby Theatre',
      city: 'Los Angeles',
      country: 'United States',
      start: '2025-03-02T16:00:00-08:00',
      end: '2025-03-02T21:00:00-08:00',
    });
    expect(
      matchPhoto(
        photo({
          caption: 'Zoe Saldana arrives at the Oscars on Sunday, March 2, 2025, in Hollywood, Calif.',
          city: 'Hollywood',
          country: 'United States',
          dateCreated: '2025-03-02T16:30:00-08:00',
        }),
        [oscars],
      ).decision,
    ).toBe('matched');
    const slalom = story('st_slalom', {
      name: "Men's slalom",
      aliases: ['Sochi Olympics slalom'],
      city: 'Sochi',
      country: 'Russia',
      start: '2014-02-22T16:45:00+04:00',
      end: '2014-02-22T21:00:00+04:00',
    });
    expect(
      matchPhoto(
        photo({
          caption:
            "Mario Matt competes in the men's slalom at the Sochi Olympics, in Krasnaya Polyana, Russia.",
          city: 'Krasnaya Polyana',
          countryCode: 'RUS',
          dateCreated: '2014-02-22T17:30:00+04:00',
        }),
        [slalom],
      ).decision,
    ).toBe('matched');
  });

  it("the story's own place list counts as its place", () => {
    const fire = story('st_fire', {
      name: 'Attica wildfire',
      city: 'Varnavas',
      country: 'Greece',
      places: ['Dione'],
      start: '2024-08-11T15:00:00+03:00',
      end: '2024-08-13T20:00:00+03:00',
    });
    const out = matchPhoto(
      photo({
        caption:
          'A firefighter battles the Attica wildfire in Dione, Greece, August 12, 2024. REUTERS/Alkis Konstantinidis',
        city: 'Dione',
        country: 'Greece',
        dateCreated: '2024-08-12T13:00:00+03:00',
      }),
      [fire],
    );
    expect(out.decision).toBe('matched');
    expect(out.reasons.join('\n')).toMatch(/place: Dione lies within the story's place/);
  });

  it('the venue agreeing overrides a contradicting city field', () => {
    const final = story('st_final', {
      name: 'Champions League final',
      venue: 'Allianz Arena',
      city: 'Munich',
      country: 'Germany',
      start: '2025-05-31T21:00:00+02:00',
      end: '2025-05-31T23:30:00+02:00',
    });
    const out = matchPhoto(
      photo({
        caption: "PSG's Desire Doue scores during the Champions League final at the Allianz Arena.",
        city: 'Paris', // the photographer's home base, a common metadata mistake
        country: 'France',
        dateCreated: '2025-05-31T21:40:00+02:00',
      }),
      [final],
    );
    expect(out.decision).toBe('matched');
  });

  it('a generic event name with no place to confirm it is never auto-matched', () => {
    const out = matchPhoto(
      photo({
        caption: "New Year's Eve fireworks light up the sky.",
        dateCreated: '2025-01-01T00:00:00+00:00',
      }),
      [londonNye],
    );
    expect(out.decision).toBe('review');
    expect(out.reasons.join('\n')).toMatch(/name is generic/);
  });

  it('a generic name where the place agrees is matched', () => {
    const out = matchPhoto(
      photo({
        caption: "Fireworks over Big Ben on New Year's Eve, in Westminster, London.",
        sublocation: 'Westminster',
        city: 'London',
        dateCreated: '2025-01-01T00:00:30+00:00',
      }),
      [londonNye],
    );
    expect(out.decision).toBe('matched');
  });
});

describe('review worth reading', () => {
  const fire = story(
    'st_chicago_fire',
    {
      name: 'Chicago Fire vs Columbus Crew',
      venue: 'Soldier Field',
      city: 'Chicago',
      country: 'United States',
      start: '2025-06-14T19:30:00-05:00',
      end: '2025-06-14T21:30:00-05:00',
    },
    { headline: 'Chicago Fire host Columbus Crew at Soldier Field' },
  );

  it('a same-city street scene with no event link is unmatched, not review, and shows no filler', () => {
    const out = matchPhoto(
      photo({
        caption:
          'People walk along the Riverwalk in Chicago, Saturday, June 14, 2025. (AP Photo/Erin Hooley)',
        city: 'Chicago',
        country: 'United States',
        dateCreated: '2025-06-14T20:00:00-05:00',
      }),
      [fire],
    );
    expect(out.decision).toBe('unmatched');
    expect(out.storyId).toBeNull();
    expect(out.reasons[0]).toMatch(/^no real candidate: the best, st_chicago_fire, scored 0\.\d+/);
    expect(out.reasons.join('\n')).not.toMatch(/event: |text: /);
    expect(out.candidates.map((c) => c.storyId)).toEqual(['st_chicago_fire']); // still findable
  });

  it('a fired event signal is a real candidate: review', () => {
    const out = matchPhoto(
      photo({
        caption: 'Fans outside before the Chicago Fire match against the Columbus Crew, in Chicago.',
        city: 'Chicago',
        dateCreated: '2025-06-14T15:00:00-05:00', // hours before: outside the window
      }),
      [fire],
    );
    expect(out.decision).toBe('review');
    expect(out.reasons.join('\n')).toMatch(/event: "Chicago Fire vs Columbus Crew"/);
  });

  it('reasons list only signals that fired', () => {
    const out = matchPhoto(
      photo({
        caption: 'Fans outside before the Chicago Fire match against the Columbus Crew, in Chicago.',
        city: 'Chicago',
        dateCreated: '2025-06-14T15:00:00-05:00',
      }),
      [fire],
    );
    for (const r of out.candidates.flatMap((c) => c.reasons)) {
      const m = r.match(/^(event|text): .*\((\d\.\d\d)\)$|^text: caption similarity (\d\.\d\d)$/);
      if (m?.[1] === 'event') expect(Number(m[2])).toBeGreaterThanOrEqual(EVENT_SIGNAL_MIN);
      if (m?.[3]) expect(Number(m[3])).toBeGreaterThanOrEqual(TEXT_SIGNAL_MIN);
    }
  });

  it('a place word is not an event signal: a storm over Cincinnati is not the Cincinnati Open', () => {
    const open = story('st_c', {
      name: 'Cincinnati Open',
      city: 'Mason',
      country: 'United States',
      start: '2024-08-12T11:00:00-04:00',
      end: '2024-08-19T22:00:00-04:00',
    });
    const out = matchPhoto(
      photo({
        caption: 'A storm rolls over Cincinnati, Tuesday, Aug. 13, 2024, in Cincinnati, Ohio.',
        city: 'Cincinnati',
        dateCreated: '2024-08-13T17:00:00-04:00',
      }),
      [open],
    );
    expect(out.decision).toBe('unmatched');
  });

  it('a venue that is only the story city is no venue signal', () => {
    const party = story('st_party', {
      name: 'LA28 handover party',
      venue: 'Long Beach',
      city: 'Long Beach',
      country: 'United States',
      start: '2024-08-11T10:00:00-07:00',
      end: '2024-08-11T16:00:00-07:00',
    });
    const out = matchPhoto(
      photo({
        caption: 'A woman walks her dog on the beach, Sunday, Aug. 11, 2024, in Long Beach, Calif.',
        city: 'Long Beach',
        dateCreated: '2024-08-11T08:00:00-07:00',
      }),
      [party],
    );
    expect(out.decision).toBe('unmatched');
  });
});

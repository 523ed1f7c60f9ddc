/**
 * Desk cases of the matching corpus: generic events (New Year's Eve, a marathon, election night,
 * a protest) happening in several places at once, exact keys (event ids, job ids, the pictures a
 * story links to), and keys or stories that name closed or unknown events. Appended after the
 * original corpus, so its photos stay as they were. The distractors are in desk-distractors.ts.
 */
import type { EventSpec } from './corpus-spec.js';

export const NYE_LONDON_ID = 'urn:newsml:ap.org:20241231:event:nye-london';
export const NYE_HONG_KONG_ID = 'urn:newsml:afp.com:20241231:event:nye-hong-kong';
export const BERLIN_MARATHON_JOB = 'BER102';
/** Of AP's vocabulary, which the London story uses: an event the desk does not know. */
export const UNKNOWN_EVENT_ID = 'urn:newsml:ap.org:20241231:event:nye-london-fan-zone';
/** Of Getty's vocabulary, which no story uses: it says nothing. */
export const FOREIGN_EVENT_ID = 'gyimeid:775501234';
/** Pictures the election-night story links to (AP-style associations), file photos among them. */
export const ELECTION_PICTURES = [
  'tag:ap.org:2019:pic:harris-des-moines-1',
  'tag:ap.org:2019:pic:harris-des-moines-2',
];

export const NYE_PHRASES = [
  "New Year's Eve celebrations",
  'the New Year celebrations',
  "New Year's Eve fireworks celebrations",
  "the New Year's Eve fireworks display",
];
const NYE_SLUGS = (country: string) => ({
  ap: `${country} New Year`,
  reuters: `NEWYEAR-${country.toUpperCase()}/`,
  getty: `New Year's Eve Celebrations Around The World`,
  epa: `${country} New Year`,
  afp: `${country.toUpperCase()}-NEW YEAR`,
});

export const DESK_EVENTS: EventSpec[] = [
  {
    story: {
      id: 'st_nye_london',
      slug: 'new-years-eve-london',
      headline: 'London sees in 2025 with fireworks over the Thames',
      event: {
        name: "New Year's Eve in London",
        aliases: ['London New Year fireworks'],
        city: 'London',
        country: 'United Kingdom',
        start: '2024-12-31T20:00:00+00:00',
        end: '2025-01-01T01:30:00+00:00',
        ids: [NYE_LONDON_ID],
      },
      keywords: ['New Year', 'fireworks'],
    },
    phrases: NYE_PHRASES,
    venue: 'the London Eye',
    city: 'London',
    region: 'England',
    country: 'United Kingdom',
    countryCode: 'GBR',
    offset: '+00:00',
    subjects: [
      'Fireworks explode over the River Thames',
      'Revellers celebrate on Westminster Bridge',
      'Fireworks light up the sky over Big Ben',
      'People gather on the Victoria Embankment',
    ],
    slugs: NYE_SLUGS('Britain'),
    keywords: ['New Year', 'Fireworks'],
    count: 14,
  },
  {
    story: {
      id: 'st_nye_sydney',
      slug: 'new-years-eve-sydney',
      headline: 'Sydney welcomes 2025 with fireworks over the Harbour Bridge',
      event: {
        name: "New Year's Eve in Sydney",
        city: 'Sydney',
        country: 'Australia',
        start: '2024-12-31T18:00:00+11:00',
        end: '2025-01-01T01:30:00+11:00',
        ids: ['urn:newsml:reuters.com:20241231:event:nye-sydney'],
      },
      keywords: ['New Year', 'fireworks'],
    },
    phrases: NYE_PHRASES,
    venue: 'Sydney Harbour',
    city: 'Sydney',
    region: 'New South Wales',
    country: 'Australia',
    countryCode: 'AUS',
    offset: '+11:00',
    subjects: [
      'Fireworks explode over the Sydney Harbour Bridge',
      'Fireworks light up the Opera House',
      'Spectators gather at Circular Quay',
    ],
    slugs: NYE_SLUGS('Australia'),
    keywords: ['New Year', 'Fireworks'],
    count: 12,
  },
  {
    story: {
      id: 'st_berlin_marathon',
      slug: 'berlin-marathon-2024',
      headline: 'Mengesha and Ketema win the 50th Berlin Marathon',
      event: {
        name: 'Berlin Marathon',
        city: 'Berlin',
        country: 'Germany',
        start: '2024-09-29T09:00:00+02:00',
        end: '2024-09-29T14:00:00+02:00',
        ids: ['urn:event:berlin-marathon-2024', BERLIN_MARATHON_JOB],
      },
      keywords: ['athletics', 'marathon'],
    },
    phrases: ['the Berlin Marathon', 'the 50th Berlin Marathon', 'the BMW Berlin Marathon'],
    venue: 'the Brandenburg Gate',
    city: 'Berlin',
    region: '',
    country: 'Germany',
    countryCode: 'DEU',
    offset: '+02:00',
    subjects: [
      'Runners pass the Victory Column',
      "Ethiopia's Milkesa Mengesha crosses the finish line",
      "Ethiopia's Tigist Ketema celebrates",
      'Runners start the race',
    ],
    slugs: {
      ap: 'Germany Berlin Marathon',
      reuters: 'ATHLETICS-MARATHON-BERLIN/',
      getty: 'BMW Berlin Marathon 2024',
      epa: 'Germany Athletics Berlin Marathon',
      afp: 'ATHLETICS-GER-MARATHON',
    },
    keywords: ['Athletics', 'Marathon'],
    count: 12,
  },
  {
    story: {
      id: 'st_election_night',
      slug: 'harris-election-night-howard',
      headline: 'Harris supporters gather at Howard University as results come in',
      event: {
        name: 'Harris election night watch party',
        aliases: ['Harris election night rally'],
        venue: 'Howard University',
        city: 'Washington',
        country: 'United States',
        start: '2024-11-05T18:00:00-05:00',
        end: '2024-11-06T02:00:00-05:00',
        ids: ELECTION_PICTURES,
      },
      keywords: ['Election 2024', 'Kamala Harris'],
    },
    phrases: [
      'an election night campaign watch party for Democratic presidential nominee Vice President Kamala Harris',
      "Kamala Harris' election night watch party",
      'the Harris election night watch party',
    ],
    venue: 'Howard University',
    city: 'Washington',
    region: 'District of Columbia',
    country: 'United States',
    countryCode: 'USA',
    offset: '-05:00',
    subjects: [
      'Supporters react',
      'A supporter cries',
      'Supporters of Vice President Kamala Harris cheer',
      'People hold American flags',
    ],
    slugs: {
      ap: 'Election 2024 Harris',
      reuters: 'USA-ELECTION/HARRIS',
      getty: 'Kamala Harris Hosts Election Night Event At Howard University',
      epa: 'USA Election 2024 Harris',
      afp: 'US-VOTE-POLITICS-HARRIS',
    },
    keywords: ['Election', 'Politics'],
    count: 12,
  },
  {
    story: {
      id: 'st_pension_protest',
      slug: 'paris-pension-reform-protest',
      headline: 'Protests against pension reform turn violent in Paris',
      event: {
        name: 'Paris pension reform protest',
        aliases: ['protest against the pension reform in Paris'],
        city: 'Paris',
        country: 'France',
        start: '2023-03-23T11:00:00+01:00',
        end: '2023-03-23T20:00:00+01:00',
      },
      keywords: ['protest', 'pension reform'],
    },
    phrases: [
      'a demonstration against the pension reform',
      'the pension reform protest',
      "a protest against the government's pension reform",
      'the ninth day of nationwide strikes and protests against the pension reform',
    ],
    venue: 'Place de la Bastille',
    city: 'Paris',
    region: 'Ile-de-France',
    country: 'France',
    countryCode: 'FRA',
    offset: '+01:00',
    subjects: [
      'Protesters clash with riot police',
      'Protesters march',
      'A protester waves a flag',
      'Firefighters extinguish a burning barricade',
    ],
    slugs: {
      ap: 'France Pensions Protests',
      reuters: 'FRANCE-PENSIONS/PROTESTS',
      getty: 'Protests Against Pension Reform In France',
      epa: 'France Pension Reform Protest',
      afp: 'FRANCE-POLITICS-PENSIONS-STRIKE',
    },
    keywords: ['Protest', 'Pensions'],
    count: 12,
  },
];

/** Hong Kong's New Year's Eve story is closed: its gallery is final. */
export const CLOSED_EVENT: EventSpec = {
  story: {
    id: 'st_nye_hong_kong',
    slug: 'new-years-eve-hong-kong',
    headline: 'Hong Kong rings in 2025 with a harbour fireworks show',
    status: 'closed',
    event: {
      name: "New Year's Eve in Hong Kong",
      city: 'Hong Kong',
      country: 'Hong Kong',
      start: '2024-12-31T20:00:00+08:00',
      end: '2025-01-01T01:00:00+08:00',
      ids: [NYE_HONG_KONG_ID],
    },
    keywords: ['New Year', 'fireworks'],
  },
  phrases: NYE_PHRASES,
  venue: 'Victoria Harbour',
  city: 'Hong Kong',
  region: '',
  country: 'Hong Kong',
  countryCode: 'HKG',
  offset: '+08:00',
  subjects: ['Fireworks explode over Victoria Harbour', 'People take pictures of the fireworks'],
  slugs: NYE_SLUGS('Hong Kong'),
  keywords: ['New Year', 'Fireworks'],
  count: 0,
};

/**
 * Builds the labelled matching corpus (bench/matching/corpus.json): stories for events that
 * overlap on the same days in several cities and time zones, and photos captioned the way AP,
 * Reuters, AFP/Getty, Getty, dpa, EPA and The Canadian Press write, with typos, missing fields,
 * zone-less and UTC-stamped times, and distractors from the same places and days. It starts with
 * the 16 photos of the seed article (read from demo/wire), and ends with the desk cases
 * (desk-cases.ts): generic events in several cities at once, exact keys, closed and unknown events.
 * Deterministic: run it again to rebuild (then `npx biome format --write` the JSON).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhotoMetadata } from '@lightbox/contracts';
import { readPhotoMetadata } from '@lightbox/metadata';
import { demoPath, REPO_ROOT } from '@lightbox/test-infra';
import type { Corpus, CorpusPhoto, DistractorSpec, EventSpec, SceneSpec } from './corpus-spec.js';
import {
  BERLIN_MARATHON_JOB,
  CLOSED_EVENT,
  DESK_DISTRACTORS,
  DESK_EVENTS,
  ELECTION_PICTURES,
  FOREIGN_EVENT_ID,
  NYE_HONG_KONG_ID,
  NYE_LONDON_ID,
  UNKNOWN_EVENT_ID,
} from './desk-cases.js';

export type { Corpus, CorpusPhoto, CorpusStory } from './corpus-spec.js';

/** `--seed N` and `--hard` (more typos; stories entered with no aliases, venues or keywords) make variants for robustness checks. */
const argv = process.argv.slice(2);
const HARD = argv.includes('--hard');
const OUT = argv.includes('--out') ? (argv[argv.indexOf('--out') + 1] as string) : undefined;
let seed = argv.includes('--seed') ? Number(argv[argv.indexOf('--seed') + 1]) : 20240811;
const TYPO_RATE = HARD ? 0.35 : 0.12;
const rnd = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const chance = (p: number) => rnd() < p;

/** One typo in a word of five letters or more: swap, drop or replace a letter. */
function typo(text: string): string {
  const words = text.split(' ');
  const idx = words.map((w, i) => (w.replace(/[^A-Za-z]/g, '').length >= 5 ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) return text;
  const i = pick(idx);
  const w = words[i] as string;
  const j = 1 + Math.floor(rnd() * (w.length - 2));
  const kind = rnd();
  words[i] =
    kind < 0.4
      ? w.slice(0, j) + (w[j + 1] ?? '') + w[j] + w.slice(j + 2)
      : kind < 0.7
        ? w.slice(0, j) + w.slice(j + 1)
        : w.slice(0, j) + pick(['a', 'e', 't', 'n']) + w.slice(j + 1);
  return words.join(' ');
}

const AP = [
  'Natacha Pisarenko',
  'Martin Meissner',
  'Ashley Landis',
  'Rebecca Blackwell',
  'David Goldman',
  'Luca Bruno',
  'Morry Gash',
  'Petr David Josek',
  'Mark J. Terrill',
  'Vadim Ghirda',
  'Thanassis Stavrakis',
  'Gerald Herbert',
  'Jae C. Hong',
];
const REUTERS = [
  'Stephanie Lecocq',
  'Kai Pfaffenbach',
  'Hannah Mckay',
  'Alkis Konstantinidis',
  'Brian Snyder',
  'Mike Blake',
];
const AFP = [
  'FRANCK FIFE',
  'ANNE-CHRISTINE POUJOULAT',
  'ANGELOS TZORTZINIS',
  'PATRICK T. FALLON',
  'LOIC VENANCE',
];
const GETTY = ['Ezra Shaw', 'Maddie Meyer', 'Jamie Squire', 'Milos Bicanski', 'Kevin C. Cox'];
const DPA = ['Jan Woitas', 'Michael Kappeler', 'Sven Hoppe'];
const EPA = ['CHRISTOPHE PETIT TESSON', 'ALEXANDROS BELTES', 'CAROLINE BREHMAN', 'ROBERT GHEMENT'];

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const AP_MONTHS = [
  'Jan.',
  'Feb.',
  'March',
  'April',
  'May',
  'June',
  'July',
  'Aug.',
  'Sept.',
  'Oct.',
  'Nov.',
  'Dec.',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall clock of an instant in a fixed offset. */
function local(ms: number, offset: string) {
  const sign = offset[0] === '-' ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const d = new Date(ms + minutes * 60_000);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth(),
    d: d.getUTCDate(),
    wd: d.getUTCDay(),
    iso: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

type Style = 'ap' | 'reuters' | 'afp' | 'getty' | 'dpa' | 'epa' | 'cp';

interface Shot extends SceneSpec {
  ms: number;
  style: Style;
  slug?: string;
  keywords: string[];
  /** Event field (IPTC Extension), as Getty and some agencies fill it. */
  event?: string;
  zone: 'explicit' | 'utc' | 'unknown';
}

function caption(s: Shot): { caption: string; credit: string; byline: string; creditLine: string } {
  const l = local(s.ms, s.offset);
  const during = s.phrase ? ` during ${s.phrase}` : '';
  const at = s.venue ? ` at ${s.venue}` : '';
  const where = s.country === 'United States' ? `${s.city}, ${s.region}` : `${s.city}, ${s.country}`;
  switch (s.style) {
    case 'ap': {
      const name = pick(AP);
      return {
        caption: `${s.subject}${during}${at}, ${WEEKDAYS[l.wd]}, ${AP_MONTHS[l.mo]} ${l.d}, ${l.y}, in ${where}. (AP Photo/${name})`,
        credit: 'AP',
        byline: name,
        creditLine: `AP Photo/${name}`,
      };
    }
    case 'cp': {
      const name = pick(AP);
      return {
        caption: `${s.subject}${during}${at}, ${WEEKDAYS[l.wd]}, ${AP_MONTHS[l.mo]} ${l.d}, ${l.y}, in ${where}. THE CANADIAN PRESS/AP-${name}`,
        credit: 'THE CANADIAN PRESS',
        byline: name,
        creditLine: `THE CANADIAN PRESS/AP-${name}`,
      };
    }
    case 'reuters': {
      const name = pick(REUTERS);
      return {
        caption: `${s.subject}${during}${at}, in ${where}, ${MONTHS[l.mo]} ${l.d}, ${l.y}. REUTERS/${name}`,
        credit: 'REUTERS',
        byline: name,
        creditLine: `REUTERS/${name}`,
      };
    }
    case 'afp': {
      const name = pick(AFP);
      return {
        caption: `${s.subject}${during}${at} in ${s.city} on ${MONTHS[l.mo]} ${l.d}, ${l.y}. (Photo by ${name}/AFP via Getty Images)`,
        credit: 'AFP via Getty Images',
        byline: name,
        creditLine: `Photo by ${name}/AFP via Getty Images`,
      };
    }
    case 'getty': {
      const name = pick(GETTY);
      return {
        caption: `${s.city.toUpperCase()}, ${s.country.toUpperCase()} - ${MONTHS[l.mo]?.toUpperCase()} ${l.d}: ${s.subject}${during}${at} on ${MONTHS[l.mo]} ${l.d}, ${l.y} in ${s.city}, ${s.country}. (Photo by ${name}/Getty Images)`,
        credit: 'Getty Images',
        byline: name,
        creditLine: `Photo by ${name}/Getty Images`,
      };
    }
    case 'dpa': {
      const name = pick(DPA);
      const head = s.phrase ? `${s.phrase.replace(/^the /, '')}, ${s.venue ?? s.city}: ` : `${s.city}: `;
      return {
        caption: `${head}${s.subject}. Photo: ${name}/dpa`,
        credit: 'dpa',
        byline: name,
        creditLine: `Photo: ${name}/dpa`,
      };
    }
    case 'epa': {
      const name = pick(EPA);
      return {
        caption: `${s.subject}${during}${at} in ${where}, ${l.d} ${MONTHS[l.mo]} ${l.y}. EPA/${name}`,
        credit: 'EPA',
        byline: name,
        creditLine: `EPA/${name}`,
      };
    }
  }
}

function metadataOf(s: Shot): PhotoMetadata {
  const c = caption(s);
  const l = local(s.ms, s.offset);
  const dateCreated =
    s.zone === 'explicit'
      ? `${l.iso}${s.offset}`
      : s.zone === 'utc'
        ? `${new Date(s.ms).toISOString().slice(0, 19)}+00:00`
        : l.iso;
  const m: PhotoMetadata = {
    caption: c.caption,
    credit: c.credit,
    byline: c.byline,
    creditLine: c.creditLine,
    dateCreated,
    dateZone: s.zone === 'unknown' ? 'unknown' : 'explicit',
    city: s.style === 'reuters' || s.style === 'epa' ? s.city.toUpperCase() : s.city,
    country: s.country,
    countryCode: s.countryCode,
    keywords: s.keywords,
  };
  if (s.slug) m.objectName = s.slug;
  if (s.event) m.event = s.event;
  if (s.style === 'getty' && s.phrase) m.headline = `${s.phrase.replace(/^the /, '')}`;
  if (s.style === 'ap') m.headline = s.slug ?? undefined;
  if (!m.headline) delete m.headline;
  if (chance(0.15)) delete m.city; // sometimes only the caption says where
  return m;
}

const EVENTS: EventSpec[] = [
  {
    story: {
      id: 'st_closing',
      slug: 'paris-2024-closing-ceremony',
      headline: 'Paris Olympics end with star-studded closing ceremony at the Stade de France',
      event: {
        name: 'Paris 2024 Olympics closing ceremony',
        aliases: ['2024 Summer Olympics closing ceremony'],
        venue: 'Stade de France',
        city: 'Saint-Denis',
        country: 'France',
        start: '2024-08-11T21:00:00+02:00',
        end: '2024-08-12T00:30:00+02:00',
      },
      keywords: ['olympics', 'closing ceremony'],
    },
    phrases: [
      'the 2024 Summer Olympics closing ceremony',
      'the closing ceremony of the Paris 2024 Olympic Games',
      'the Olympic closing ceremony',
      'the closing ceremony of the Paris Olympics',
      'the Olympics closing ceremony',
    ],
    venue: 'the Stade de France',
    city: 'Saint-Denis',
    region: 'Seine-Saint-Denis',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    subjects: [
      'Tom Cruise rides a motorbike with the Olympic flag',
      'Fireworks light up the sky',
      'H.E.R. performs',
      'Athletes dance on the field',
      'Flag bearers enter the stadium',
      'The Olympic flame is extinguished',
      'Performers dressed as golden travellers dance',
      'Team USA athletes take selfies',
      'The Red Hot Chili Peppers perform',
      'IOC President Thomas Bach speaks',
      'Los Angeles Mayor Karen Bass waves the Olympic flag',
      'Billie Eilish performs on a screen',
    ],
    slugs: {
      ap: 'Paris Olympics Closing Ceremony',
      reuters: 'OLYMPICS-2024/CEREMONY-CLOSING',
      getty: 'Closing Ceremony - Olympic Games Paris 2024: Day 16',
      epa: 'France Paris 2024 Olympic Games',
      afp: 'OLY-2024-CLOSING',
    },
    keywords: ['Olympics', '2024 Summer Olympics', 'Sports'],
    count: 24,
  },
  {
    story: {
      id: 'st_wbasket',
      slug: 'olympics-womens-basketball-final',
      headline: 'US women win eighth straight Olympic basketball gold, beating France 67-66',
      event: {
        name: "Olympic women's basketball final",
        aliases: ["women's basketball gold medal game"],
        venue: 'Bercy Arena',
        city: 'Paris',
        country: 'France',
        start: '2024-08-11T15:30:00+02:00',
        end: '2024-08-11T17:45:00+02:00',
      },
      keywords: ['basketball', 'olympics'],
    },
    phrases: [
      "a women's gold medal basketball game",
      "the women's basketball final",
      "the women's basketball gold medal game at the 2024 Summer Olympics",
      "the women's final basketball match of the Paris 2024 Olympic Games",
    ],
    venue: 'Bercy Arena',
    city: 'Paris',
    region: 'Ile-de-France',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    subjects: [
      "United States' A'ja Wilson shoots",
      "France's Gabby Williams drives to the basket",
      'Breanna Stewart celebrates',
      'Kahleah Copper reacts',
      'Team USA players celebrate with the gold medal',
      "France's Marine Johannes looks on",
    ],
    slugs: {
      ap: 'Paris Olympics Basketball',
      reuters: 'OLYMPICS-2024/BASKETBALL-W-FINAL',
      getty: 'Basketball - Olympic Games Paris 2024: Day 16',
      epa: 'France Paris 2024 Olympic Games',
      afp: 'BASKETBALL-OLY-2024-PARIS',
    },
    keywords: ['Olympics', 'Basketball'],
    count: 22,
  },
  {
    story: {
      id: 'st_marathon',
      slug: 'olympics-womens-marathon',
      headline: 'Sifan Hassan wins Olympic marathon after a bruising duel',
      event: {
        name: "Olympic women's marathon",
        aliases: [],
        venue: 'Esplanade des Invalides',
        city: 'Paris',
        country: 'France',
        start: '2024-08-11T08:00:00+02:00',
        end: '2024-08-11T11:00:00+02:00',
      },
      keywords: ['athletics', 'marathon'],
    },
    phrases: [
      "the women's marathon at the 2024 Summer Olympics",
      "the women's marathon of the Paris 2024 Olympic Games",
      "the Olympic women's marathon",
      "the women's Olympic marathon",
    ],
    venue: 'the Esplanade des Invalides',
    city: 'Paris',
    region: 'Ile-de-France',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    subjects: [
      'Sifan Hassan, of the Netherlands, crosses the finish line',
      'Runners pass the Palace of Versailles',
      'Tigst Assefa, of Ethiopia, competes',
      'Spectators cheer the runners',
      'Hellen Obiri of Kenya drinks water',
    ],
    slugs: {
      ap: 'Paris Olympics Athletics',
      reuters: 'OLYMPICS-2024/ATHLETICS-W-MARATHON',
      getty: 'Athletics - Olympic Games Paris 2024: Day 16',
      epa: 'France Paris 2024 Olympic Games',
      afp: 'ATHLETICS-OLY-2024-PARIS',
    },
    keywords: ['Olympics', 'Athletics', 'Marathon'],
    count: 20,
  },
  {
    story: {
      id: 'st_handball',
      slug: 'olympics-mens-handball-final',
      headline: 'Denmark crush Germany to win Olympic handball gold',
      event: {
        name: "Olympic men's handball final",
        aliases: ["men's handball gold medal match"],
        venue: 'Pierre Mauroy Stadium',
        city: "Villeneuve-d'Ascq",
        country: 'France',
        start: '2024-08-11T13:30:00+02:00',
        end: '2024-08-11T15:30:00+02:00',
      },
      keywords: ['handball', 'olympics'],
    },
    phrases: [
      "the men's gold medal handball match between Denmark and Germany",
      "the men's handball final at the 2024 Summer Olympics",
      "the men's handball gold medal match of the Paris 2024 Olympic Games",
    ],
    venue: 'Pierre Mauroy Stadium',
    city: "Villeneuve-d'Ascq",
    region: 'Nord',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    subjects: [
      "Denmark's Mathias Gidsel celebrates",
      "Germany's Juri Knorr shoots",
      "Denmark's players celebrate with the trophy",
      "Germany's goalkeeper Andreas Wolff reacts",
      "Denmark's Niklas Landin makes a save",
    ],
    slugs: {
      ap: 'Paris Olympics Handball',
      reuters: 'OLYMPICS-2024/HANDBALL-M-FINAL',
      getty: 'Handball - Olympic Games Paris 2024: Day 16',
      epa: 'France Paris 2024 Olympic Games',
      afp: 'HANDBALL-OLY-2024-PARIS',
    },
    keywords: ['Olympics', 'Handball'],
    count: 20,
  },
  {
    story: {
      id: 'st_la28',
      slug: 'la28-handover-celebration-long-beach',
      headline: 'Los Angeles celebrates taking over the Olympic flag with a beach party',
      event: {
        name: 'LA28 Olympic handover celebration',
        aliases: ['LA28 handover party'],
        venue: 'Long Beach',
        city: 'Long Beach',
        country: 'United States',
        start: '2024-08-11T10:00:00-07:00',
        end: '2024-08-11T16:00:00-07:00',
      },
      keywords: ['LA28', 'handover'],
    },
    phrases: [
      'the LA28 Olympic handover celebration',
      'the LA28 handover party',
      'a celebration marking the Olympic flag handover to Los Angeles',
      'the LA28 Olympics handover celebration',
    ],
    venue: 'Long Beach',
    city: 'Long Beach',
    region: 'Calif.',
    country: 'United States',
    countryCode: 'USA',
    offset: '-07:00',
    subjects: [
      'Fans watch the closing ceremony on a giant screen',
      'Billie Eilish performs on the beach',
      'Snoop Dogg performs',
      'Crowds wave American flags',
      'Skateboarders perform on a ramp',
    ],
    slugs: {
      ap: 'Olympics LA28 Handover',
      reuters: 'OLYMPICS-2024/LA28',
      getty: 'LA28 Olympic Handover Celebration',
      epa: 'USA LA28 Olympics handover',
      afp: 'OLY-2024-PARIS-LA28',
    },
    keywords: ['LA28', 'Olympics'],
    count: 18,
  },
  {
    story: {
      id: 'st_wildfire',
      slug: 'attica-wildfire',
      headline: 'Wildfire on the outskirts of Athens forces thousands to flee',
      event: {
        name: 'Attica wildfire',
        aliases: ['Varnavas wildfire', 'wildfire near Athens'],
        city: 'Varnavas',
        country: 'Greece',
        start: '2024-08-11T15:00:00+03:00',
        end: '2024-08-13T20:00:00+03:00',
      },
      keywords: ['wildfire', 'Greece', 'fire'],
    },
    phrases: [
      'a wildfire north of Athens',
      'a wildfire in Varnavas, north of Athens',
      'a wildfire near Athens',
      'the Attica wildfire',
      'a wildfire burning in the Attica region',
    ],
    venue: '',
    city: 'Varnavas',
    region: 'Attica',
    country: 'Greece',
    countryCode: 'GRC',
    offset: '+03:00',
    subjects: [
      'A firefighter tries to extinguish flames',
      'A helicopter drops water',
      'A man uses a hose to fight the fire',
      'Smoke rises over houses',
      'Residents flee as flames approach',
      'A burnt car stands in a street',
    ],
    slugs: {
      ap: 'Greece Wildfires',
      reuters: 'GREECE-WILDFIRE/',
      getty: 'Wildfires Burn Near Athens',
      epa: 'Greece Wildfire',
      afp: 'GREECE-FIRE',
    },
    keywords: ['Wildfire', 'Fire', 'Greece'],
    count: 22,
  },
  {
    story: {
      id: 'st_cincy',
      slug: 'cincinnati-open-tennis',
      headline: 'Sinner and Sabalenka win Cincinnati Open titles',
      event: {
        name: 'Cincinnati Open',
        aliases: ['Western & Southern Open'],
        venue: 'Lindner Family Tennis Center',
        city: 'Mason',
        country: 'United States',
        start: '2024-08-12T11:00:00-04:00',
        end: '2024-08-19T22:00:00-04:00',
      },
      keywords: ['tennis'],
    },
    phrases: [
      'the Cincinnati Open tennis tournament',
      'a match at the Cincinnati Open',
      'the Cincinnati Open',
      'the Western & Southern Open tennis tournament',
    ],
    venue: '',
    city: 'Mason',
    region: 'Ohio',
    country: 'United States',
    countryCode: 'USA',
    offset: '-04:00',
    subjects: [
      'Jannik Sinner, of Italy, returns a shot',
      'Aryna Sabalenka, of Belarus, serves',
      'Frances Tiafoe reacts',
      'Carlos Alcaraz smashes his racket',
      'Jessica Pegula hits a backhand',
    ],
    slugs: {
      ap: 'Cincinnati Open Tennis',
      reuters: 'TENNIS-CINCINNATI/',
      getty: 'Cincinnati Open - Day 3',
      epa: 'USA Tennis Cincinnati Open',
      afp: 'TENNIS-USA-WTA-ATP',
    },
    keywords: ['Tennis'],
    count: 18,
  },
  {
    story: {
      id: 'st_superbowl',
      slug: 'super-bowl-lix',
      headline: 'Eagles rout Chiefs to win Super Bowl LIX',
      event: {
        name: 'Super Bowl LIX',
        aliases: [],
        venue: 'Caesars Superdome',
        city: 'New Orleans',
        country: 'United States',
        start: '2025-02-09T17:30:00-06:00',
        end: '2025-02-09T21:30:00-06:00',
      },
      keywords: ['NFL', 'Super Bowl', 'football'],
    },
    phrases: [
      'the NFL Super Bowl 59 football game',
      'Super Bowl LIX',
      'the first half of the NFL Super Bowl 59 football game',
      'the Super Bowl 59',
      'Super Bowl 59',
    ],
    venue: 'Caesars Superdome',
    city: 'New Orleans',
    region: 'La.',
    country: 'United States',
    countryCode: 'USA',
    offset: '-06:00',
    subjects: [
      'Philadelphia Eagles quarterback Jalen Hurts throws a pass',
      'Kendrick Lamar performs during the halftime show',
      'Kansas City Chiefs quarterback Patrick Mahomes is sacked',
      'Eagles players celebrate',
      'Taylor Swift watches from a suite',
      'Saquon Barkley runs with the ball',
    ],
    slugs: {
      ap: 'Super Bowl Football',
      reuters: 'FOOTBALL-NFL-SUPERBOWL/',
      getty: 'Super Bowl LIX - Kansas City Chiefs v Philadelphia Eagles',
      epa: 'USA Super Bowl LIX',
      afp: 'FBN-SUPER BOWL-EAGLES-CHIEFS',
    },
    keywords: ['NFL', 'Football'],
    count: 24,
  },
];

/** Same places and days, no story: the photos that must not be auto-matched. */
const DISTRACTORS: DistractorSpec[] = [
  {
    subject: 'People walk past the Eiffel Tower as the sun sets',
    phrase: null,
    venue: null,
    city: 'Paris',
    region: '',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    at: '2024-08-11T21:10:00+02:00',
    slug: 'FRANCE-TOURISM/',
    keywords: ['Travel'],
    note: 'Paris street scene during the ceremony',
  },
  {
    subject: "Italy's Giovanni Tocci dives",
    phrase: "the men's 3m springboard final at the 2024 Summer Olympics",
    venue: 'the Aquatics Centre',
    city: 'Saint-Denis',
    region: '',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    at: '2024-08-08T15:00:00+02:00',
    slug: 'Paris Olympics Diving',
    keywords: ['Olympics', 'Diving'],
    note: 'Olympics, Saint-Denis, other day, no story',
  },
  {
    subject: "Hungary's players celebrate",
    phrase: "the men's water polo bronze medal match at the 2024 Summer Olympics",
    venue: 'Paris La Defense Arena',
    city: 'Nanterre',
    region: '',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    at: '2024-08-11T12:00:00+02:00',
    slug: 'Paris Olympics Water Polo',
    keywords: ['Olympics', 'Water Polo'],
    note: 'Olympic sport same day, no story',
  },
  {
    subject: "China's Li Wenwen lifts",
    phrase: "the women's +81kg weightlifting event at the 2024 Summer Olympics",
    venue: 'South Paris Arena',
    city: 'Paris',
    region: '',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    at: '2024-08-11T11:30:00+02:00',
    slug: 'Paris Olympics Weightlifting',
    keywords: ['Olympics', 'Weightlifting'],
    note: 'Olympic sport same day, Paris, no story',
  },
  {
    subject: 'Cyclists compete in the points race',
    phrase: "the women's omnium at the 2024 Summer Olympics",
    venue: 'the National Velodrome',
    city: 'Montigny-le-Bretonneux',
    region: '',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    at: '2024-08-11T16:00:00+02:00',
    slug: 'Paris Olympics Cycling',
    keywords: ['Olympics', 'Cycling'],
    note: 'Olympic sport same day, no story',
  },
  {
    subject: 'Spectators watch the basketball final on a giant screen at a fan zone',
    phrase: null,
    venue: null,
    city: 'Paris',
    region: '',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    at: '2024-08-11T16:30:00+02:00',
    slug: 'Paris Olympics Fan Zone',
    keywords: ['Olympics'],
    note: 'fan zone, ambiguous',
  },
  {
    subject: 'A woman walks her dog on the beach',
    phrase: null,
    venue: null,
    city: 'Long Beach',
    region: 'Calif.',
    country: 'United States',
    countryCode: 'USA',
    offset: '-07:00',
    at: '2024-08-11T08:00:00-07:00',
    slug: 'Long Beach Daily Life',
    keywords: ['Beach'],
    note: 'Long Beach street scene before the party',
  },
  {
    subject: 'Tourists visit the Acropolis',
    phrase: null,
    venue: null,
    city: 'Athens',
    region: 'Attica',
    country: 'Greece',
    countryCode: 'GRC',
    offset: '+03:00',
    at: '2024-08-12T10:00:00+03:00',
    slug: 'Greece Tourism',
    keywords: ['Tourism'],
    note: 'Athens, fire days, tourism',
  },
  {
    subject: 'A firefighter battles a blaze',
    phrase: 'a wildfire on the island of Evia',
    venue: null,
    city: 'Evia',
    region: '',
    country: 'Greece',
    countryCode: 'GRC',
    offset: '+03:00',
    at: '2024-08-12T13:00:00+03:00',
    slug: 'Greece Wildfires',
    keywords: ['Wildfire', 'Fire'],
    note: 'another wildfire in Greece',
  },
  {
    subject: 'People walk along Bourbon Street',
    phrase: null,
    venue: null,
    city: 'New Orleans',
    region: 'La.',
    country: 'United States',
    countryCode: 'USA',
    offset: '-06:00',
    at: '2025-02-09T15:00:00-06:00',
    slug: 'Super Bowl Sunday Street Scene',
    keywords: ['New Orleans'],
    note: 'New Orleans street scene on Super Bowl Sunday',
  },
  {
    subject: 'A jazz band plays in Jackson Square',
    phrase: null,
    venue: null,
    city: 'New Orleans',
    region: 'La.',
    country: 'United States',
    countryCode: 'USA',
    offset: '-06:00',
    at: '2025-02-09T18:45:00-06:00',
    slug: 'New Orleans Daily Life',
    keywords: ['Music'],
    note: 'New Orleans during the game',
  },
  {
    subject: 'Pelicans forward Zion Williamson dunks',
    phrase: 'an NBA basketball game against the Hawks',
    venue: 'the Smoothie King Center',
    city: 'New Orleans',
    region: 'La.',
    country: 'United States',
    countryCode: 'USA',
    offset: '-06:00',
    at: '2025-02-07T19:30:00-06:00',
    slug: 'Hawks Pelicans Basketball',
    keywords: ['NBA', 'Basketball'],
    note: 'New Orleans basketball two days before',
  },
  {
    subject: 'A storm rolls over Cincinnati',
    phrase: null,
    venue: null,
    city: 'Cincinnati',
    region: 'Ohio',
    country: 'United States',
    countryCode: 'USA',
    offset: '-04:00',
    at: '2024-08-13T17:00:00-04:00',
    slug: 'Ohio Weather',
    keywords: ['Weather'],
    note: 'Ohio weather during the tournament',
  },
  {
    subject: 'Commuters crowd a metro platform',
    phrase: null,
    venue: null,
    city: 'Saint-Denis',
    region: '',
    country: 'France',
    countryCode: 'FRA',
    offset: '+02:00',
    at: '2024-08-12T08:00:00+02:00',
    slug: 'France Daily Life',
    keywords: ['Transport'],
    note: 'Saint-Denis morning after, no event',
  },
];

const STYLES: Style[] = ['ap', 'ap', 'ap', 'reuters', 'reuters', 'afp', 'getty', 'dpa', 'epa', 'cp'];

function shotFor(e: EventSpec, i: number): { shot: Shot; note: string } {
  const start = Date.parse(e.story.event.start);
  const end = Date.parse(e.story.event.end);
  // Most inside the event; some in the hour before or after (arrivals, celebrations).
  const edge = rnd();
  const ms =
    edge < 0.1
      ? start - rnd() * 3600_000
      : edge < 0.18
        ? end + rnd() * 3600_000
        : start + rnd() * (end - start);
  const style = pick(STYLES);
  let phrase: string | null = pick(e.phrases);
  let venue: string | null = e.venue || null;
  const notes: string[] = [style];
  if (chance(TYPO_RATE)) {
    phrase = typo(phrase);
    notes.push('typo in event');
  }
  if (venue && chance(0.1)) {
    venue = typo(venue);
    notes.push('typo in venue');
  }
  if (venue && chance(0.3)) {
    venue = null;
    notes.push('no venue');
  }
  const zoneRoll = rnd();
  const zone: Shot['zone'] =
    zoneRoll < 0.12 ? 'unknown' : zoneRoll < 0.3 && style === 'reuters' ? 'utc' : 'explicit';
  if (zone !== 'explicit') notes.push(`zone ${zone}`);
  return {
    shot: {
      subject: pick(e.subjects),
      phrase,
      venue,
      city: e.city,
      region: e.region,
      country: e.country,
      countryCode: e.countryCode,
      ms,
      offset: e.offset,
      style,
      slug: chance(0.8) ? (e.slugs[style] ?? e.slugs.ap) : undefined,
      keywords: chance(0.7) ? e.keywords : [],
      event: style === 'getty' && chance(0.6) ? e.story.event.name : undefined,
      zone,
    },
    note: `${notes.join(', ')} #${i}`,
  };
}

/** Three photos of each distractor, 20 minutes apart, in random agency styles. */
function distractorPhotos(list: DistractorSpec[], prefix: string): CorpusPhoto[] {
  const out: CorpusPhoto[] = [];
  for (const [i, d] of list.entries()) {
    for (let k = 0; k < 3; k++) {
      const style = pick(STYLES);
      const shot: Shot = {
        ...d,
        ms: Date.parse(d.at) + k * 1_200_000,
        style,
        keywords: d.keywords,
        slug: d.slug,
        zone: 'explicit',
      };
      out.push({
        id: `${prefix}-${i}-${k}`,
        label: null,
        note: `${d.note} (${style})`,
        metadata: metadataOf(shot),
      });
    }
  }
  return out;
}

const spec = (id: string) => DESK_EVENTS.find((e) => e.story.id === id) as EventSpec;

/**
 * Photos tied to a story by an exact key (or naming a closed or unknown event): captions that say
 * little (a reveller, a runner), a wrong location field, file photos years old.
 */
function keyCases(): CorpusPhoto[] {
  const out: CorpusPhoto[] = [];
  const quiet = (e: EventSpec, i: number, subjects: string[], style?: Style) => {
    const { shot, note } = shotFor(e, i);
    Object.assign(shot, {
      subject: pick(subjects),
      phrase: null,
      venue: null,
      slug: undefined,
      event: undefined,
    });
    if (style) shot.style = style;
    return { shot, note: note.replace(/^\w+/, shot.style) };
  };
  const london = spec('st_nye_london');
  for (let i = 0; i < 4; i++) {
    const { shot, note } = quiet(london, i, [
      'A reveller in a party hat smiles',
      'A couple kisses at midnight',
      'Police officers patrol the crowd',
    ]);
    out.push({
      id: `key-event-id-${i}`,
      label: 'st_nye_london',
      note: `event id, caption names no event (${note})`,
      metadata: { ...metadataOf(shot), eventIds: [NYE_LONDON_ID] },
    });
  }
  const { shot: misfiled } = shotFor(london, 4);
  out.push({
    id: 'key-event-id-wrong-city',
    label: 'st_nye_london',
    note: "event id on a photo whose city field says Paris (the photographer's base)",
    metadata: {
      ...metadataOf(misfiled),
      city: 'Paris',
      country: 'France',
      countryCode: 'FRA',
      eventIds: [NYE_LONDON_ID],
    },
  });
  const berlin = spec('st_berlin_marathon');
  for (let i = 0; i < 3; i++) {
    const { shot, note } = quiet(
      berlin,
      i,
      ['Runners on the course', 'A runner drinks water', 'Spectators cheer'],
      'dpa',
    );
    out.push({
      id: `key-job-id-${i}`,
      label: 'st_berlin_marathon',
      note: `agency job id (IIM 2:103), caption names no event (${note})`,
      metadata: { ...metadataOf(shot), transmissionReference: BERLIN_MARATHON_JOB },
    });
  }
  for (const [k, guid] of ELECTION_PICTURES.entries()) {
    out.push({
      id: `key-associated-picture-${k}`,
      label: 'st_election_night',
      note: 'file photo from 2019 that the story links to (associations)',
      metadata: {
        caption: `Democratic presidential candidate Sen. Kamala Harris speaks during a campaign stop, Saturday, Aug. 10, 2019, in Des Moines, Iowa. (AP Photo/Charlie Neibergall)`,
        credit: 'AP',
        byline: 'Charlie Neibergall',
        creditLine: 'AP Photo/Charlie Neibergall',
        dateCreated: `2019-08-10T1${k + 1}:00:00-05:00`,
        dateZone: 'explicit',
        city: 'Des Moines',
        country: 'United States',
        countryCode: 'USA',
        keywords: ['Election 2020'],
        guid,
      },
    });
  }
  for (let i = 0; i < 3; i++) {
    const { shot, note } = shotFor(CLOSED_EVENT, i);
    out.push({
      id: `key-closed-event-${i}`,
      label: null,
      expect: 'review',
      note: `event id of a closed story (${note})`,
      metadata: { ...metadataOf(shot), eventIds: [NYE_HONG_KONG_ID] },
    });
  }
  for (let i = 3; i < 6; i++) {
    const { shot, note } = shotFor(CLOSED_EVENT, i);
    out.push({
      id: `closed-event-${i}`,
      label: null,
      expect: 'review',
      note: `late photo of a closed story, no key (${note})`,
      metadata: metadataOf(shot),
    });
  }
  for (let i = 0; i < 3; i++) {
    const { shot, note } = shotFor(london, 10 + i);
    out.push({
      id: `key-unknown-event-${i}`,
      label: null,
      expect: 'review',
      note: `London caption with an event id no story carries (${note})`,
      metadata: { ...metadataOf(shot), eventIds: [UNKNOWN_EVENT_ID] },
    });
  }
  // Event ids of a vocabulary no story uses (Getty's, on a sidecar) say nothing: heuristics decide.
  for (let i = 0; i < 3; i++) {
    const { shot, note } = shotFor(london, 13 + i);
    out.push({
      id: `foreign-event-id-${i}`,
      label: 'st_nye_london',
      note: `London caption with an event id of a vocabulary no story uses (${note})`,
      metadata: { ...metadataOf(shot), eventIds: [FOREIGN_EVENT_ID] },
    });
  }
  return out;
}

async function main() {
  const photos: CorpusPhoto[] = [];
  // The seed article's 16 photos, as the demo set carries them.
  const expected = JSON.parse(await readFile(demoPath('expected.json'), 'utf8')) as {
    ceremonyFiles: string[];
    distractorFiles: string[];
  };
  for (const file of (await readdir(demoPath('wire'))).sort()) {
    const { metadata } = await readPhotoMetadata(await readFile(demoPath(`wire/${file}`)));
    // The demo's distractors are events that have a story in this corpus (or none).
    const seedLabels: Record<string, string | null> = {
      'OLY_BASKETBALL_W_FINAL.jpg': 'st_wbasket',
      'OLY_HANDBALL_M_FINAL.jpg': 'st_handball',
      'OLY_MARATHON_W.jpg': 'st_marathon',
    };
    const label = expected.ceremonyFiles.includes(file) ? 'st_closing' : (seedLabels[file] ?? null);
    photos.push({ id: `seed-${file.replace('.jpg', '')}`, label, note: 'seed article / demo set', metadata });
  }
  for (const e of EVENTS) {
    for (let i = 0; i < e.count; i++) {
      const { shot, note } = shotFor(e, i);
      photos.push({ id: `${e.story.id}-${i}`, label: e.story.id, note, metadata: metadataOf(shot) });
    }
  }
  photos.push(...distractorPhotos(DISTRACTORS, 'distractor'));

  // Desk cases, appended so the photos above stay as they were.
  for (const e of DESK_EVENTS) {
    for (let i = 0; i < e.count; i++) {
      const { shot, note } = shotFor(e, i);
      photos.push({ id: `${e.story.id}-${i}`, label: e.story.id, note, metadata: metadataOf(shot) });
    }
  }
  photos.push(...distractorPhotos(DESK_DISTRACTORS, 'desk-distractor'));
  photos.push(...keyCases());
  const events = [...EVENTS, ...DESK_EVENTS, CLOSED_EVENT];
  const stories = HARD
    ? events.map((e) => ({
        ...e.story,
        event: { ...e.story.event, aliases: [], venue: undefined },
        keywords: [],
      }))
    : events.map((e) => e.story);
  const corpus: Corpus = { stories, photos };
  await writeFile(
    OUT ?? join(REPO_ROOT, 'bench', 'matching', 'corpus.json'),
    `${JSON.stringify(corpus, null, 1)}\n`,
  );
  console.log(
    `${corpus.stories.length} stories, ${photos.length} photos (${photos.filter((p) => p.label === null).length} with no story)`,
  );
}

await main();

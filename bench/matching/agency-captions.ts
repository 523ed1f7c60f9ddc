/**
 * How agencies caption and tag a photo: AP, The Canadian Press, Reuters, AFP/Getty, Getty, dpa and
 * EPA styles, with their photographers, date formats and field habits.
 */
import type { PhotoMetadata } from '@lightbox/contracts';
import type { CorpusRandom } from './corpus-random.js';
import type { SceneSpec } from './corpus-spec.js';

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

export type Style = 'ap' | 'reuters' | 'afp' | 'getty' | 'dpa' | 'epa' | 'cp';

export interface Shot extends SceneSpec {
  ms: number;
  style: Style;
  slug?: string;
  keywords: string[];
  /** Event field (IPTC Extension), as Getty and some agencies fill it. */
  event?: string;
  zone: 'explicit' | 'utc' | 'unknown';
}

function caption(
  random: CorpusRandom,
  s: Shot,
): { caption: string; credit: string; byline: string; creditLine: string } {
  const l = local(s.ms, s.offset);
  const during = s.phrase ? ` during ${s.phrase}` : '';
  const at = s.venue ? ` at ${s.venue}` : '';
  const where = s.country === 'United States' ? `${s.city}, ${s.region}` : `${s.city}, ${s.country}`;
  switch (s.style) {
    case 'ap': {
      const name = random.pick(AP);
      return {
        caption: `${s.subject}${during}${at}, ${WEEKDAYS[l.wd]}, ${AP_MONTHS[l.mo]} ${l.d}, ${l.y}, in ${where}. (AP Photo/${name})`,
        credit: 'AP',
        byline: name,
        creditLine: `AP Photo/${name}`,
      };
    }
    case 'cp': {
      const name = random.pick(AP);
      return {
        caption: `${s.subject}${during}${at}, ${WEEKDAYS[l.wd]}, ${AP_MONTHS[l.mo]} ${l.d}, ${l.y}, in ${where}. THE CANADIAN PRESS/AP-${name}`,
        credit: 'THE CANADIAN PRESS',
        byline: name,
        creditLine: `THE CANADIAN PRESS/AP-${name}`,
      };
    }
    case 'reuters': {
      const name = random.pick(REUTERS);
      return {
        caption: `${s.subject}${during}${at}, in ${where}, ${MONTHS[l.mo]} ${l.d}, ${l.y}. REUTERS/${name}`,
        credit: 'REUTERS',
        byline: name,
        creditLine: `REUTERS/${name}`,
      };
    }
    case 'afp': {
      const name = random.pick(AFP);
      return {
        caption: `${s.subject}${during}${at} in ${s.city} on ${MONTHS[l.mo]} ${l.d}, ${l.y}. (Photo by ${name}/AFP via Getty Images)`,
        credit: 'AFP via Getty Images',
        byline: name,
        creditLine: `Photo by ${name}/AFP via Getty Images`,
      };
    }
    case 'getty': {
      const name = random.pick(GETTY);
      return {
        caption: `${s.city.toUpperCase()}, ${s.country.toUpperCase()} - ${MONTHS[l.mo]?.toUpperCase()} ${l.d}: ${s.subject}${during}${at} on ${MONTHS[l.mo]} ${l.d}, ${l.y} in ${s.city}, ${s.country}. (Photo by ${name}/Getty Images)`,
        credit: 'Getty Images',
        byline: name,
        creditLine: `Photo by ${name}/Getty Images`,
      };
    }
    case 'dpa': {
      const name = random.pick(DPA);
      const head = s.phrase ? `${s.phrase.replace(/^the /, '')}, ${s.venue ?? s.city}: ` : `${s.city}: `;
      return {
        caption: `${head}${s.subject}. Photo: ${name}/dpa`,
        credit: 'dpa',
        byline: name,
        creditLine: `Photo: ${name}/dpa`,
      };
    }
    case 'epa': {
      const name = random.pick(EPA);
      return {
        caption: `${s.subject}${during}${at} in ${where}, ${l.d} ${MONTHS[l.mo]} ${l.y}. EPA/${name}`,
        credit: 'EPA',
        byline: name,
        creditLine: `EPA/${name}`,
      };
    }
  }
}

export function metadataOf(random: CorpusRandom, s: Shot): PhotoMetadata {
  const c = caption(random, s);
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
  if (random.chance(0.15)) delete m.city; // sometimes only the caption says where
  return m;
}

/**
 * Where a photo was taken against where a story happens: countries resolved to ISO codes, cities
 * compared with aliases and the districts and suburbs around them (a small gazetteer of places
 * that make news, plus the story's own place list). Pure.
 */
import { ISO_COUNTRIES } from './countries.js';
import { tokenize, tokenSimilarity } from './text.js';

const ABBREVIATIONS: Record<string, string> = { st: 'saint', ste: 'sainte', ft: 'fort', mt: 'mount' };

/** A place name normalised for comparison: case, accents, punctuation; "St." = "Saint"; no leading "the". */
export function placeKey(name: string | undefined): string {
  const tokens = tokenize(name).map((t) => ABBREVIATIONS[t] ?? t);
  if (tokens[0] === 'the' && tokens.length > 1) tokens.shift();
  return tokens.join(' ');
}

// ---------------------------------------------------------------------------------------------
// Countries

/** Other names and codes newsrooms use for countries, and IOC codes seen in sports captions. */
const COUNTRY_ALIASES: Record<string, string[]> = {
  US: ['US', 'U.S.', 'U.S.A.', 'United States of America'],
  GB: ['UK', 'U.K.', 'Britain', 'Great Britain', 'England', 'Scotland', 'Wales', 'Northern Ireland'],
  NL: ['Holland'],
  RU: ['Russia'],
  KR: ['Korea', 'Republic of Korea'],
  TR: ['Turkey', 'Türkiye'],
  CZ: ['Czech Republic'],
  CI: ['Ivory Coast'],
  AE: ['UAE', 'U.A.E.'],
  MK: ['Macedonia'],
  MM: ['Burma'],
  CD: ['DR Congo', 'DRC', 'Democratic Republic of the Congo'],
  VA: ['Vatican', 'Vatican City'],
  PS: ['Palestine', 'Palestinian Territories', 'Palestinian Territory', 'Gaza Strip', 'West Bank'],
  DE: ['GER'],
  CH: ['SUI'],
  PT: ['POR'],
  GR: ['GRE'],
  HR: ['CRO'],
  DK: ['DEN'],
  ZA: ['RSA'],
  BG: ['BUL'],
  CL: ['CHI'],
  TW: ['TPE', 'Chinese Taipei'],
  ID: ['INA'],
  MY: ['MAS'],
  PH: ['PHI'],
  SA: ['KSA'],
  IR: ['IRI'],
  NG: ['NGR'],
  ZW: ['ZIM'],
  SI: ['SLO'],
  LV: ['LAT'],
  UY: ['URU'],
  PY: ['PAR'],
  DZ: ['ALG'],
};

/** US states, Canadian provinces and Australian states (names and AP abbreviations): a dateline's second part. */
const REGIONS: Record<string, string> = {
  US: 'Alabama/Ala.|Alaska|Arizona/Ariz.|Arkansas/Ark.|California/Calif.|Colorado/Colo.|Connecticut/Conn.|Delaware/Del.|Florida/Fla.|Georgia/Ga.|Hawaii|Idaho|Illinois/Ill.|Indiana/Ind.|Iowa|Kansas/Kan.|Kentucky/Ky.|Louisiana/La.|Maine|Maryland/Md.|Massachusetts/Mass.|Michigan/Mich.|Minnesota/Minn.|Mississippi/Miss.|Missouri/Mo.|Montana/Mont.|Nebraska/Neb.|Nevada/Nev.|New Hampshire/N.H.|New Jersey/N.J.|New Mexico/N.M.|New York/N.Y.|North Carolina/N.C.|North Dakota/N.D.|Ohio|Oklahoma/Okla.|Oregon/Ore.|Pennsylvania/Pa.|Rhode Island/R.I.|South Carolina/S.C.|South Dakota/S.D.|Tennessee/Tenn.|Texas|Utah|Vermont/Vt.|Virginia/Va.|Washington/Wash.|West Virginia/W.Va.|Wisconsin/Wis.|Wyoming/Wyo.|D.C.|District of Columbia',
  CA: 'Ontario/Ont.|Quebec/Que.|British Columbia/B.C.|Alberta/Alta.|Manitoba/Man.|Saskatchewan/Sask.|Nova Scotia/N.S.|New Brunswick/N.B.|Newfoundland|Prince Edward Island/P.E.I.',
  AU: 'New South Wales|Victoria|Queensland|Tasmania|Western Australia|South Australia',
};

const COUNTRY_BY_NAME = new Map<string, string>();
const COUNTRY_BY_CODE = new Map<string, string>();
const COUNTRY_NAME = new Map<string, string>();
const REGION_COUNTRY = new Map<string, string>();
for (const line of ISO_COUNTRIES.trim().split('\n')) {
  const [a2, a3, names] = [line.slice(0, 2), line.slice(3, 6), line.slice(7)];
  COUNTRY_BY_CODE.set(a2, a2);
  COUNTRY_BY_CODE.set(a3, a2);
  const all = names.split('|');
  COUNTRY_NAME.set(a2, all[0] as string);
  for (const n of all) COUNTRY_BY_NAME.set(placeKey(n), a2);
}
for (const [a2, aliases] of Object.entries(COUNTRY_ALIASES)) {
  for (const alias of aliases) {
    const code = alias.replace(/\./g, '').toUpperCase();
    if (/^[A-Z]{3}$/.test(alias) && !COUNTRY_BY_CODE.has(code)) COUNTRY_BY_CODE.set(code, a2);
    if (!COUNTRY_BY_NAME.has(placeKey(alias))) COUNTRY_BY_NAME.set(placeKey(alias), a2);
  }
}
for (const [a2, list] of Object.entries(REGIONS))
  for (const region of list.split('|'))
    for (const name of region.split('/')) REGION_COUNTRY.set(placeKey(name), a2);

/**
 * ISO 3166 alpha-2 code of a country given by name ("United States", "U.S.", "Britain") or code
 * ("USA", "FRA", "GB", IOC "GER"); undefined when unknown.
 */
export function countryCode(name: string | undefined, code?: string): string | undefined {
  const c = code?.trim().toUpperCase();
  if (c && COUNTRY_BY_CODE.has(c)) return COUNTRY_BY_CODE.get(c);
  if (!name) return undefined;
  const byName = COUNTRY_BY_NAME.get(placeKey(name));
  if (byName) return byName;
  const asCode = name.trim().toUpperCase();
  return asCode.length === 3 ? COUNTRY_BY_CODE.get(asCode) : undefined;
}

/** The country a region (US state, Canadian province, "Calif.") belongs to. */
export function regionCountry(name: string | undefined): string | undefined {
  return name ? REGION_COUNTRY.get(placeKey(name)) : undefined;
}

export function countryName(code: string): string {
  return COUNTRY_NAME.get(code) ?? code;
}

// ---------------------------------------------------------------------------------------------
// Cities: aliases and the districts and suburbs that count as the same place

/**
 * Areas that make news, each with its aliases (`|`) and the places within it (which may have
 * aliases of their own). A photo from a place within an area agrees with a story set in the area,
 * and two places within one area agree with each other.
 */
const AREAS: [area: string, within: string[]][] = [
  [
    'Los Angeles|LA|L.A.',
    [
      'Hollywood',
      'West Hollywood',
      'Inglewood',
      'Pasadena',
      'Santa Monica',
      'Beverly Hills',
      'Venice',
      'Long Beach',
      'Carson',
      'Burbank',
      'Glendale',
      'Malibu',
      'Pacific Palisades',
      'Altadena',
      'Culver City',
    ],
  ],
  [
    'New York|New York City|NYC',
    ['Manhattan', 'Brooklyn', 'Queens', 'Bronx|The Bronx', 'Staten Island', 'Harlem', 'Flushing Meadows'],
  ],
  [
    'Paris',
    [
      'Saint-Denis',
      'Nanterre',
      'Versailles',
      'Boulogne-Billancourt',
      'La Defense',
      'Saint-Quentin-en-Yvelines',
      'Montigny-le-Bretonneux',
      'Vaires-sur-Marne',
      'Le Bourget',
      'Elancourt',
      'Roland Garros',
    ],
  ],
  [
    'London',
    [
      'Westminster',
      'City of London',
      'Wembley',
      'Greenwich',
      'Stratford',
      'Wimbledon',
      'Twickenham',
      'Camden',
      'Hackney',
      'Southwark',
      'Islington',
      'Lambeth',
      'Kensington',
      'Chelsea',
      'Canary Wharf',
      'Tottenham',
    ],
  ],
  ['Sochi', ['Krasnaya Polyana', 'Adler', 'Rosa Khutor']],
  [
    'Attica',
    ['Athens|Athina', 'Piraeus', 'Varnavas', 'Marathon', 'Nea Makri', 'Penteli', 'Glyfada', 'Elefsina'],
  ],
  ['Washington|Washington D.C.|D.C.', ['Arlington', 'Georgetown', 'Capitol Hill']],
  ['Cincinnati', ['Mason']],
  ['New Orleans', ['Metairie', 'Kenner', 'French Quarter']],
  ['Sydney', ['Bondi', 'Parramatta', 'Manly', 'Circular Quay']],
  ['Rio de Janeiro|Rio', ['Copacabana', 'Ipanema', 'Barra da Tijuca', 'Maracana']],
  ['Berlin', ['Mitte', 'Kreuzberg', 'Charlottenburg', 'Neukoelln|Neukolln', 'Spandau']],
  ['Tokyo', ['Shinjuku', 'Shibuya', 'Chofu', 'Minato', 'Odaiba']],
  ['Hong Kong', ['Kowloon', 'Wan Chai', 'Causeway Bay']],
  ['Gaza|Gaza City', ['Khan Younis|Khan Yunis', 'Rafah', 'Deir al-Balah', 'Jabalia']],
  ['Mexico City|Ciudad de Mexico|CDMX', ['Coyoacan', 'Xochimilco']],
  ['Munich|Muenchen|Munchen', []],
  ['Cologne|Koeln|Koln', []],
  ['Vienna|Wien', []],
  ['Rome|Roma', ['Vatican City']],
  ['Milan|Milano', ['San Siro']],
  ['Lisbon|Lisboa', []],
  ['Prague|Praha', []],
  ['Warsaw|Warszawa', []],
  ['Kyiv|Kiev', []],
  ['Moscow|Moskva', []],
  ['Beijing|Peking', []],
  ['New Delhi|Delhi', []],
  ['Mumbai|Bombay', []],
  ['Brussels|Bruxelles|Brussel', []],
  ['Geneva|Geneve|Genf', []],
  ['The Hague|Den Haag', []],
  ['Saint Petersburg|Petersburg', []],
  ['Montreal', []],
  ['Quebec City|Quebec', []],
];

/** Place key → its canonical key. */
const CANONICAL = new Map<string, string>();
/** Canonical key → the areas it lies within (canonical keys). */
const PARENTS = new Map<string, Set<string>>();

function register(spelling: string): string {
  const [first, ...aliases] = spelling.split('|').map(placeKey);
  const canonical = CANONICAL.get(first as string) ?? (first as string);
  for (const k of [first as string, ...aliases]) CANONICAL.set(k, canonical);
  return canonical;
}

for (const [area, within] of AREAS) {
  const a = register(area);
  for (const place of within) {
    const p = register(place);
    let parents = PARENTS.get(p);
    if (!parents) {
      parents = new Set();
      PARENTS.set(p, parents);
    }
    parents.add(a);
  }
}

const areaCache = new Map<string, Set<string>>();

/** The place itself (canonical) and every area it lies within. */
function areasOf(key: string): Set<string> {
  let out = areaCache.get(key);
  if (out) return out;
  out = new Set<string>();
  const queue = [CANONICAL.get(key) ?? key];
  while (queue.length > 0) {
    const k = queue.pop() as string;
    if (out.has(k)) continue;
    out.add(k);
    for (const parent of PARENTS.get(k) ?? []) queue.push(parent);
  }
  if (areaCache.size > 50_000) areaCache.clear();
  areaCache.set(key, out);
  return out;
}

/** Same city: equal keys, "X City" = "X", or word by word within a typo. */
function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  const ta = a.split(' ').filter((t) => t !== 'city');
  const tb = b.split(' ').filter((t) => t !== 'city');
  if (ta.length === 0 || ta.length !== tb.length) return false;
  return ta.every((t, i) => t === tb[i] || tokenSimilarity(t, tb[i] as string) >= 0.8);
}

/** Whether two place names can be the same place: aliases, or one lies within the other's area. */
export function placesCompatible(a: string, b: string): boolean {
  if (!a || !b) return false;
  if (sameName(a, b)) return true;
  const areasA = areasOf(a);
  for (const k of areasOf(b)) if (areasA.has(k)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Photo and story places

export interface PlaceFacts {
  /** Normalised place names: the city first, then sub-location and province/state. */
  keys: string[];
  /** The city as written, for reasons (undefined when unknown). */
  city?: string;
  /** ISO alpha-2. */
  country?: string;
  /** True when the city was read from the caption's dateline (no location field). */
  cityFromDateline: boolean;
}

/** "… in Saint-Denis, France." / "… in Cincinnati, Ohio": the city and its region or country. */
export const DATELINE_IN =
  /\bin ((?:[A-Z][\p{L}'.-]+)(?:[ -][A-Z][\p{L}'.-]+){0,3}), ([A-Z][\p{L}.'-]+(?: [A-Z][\p{L}.'-]+)?)/gu;
/** Getty: "CINCINNATI, UNITED STATES - AUGUST 13: …". */
export const DATELINE_GETTY = /^([A-Z][A-Z '.-]+), ([A-Z][A-Z .'-]+) - /;

/**
 * The dateline's place: Getty's leading "CITY, COUNTRY -", else the last "in City, Country|State"
 * whose second part is a country or a region; undefined when there is none.
 */
export function datelinePlace(caption: string | undefined): { city: string; country: string } | undefined {
  if (!caption) return undefined;
  const getty = caption.match(DATELINE_GETTY);
  const gettyCountry = getty && countryCode(getty[2]);
  if (getty && gettyCountry) return { city: getty[1] as string, country: gettyCountry };
  let found: { city: string; country: string } | undefined;
  for (const m of caption.matchAll(DATELINE_IN)) {
    // The second part may have run on into the credit ("Fla. THE CANADIAN PRESS"): try its first word too.
    const where = countryCode(m[2]) || regionCountry(m[2]) ? m[2] : m[2]?.split(' ')[0];
    const asCountry = countryCode(where);
    const asRegion = regionCountry(where);
    // "Georgia" is a country and a US state: a dateline that could be either says nothing.
    const country = asCountry && asRegion && asCountry !== asRegion ? undefined : (asCountry ?? asRegion);
    if (country) found = { city: m[1] as string, country };
  }
  return found;
}

export interface PhotoPlaceInput {
  city?: string;
  sublocation?: string;
  provinceState?: string;
  country?: string;
  countryCode?: string;
  caption?: string;
}

/** Where the photo says it was taken: location fields first, the caption's dateline for what they leave out. */
export function photoPlace(photo: PhotoPlaceInput): PlaceFacts {
  const dateline =
    photo.city && (photo.country || photo.countryCode) ? undefined : datelinePlace(photo.caption);
  const city = photo.city ?? dateline?.city;
  const keys = [city, photo.sublocation, photo.provinceState].map(placeKey).filter((k) => k !== '');
  return {
    keys,
    city,
    country: countryCode(photo.country, photo.countryCode) ?? dateline?.country,
    cityFromDateline: !photo.city && dateline !== undefined,
  };
}

export interface StoryPlaceInput {
  city?: string;
  country?: string;
  places?: string[];
}

/** Where the story happens: its city and its own place list. */
export function storyPlace(event: StoryPlaceInput): PlaceFacts {
  return {
    keys: [event.city, ...(event.places ?? [])].map(placeKey).filter((k) => k !== ''),
    city: event.city,
    country: countryCode(event.country),
    cityFromDateline: false,
  };
}

/** Whether any of the photo's places (city, sub-location, province) can be one of the story's. */
export function placeAgrees(photo: PlaceFacts, story: PlaceFacts): boolean {
  return photo.keys.some((p) => story.keys.some((s) => placesCompatible(p, s)));
}

export interface PlaceContradiction {
  kind: 'country' | 'city';
  reason: string;
}

/**
 * The photo's place contradicts the story's: the countries differ, or the photo's city is none of
 * the story's places (nor within their areas) and neither is its sub-location or province.
 */
export function placeContradiction(photo: PlaceFacts, story: PlaceFacts): PlaceContradiction | undefined {
  const where = (p: PlaceFacts) =>
    [p.city, p.country ? countryName(p.country) : undefined].filter(Boolean).join(', ') || 'an unknown place';
  if (photo.country && story.country && photo.country !== story.country)
    return {
      kind: 'country',
      reason: `place contradicts: the photo is in ${where(photo)}, the story in ${where(story)}`,
    };
  if (photo.city && story.keys.length > 0 && !placeAgrees(photo, story))
    return {
      kind: 'city',
      reason: `place contradicts: the photo is in ${where(photo)}, the story in ${where(story)}`,
    };
  return undefined;
}

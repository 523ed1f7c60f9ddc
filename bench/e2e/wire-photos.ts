/**
 * The benchmark's wire: 10 stories on one day, and photos for them with the XMP an agency sends
 * (caption, credit, city, country, event, date with offset, a GUID), spread over the stories and
 * 20 s apart within a story, so no two are near-duplicates of each other.
 */
export interface BenchStory {
  slug: string;
  name: string;
  venue: string;
  city: string;
  country: string;
  offset: string;
  day: string;
  keywords: string[];
}

const DAY = '2024-08-08';

export const BENCH_STORIES: BenchStory[] = [
  [
    'athletics-100m-final',
    "Women's 100m final",
    'Stade de France',
    'Saint-Denis',
    'France',
    '+02:00',
    ['athletics', 'sprint'],
  ],
  [
    'basketball-semifinal',
    'Basketball semifinal',
    'Bercy Arena',
    'Paris',
    'France',
    '+02:00',
    ['basketball'],
  ],
  [
    'surfing-final',
    'Surfing final',
    "Teahupo'o",
    'Taiarapu-Ouest',
    'French Polynesia',
    '-10:00',
    ['surfing'],
  ],
  [
    'sailing-medal-race',
    'Sailing medal race',
    'Marseille Marina',
    'Marseille',
    'France',
    '+02:00',
    ['sailing'],
  ],
  [
    'world-series-game-1',
    'World Series Game 1',
    'Dodger Stadium',
    'Los Angeles',
    'United States',
    '-07:00',
    ['baseball'],
  ],
  ['cricket-test-day-2', 'Second Test, day two', "Lord's", 'London', 'United Kingdom', '+01:00', ['cricket']],
  [
    'tour-stage-14',
    'Tour de France stage 14',
    'Col du Tourmalet',
    'Bareges',
    'France',
    '+02:00',
    ['cycling'],
  ],
  [
    'afl-grand-final',
    'AFL Grand Final',
    'Melbourne Cricket Ground',
    'Melbourne',
    'Australia',
    '+10:00',
    ['football'],
  ],
  ['bundesliga-opener', 'Bundesliga opener', 'Allianz Arena', 'Munich', 'Germany', '+02:00', ['soccer']],
  [
    'stanley-cup-game-7',
    'Stanley Cup Final Game 7',
    'Rogers Place',
    'Edmonton',
    'Canada',
    '-06:00',
    ['hockey'],
  ],
].map(([slug, name, venue, city, country, offset, keywords]) => ({
  slug: slug as string,
  name: name as string,
  venue: venue as string,
  city: city as string,
  country: country as string,
  offset: offset as string,
  day: DAY,
  keywords: keywords as string[],
}));

const AGENCIES = [
  ['AP', 'AP Photo/Jane Doe', 'Jane Doe'],
  ['Reuters', 'REUTERS/John Roe', 'John Roe'],
  ['AFP', 'AFP/Marie Dupont', 'Marie Dupont'],
  ['dpa', 'dpa/Max Muster', 'Max Muster'],
] as const;

export interface PlannedPhoto {
  index: number;
  story: BenchStory;
  guid: string;
  caption: string;
  dateCreated: string;
}

/** Minutes east of UTC in an ISO offset (`+02:00` → 120, `-09:30` → -570). */
export function offsetMinutes(offset: string): number {
  const m = offset.match(/([+-])(\d{2}):(\d{2})/) as RegExpMatchArray;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** `count` photos numbered from `first` (numbers never repeat within a run). */
export function planPhotos(count: number, first: number): PlannedPhoto[] {
  return Array.from({ length: count }, (_, k) => {
    const index = first + k;
    const story = BENCH_STORIES[index % BENCH_STORIES.length] as BenchStory;
    const n = Math.floor(index / BENCH_STORIES.length);
    const t = new Date(Date.parse(`${story.day}T10:00:00${story.offset}`) + n * 20_000);
    const local = new Date(t.getTime() + offsetMinutes(story.offset) * 60_000).toISOString().slice(0, 19);
    return {
      index,
      story,
      guid: `urn:lightbox-bench:${index}`,
      caption: `Frame ${index}: the ${story.name} at the ${story.venue} in ${story.city}, ${story.country}, on Aug. 8, 2024.`,
      dateCreated: `${local}${story.offset}`,
    };
  });
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The XMP packet an agency's system writes into the photo. */
export function wireXmp(p: PlannedPhoto): string {
  const [credit, creditLine, byline] = AGENCIES[p.index % AGENCIES.length] as readonly [
    string,
    string,
    string,
  ];
  const keywords = p.story.keywords.map((k) => `<rdf:li>${xmlEscape(k)}</rdf:li>`).join('');
  return `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(`${p.caption} (${creditLine})`)}</rdf:li></rdf:Alt></dc:description>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(p.story.slug.toUpperCase())}</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>${xmlEscape(byline)}</rdf:li></rdf:Seq></dc:creator>
<dc:subject><rdf:Bag>${keywords}</rdf:Bag></dc:subject>
<photoshop:Headline>${xmlEscape(p.story.name)}</photoshop:Headline>
<photoshop:City>${xmlEscape(p.story.city)}</photoshop:City><photoshop:Country>${xmlEscape(p.story.country)}</photoshop:Country>
<photoshop:Credit>${credit}</photoshop:Credit><photoshop:Source>${credit}</photoshop:Source>
<photoshop:DateCreated>${p.dateCreated}</photoshop:DateCreated>
<Iptc4xmpCore:Location>${xmlEscape(p.story.venue)}</Iptc4xmpCore:Location>
<Iptc4xmpExt:Event><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(p.story.name)}</rdf:li></rdf:Alt></Iptc4xmpExt:Event>
<Iptc4xmpExt:DigImageGUID>${p.guid}</Iptc4xmpExt:DigImageGUID>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((q / 100) * sorted.length) - 1)] as number;
}

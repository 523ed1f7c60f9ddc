/**
 * Builds the demo wire set in demo/wire/ from ../shared/seed/closing-ceremony-article.txt:
 * the article's 16 captioned photos, plus same-day distractors from other Olympic events.
 * Each JPEG carries IPTC IIM + XMP (and EXIF) written by ExifTool, the way agencies send them.
 * The output is committed; run again with `npx tsx scripts/make-demo-set.ts` to regenerate.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exiftool, type WriteTags } from 'exiftool-vendored';
import sharp from 'sharp';

const ROOT = new URL('..', import.meta.url).pathname;
const OUT = join(ROOT, 'demo', 'wire');
const ARTICLE = join(ROOT, '..', 'shared', 'seed', 'closing-ceremony-article.txt');

/** Deterministic PRNG so the set is reproducible. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A night-scene-like photo: dark gradient, blurred coloured lights, sensor noise. */
async function syntheticPhoto(seed: number, width: number, height: number, night: boolean): Promise<Buffer> {
  const rnd = mulberry32(seed);
  const lights = Array.from({ length: 14 }, () => {
    const cx = Math.round(rnd() * width);
    const cy = Math.round(rnd() * height * 0.8);
    const r = Math.round(40 + rnd() * 220);
    const hue = Math.round(rnd() * 360);
    return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="hsl(${hue},80%,${night ? 55 : 70}%)" fill-opacity="${(0.3 + rnd() * 0.5).toFixed(2)}"/>`;
  }).join('');
  const crowd = Array.from({ length: 120 }, () => {
    const x = Math.round(rnd() * width);
    const h = Math.round(height * (0.08 + rnd() * 0.12));
    return `<rect x="${x}" y="${height - h}" width="${Math.round(20 + rnd() * 40)}" height="${h}" rx="12" fill="hsl(0,0%,${Math.round(rnd() * 20)}%)"/>`;
  }).join('');
  const top = night ? '#0b1030' : '#6fa8dc';
  const bottom = night ? '#301030' : '#d9c7a0';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient>
    <filter id="b"><feGaussianBlur stdDeviation="30"/></filter></defs>
    <rect width="100%" height="100%" fill="url(#g)"/><g filter="url(#b)">${lights}</g>${crowd}</svg>`;
  const base = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const noise = Buffer.alloc(base.data.length);
  for (let i = 0; i < noise.length; i++)
    noise[i] = Math.max(0, Math.min(255, (base.data[i] as number) + Math.round((rnd() - 0.5) * 12)));
  return sharp(noise, { raw: base.info }).jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer();
}

interface WirePhoto {
  file: string;
  caption: string;
  headline: string;
  byline: string;
  credit: string;
  source: string;
  /** Local capture time with offset. */
  local: string;
  offset: string;
  city: string;
  sublocation?: string;
  country: string;
  countryCode: string;
  objectName?: string;
  keywords: string[];
  transmissionReference: string;
  ceremony: boolean;
}

function captionsFromArticle(article: string): string[] {
  return article
    .split(/\n+/)
    .map((l) => l.trim())
    .filter((l) => /\(AP Photo\/[^)]+\)$|THE CANADIAN PRESS\/\S.*$/.test(l) && /closing ceremony/i.test(l));
}

function bylineOf(caption: string): { byline: string; credit: string; source: string } {
  const ap = caption.match(/\(AP Photo\/([^)]+)\)$/);
  if (ap) return { byline: ap[1] as string, credit: 'AP', source: 'AP' };
  const cp = caption.match(/THE CANADIAN PRESS\/AP-(.+)$/);
  if (cp) return { byline: cp[1] as string, credit: 'THE CANADIAN PRESS', source: 'AP' };
  throw new Error(`No credit in caption: ${caption}`);
}

/** The article's photos: capture times through the ceremony, its credits, the agencies' fields. */
function ceremonyPhotos(captions: string[]): WirePhoto[] {
  // Capture times: the ceremony ran from 21:00 CEST past midnight; "Monday" captions are after 00:00.
  const sundayTimes = [
    '21:04:12',
    '21:18:40',
    '21:32:05',
    '21:47:51',
    '22:03:26',
    '22:15:09',
    '22:26:44',
    '22:41:30',
    '22:55:02',
    '23:08:17',
    '23:21:48',
    '23:36:33',
  ];
  const mondayTimes = ['00:04:21', '00:11:58', '00:19:36', '00:27:10'];
  let sun = 0;
  let mon = 0;
  return captions.map((caption, i) => {
    const monday = /Monday, Aug\. 12/.test(caption);
    const time = monday ? mondayTimes[mon++] : sundayTimes[sun++];
    const { byline, credit, source } = bylineOf(caption);
    return {
      file: `OLY_CLOSING_${String(i + 1).padStart(2, '0')}.jpg`,
      caption,
      headline: 'Paris Olympics Closing Ceremony',
      byline,
      credit,
      source,
      local: `${monday ? '2024:08:12' : '2024:08:11'} ${time}`,
      offset: '+02:00',
      city: 'SAINT-DENIS',
      sublocation: i % 3 === 0 ? 'Stade de France' : undefined,
      country: 'France',
      countryCode: 'FRA',
      objectName: i % 2 === 0 ? 'Paris Olympics Closing Ceremony' : undefined,
      keywords: ['2024 Summer Olympics', 'Olympics', 'Sports'],
      transmissionReference: `OLYCC${String(101 + i)}`,
      ceremony: true,
    };
  });
}

/** Same-day photos from other Olympic events (and one Paris street scene): no story of the ceremony. */
const DISTRACTORS: WirePhoto[] = [
  {
    file: 'OLY_BASKETBALL_W_FINAL.jpg',
    caption:
      "United States' A'ja Wilson shoots during a women's gold medal basketball game against France at Bercy Arena at the 2024 Summer Olympics, Sunday, Aug. 11, 2024, in Paris, France. (AP Photo/Mark J. Terrill)",
    headline: 'Paris Olympics Basketball',
    byline: 'Mark J. Terrill',
    credit: 'AP',
    source: 'AP',
    local: '2024:08:11 16:02:44',
    offset: '+02:00',
    city: 'PARIS',
    country: 'France',
    countryCode: 'FRA',
    objectName: 'Paris Olympics Basketball',
    keywords: ['2024 Summer Olympics', 'Basketball'],
    transmissionReference: 'OLYBK301',
    ceremony: false,
  },
  {
    file: 'OLY_MARATHON_W.jpg',
    caption:
      "Sifan Hassan, of the Netherlands, celebrates after winning the women's marathon at the 2024 Summer Olympics, Sunday, Aug. 11, 2024, in Paris, France. (AP Photo/Vadim Ghirda)",
    headline: 'Paris Olympics Athletics',
    byline: 'Vadim Ghirda',
    credit: 'AP',
    source: 'AP',
    local: '2024:08:11 10:25:13',
    offset: '+02:00',
    city: 'PARIS',
    country: 'France',
    countryCode: 'FRA',
    objectName: 'Paris Olympics Athletics',
    keywords: ['2024 Summer Olympics', 'Athletics', 'Marathon'],
    transmissionReference: 'OLYAT412',
    ceremony: false,
  },
  {
    file: 'RTR_PARIS_STREET.jpg',
    caption:
      'People walk past the Eiffel Tower as the sun sets in Paris, France, August 11, 2024. REUTERS/Stephanie Lecocq',
    headline: 'People walk past the Eiffel Tower in Paris',
    byline: 'Stephanie Lecocq',
    credit: 'REUTERS',
    source: 'X01234',
    local: '2024:08:11 21:12:30',
    offset: '+02:00',
    city: 'PARIS',
    country: 'FRANCE',
    countryCode: 'FRA',
    objectName: 'FRANCE-TOURISM/',
    keywords: ['TRAVEL'],
    transmissionReference: 'PAR105',
    ceremony: false,
  },
  {
    file: 'OLY_HANDBALL_M_FINAL.jpg',
    caption:
      "Denmark's Mathias Gidsel celebrates after the men's gold medal handball match against Germany at the 2024 Summer Olympics, Sunday, Aug. 11, 2024, in Villeneuve-d'Ascq, France. (AP Photo/Aaron Favila)",
    headline: 'Paris Olympics Handball',
    byline: 'Aaron Favila',
    credit: 'AP',
    source: 'AP',
    local: '2024:08:11 14:48:05',
    offset: '+02:00',
    city: "VILLENEUVE-D'ASCQ",
    country: 'France',
    countryCode: 'FRA',
    objectName: 'Paris Olympics Handball',
    keywords: ['2024 Summer Olympics', 'Handball'],
    transmissionReference: 'OLYHB207',
    ceremony: false,
  },
  {
    file: 'DPA_CYCLING_TRACK.jpg',
    caption:
      "Olympics, Paris 2024, cycling, track, women's omnium, Velodrome National de Saint-Quentin-en-Yvelines: Cyclists compete in the points race. Photo: Jan Woitas/dpa",
    headline: 'Olympics, Paris 2024, Cycling',
    byline: 'Jan Woitas',
    credit: 'dpa',
    source: 'dpa',
    local: '2024:08:11 17:35:51',
    offset: '+02:00',
    city: 'Saint-Quentin-en-Yvelines',
    country: 'France',
    countryCode: 'FRA',
    keywords: ['Olympics', 'Cycling'],
    transmissionReference: 'DPA88123',
    ceremony: false,
  },
];

/** The IPTC IIM, XMP and EXIF fields an agency sends with the photo. */
function wireTags(p: WirePhoto): WriteTags {
  const [date, time] = p.local.split(' ') as [string, string];
  const tags: WriteTags = {
    'IPTC:CodedCharacterSet': 'UTF8',
    'IPTC:Caption-Abstract': p.caption,
    'IPTC:Headline': p.headline,
    'IPTC:By-line': p.byline,
    'IPTC:By-lineTitle': 'STF',
    'IPTC:Credit': p.credit,
    'IPTC:Source': p.source,
    'IPTC:DateCreated': date,
    'IPTC:TimeCreated': `${time}${p.offset}`,
    'IPTC:City': p.city,
    'IPTC:Country-PrimaryLocationName': p.country,
    'IPTC:Country-PrimaryLocationCode': p.countryCode,
    'IPTC:Keywords': p.keywords,
    'IPTC:OriginalTransmissionReference': p.transmissionReference,
    'IPTC:CopyrightNotice': `Copyright 2024 ${p.credit === 'dpa' ? 'dpa' : p.credit === 'REUTERS' ? 'Reuters' : 'The Associated Press'}. All rights reserved.`,
    'XMP-dc:Description': p.caption,
    'XMP-dc:Creator': [p.byline],
    'XMP-dc:Subject': p.keywords,
    'XMP-photoshop:Headline': p.headline,
    'XMP-photoshop:Credit': p.credit,
    'XMP-photoshop:Source': p.source,
    'XMP-photoshop:DateCreated': `${date} ${time}${p.offset}`,
    'XMP-photoshop:City': p.city,
    'XMP-photoshop:Country': p.country,
    'XMP-photoshop:TransmissionReference': p.transmissionReference,
    'XMP-iptcCore:CountryCode': p.countryCode,
    'EXIF:DateTimeOriginal': p.local,
    'EXIF:OffsetTimeOriginal': p.offset,
    'EXIF:Make': 'Canon',
    'EXIF:Model': 'Canon EOS R3',
  } as WriteTags;
  const t = tags as Record<string, unknown>;
  if (p.sublocation) {
    t['IPTC:Sub-location'] = p.sublocation;
    t['XMP-iptcCore:Location'] = p.sublocation;
  }
  if (p.objectName) {
    t['IPTC:ObjectName'] = p.objectName;
    t['XMP-dc:Title'] = p.objectName;
  }
  return tags;
}

/** The demo's story, and which files belong in its gallery. */
async function writeStory(photos: WirePhoto[]): Promise<void> {
  const story = {
    slug: 'paris-2024-closing-ceremony',
    headline: 'Paris Olympics end with star-studded closing ceremony at the Stade de France',
    event: {
      name: 'Paris 2024 Olympics closing ceremony',
      aliases: ['2024 Summer Olympics closing ceremony', 'Olympic closing ceremony'],
      venue: 'Stade de France',
      city: 'Saint-Denis',
      country: 'France',
      start: '2024-08-11T21:00:00+02:00',
      end: '2024-08-12T00:30:00+02:00',
      timezone: 'Europe/Paris',
    },
    keywords: ['olympics', 'closing ceremony', 'paris 2024', 'tom cruise'],
  };
  await writeFile(join(ROOT, 'demo', 'story.json'), `${JSON.stringify(story, null, 2)}\n`);
  await writeFile(
    join(ROOT, 'demo', 'expected.json'),
    `${JSON.stringify(
      {
        story: 'story.json',
        ceremonyFiles: photos.map((p) => p.file),
        distractorFiles: DISTRACTORS.map((p) => p.file),
      },
      null,
      2,
    )}\n`,
  );
}

async function main() {
  const captions = captionsFromArticle(await readFile(ARTICLE, 'utf8'));
  if (captions.length !== 16)
    throw new Error(`Expected 16 captions in the article, found ${captions.length}`);
  const photos = ceremonyPhotos(captions);
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const all = [...photos, ...DISTRACTORS];
  for (const [i, p] of all.entries()) {
    const path = join(OUT, p.file);
    await writeFile(path, await syntheticPhoto(1000 + i, 2400, 1600, p.ceremony));
    await exiftool.write(path, wireTags(p), { writeArgs: ['-overwrite_original'] });
  }
  await exiftool.end();
  await writeStory(photos);
  console.log(`Wrote ${all.length} photos to ${OUT}`);
}

await main();

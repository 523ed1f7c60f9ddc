/**
 * The wire load and the final count shared by the chaos runs (`npm run chaos`, `npm run chaos:ha`):
 * photos for five stories pushed at a steady rate over HTTP (retrying like a wire feed) and through
 * the hot folder, exact duplicates and corrections; then every accepted photo looked up: in a
 * gallery, unmatched, in review, rejected or a dead letter — anything else is lost; the same photo
 * twice, or a duplicate or correction filed as a new photo, is duplicated.
 */
import { createHash } from 'node:crypto';
import { readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type GalleryManifest, STAGES, stageIsIdle } from '@lightbox/contracts';
import { stripAdvisories } from '@lightbox/wire-rules';
import sharp from 'sharp';
import { offsetMinutes } from '../e2e/wire-photos.js';

/** What a chaos run talks to: the API (as an editor and as a feed) and the hot folder. */
export interface ChaosTarget {
  call(path: string, init?: RequestInit): Promise<Response>;
  pushPhoto(bytes: Buffer, filename: string, timeoutMs: number): Promise<Response>;
  inbox: string;
}

export const STORIES = [
  {
    slug: 'chaos-cup-final',
    name: 'Chaos Cup final',
    venue: 'Riverside Arena',
    city: 'Springfield',
    country: 'United States',
    offset: '-05:00',
  },
  {
    slug: 'grand-regatta',
    name: 'Grand Regatta',
    venue: 'Harbour Basin',
    city: 'Kiel',
    country: 'Germany',
    offset: '+02:00',
  },
  {
    slug: 'mountain-marathon',
    name: 'Mountain Marathon',
    venue: 'Col du Nord',
    city: 'Chamonix',
    country: 'France',
    offset: '+02:00',
  },
  {
    slug: 'city-jazz-festival',
    name: 'City Jazz Festival',
    venue: 'Old Quarter Stage',
    city: 'Montreal',
    country: 'Canada',
    offset: '-04:00',
  },
  {
    slug: 'harvest-fair-opening',
    name: 'Harvest Fair opening',
    venue: 'Fairgrounds Pavilion',
    city: 'Adelaide',
    country: 'Australia',
    offset: '+09:30',
  },
];
const DAY = '2024-08-20';
const AGENCIES = [
  ['AP', 'AP Photo/Jane Doe'],
  ['Reuters', 'REUTERS/John Roe'],
  ['AFP', 'AFP/Marie Dupont'],
  ['dpa', 'dpa/Max Muster'],
] as const;
export const DUPLICATES = 20;
export const CORRECTIONS = 10;
const HOT_FOLDER_SHARE = 0.2;

export interface PlannedPhoto {
  index: number;
  story: (typeof STORIES)[number];
  guid: string;
  caption: string;
  dateCreated: string;
  via: 'http' | 'hotfolder';
  bytes?: Buffer;
  sha256?: string;
}

export const photoIdOf = (p: PlannedPhoto) => `ph_${(p.sha256 as string).slice(0, 24)}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const say = (line: string) => process.stdout.write(`${line}\n`);
/** Seconds since the run started, for its log lines (`12.3s`). */
export function runClock(): () => string {
  const started = Date.now();
  return () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
}
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function xmp(p: PlannedPhoto, caption: string): string {
  const [credit, creditLine] = AGENCIES[p.index % AGENCIES.length] as readonly [string, string];
  return `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(`${caption} (${creditLine})`)}</rdf:li></rdf:Alt></dc:description>
<photoshop:City>${p.story.city}</photoshop:City><photoshop:Country>${p.story.country}</photoshop:Country>
<photoshop:Credit>${credit}</photoshop:Credit><photoshop:DateCreated>${p.dateCreated}</photoshop:DateCreated>
<Iptc4xmpExt:Event><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(p.story.name)}</rdf:li></rdf:Alt></Iptc4xmpExt:Event>
<Iptc4xmpExt:DigImageGUID>${p.guid}</Iptc4xmpExt:DigImageGUID>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}

/** A photo-like picture unique to the photo (its own gradient angle and noise), 900×600. */
export async function picture(p: PlannedPhoto, caption: string): Promise<Buffer> {
  const w = 900;
  const h = 600;
  const raw = Buffer.alloc(w * h * 3);
  let seed = p.index * 7919 + 17;
  const angle = (p.index * 137.5 * Math.PI) / 180;
  const [cx, cy] = [Math.cos(angle), Math.sin(angle)];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const g = ((x / w) * cx + (y / h) * cy + 1) * 110;
      const i = (y * w + x) * 3;
      raw[i] = (g + (seed % 40) + p.index * 13) % 256;
      raw[i + 1] = (g * 0.7 + ((seed >> 8) % 40) + p.index * 29) % 256;
      raw[i + 2] = (255 - g + ((seed >> 16) % 40)) % 256;
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 80 })
    .withXmp(xmp(p, caption))
    .toBuffer();
}

/** The photos of a run, with their bytes: 20 % through the hot folder, the rest over HTTP. */
export async function plan(count: number): Promise<PlannedPhoto[]> {
  const photos = Array.from({ length: count }, (_, i): PlannedPhoto => {
    const story = STORIES[i % STORIES.length] as (typeof STORIES)[number];
    const n = Math.floor(i / STORIES.length);
    // Each story's photos 20 s apart from 19:00 local: never near-duplicates of each other.
    const t = new Date(Date.parse(`${DAY}T19:00:00${story.offset}`) + n * 20_000);
    const local = new Date(t.getTime() + offsetMinutes(story.offset) * 60_000).toISOString().slice(0, 19);
    return {
      index: i,
      story,
      guid: `urn:chaos:${i}`,
      caption: `Frame ${i}: a moment from the ${story.name} at the ${story.venue} in ${story.city}, ${story.country}, on ${DAY}.`,
      dateCreated: `${local}${story.offset}`,
      via: i % Math.round(1 / HOT_FOLDER_SHARE) === 0 ? 'hotfolder' : 'http',
    };
  });
  for (const p of photos) {
    p.bytes = await picture(p, p.caption);
    p.sha256 = createHash('sha256').update(p.bytes).digest('hex');
  }
  return photos;
}

/** Registers the five stories; their ids by slug. */
export async function createStories(target: ChaosTarget): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const s of STORIES) {
    const res = await target.call('/v1/stories', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        slug: s.slug,
        headline: `${s.name} in ${s.city}`,
        event: {
          name: s.name,
          venue: s.venue,
          city: s.city,
          country: s.country,
          start: `${DAY}T18:00:00${s.offset}`,
          end: `${DAY}T23:30:00${s.offset}`,
        },
      }),
    });
    if (res.status !== 201) throw new Error(`story ${s.slug}: ${res.status} ${await res.text()}`);
    ids.set(s.slug, ((await res.json()) as { id: string }).id);
  }
  return ids;
}

export interface LoadResult {
  httpRetries: number;
  duplicatesOk: number;
  correctionsSameId: number;
  /** photoId → the corrected caption sent. */
  corrected: Map<string, string>;
}

/**
 * Pushes the photos at `rate` per second (hot-folder ones written into the inbox), then exact
 * duplicates and corrections of HTTP photos. HTTP pushes retry until a 2xx, like a wire feed;
 * `onAccepted` hears of every HTTP acknowledgement (its time, the id answered).
 */
export async function pushLoad(
  target: ChaosTarget,
  photos: PlannedPhoto[],
  rate: number,
  onAccepted: (photoId: string, at: number, startedAt: number) => void = () => {},
): Promise<LoadResult> {
  let httpRetries = 0;
  async function push(bytes: Buffer, filename: string): Promise<{ photoId: string }> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      const startedAt = Date.now();
      try {
        const res = await target.pushPhoto(bytes, filename, 20_000);
        if (res.status === 202 || res.status === 200) {
          const body = (await res.json()) as { photoId: string };
          onAccepted(body.photoId, Date.now(), startedAt);
          return body;
        }
        if (res.status === 422) throw new Error(`refused: ${await res.text()}`);
      } catch (err) {
        if ((err as Error).message.startsWith('refused')) throw err;
      }
      httpRetries++;
      if (Date.now() > deadline) throw new Error(`could not push ${filename} within 3 minutes`);
      await sleep(1000);
    }
  }

  const t0 = Date.now();
  const pushes: Promise<unknown>[] = [];
  for (const p of photos) {
    const due = t0 + (p.index / rate) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    const name = `chaos-${String(p.index).padStart(4, '0')}.jpg`;
    if (p.via === 'hotfolder') {
      pushes.push(
        (async () => {
          const tmp = join(target.inbox, `${name}.part`);
          await writeFile(tmp, p.bytes as Buffer);
          await rename(tmp, join(target.inbox, name));
        })(),
      );
    } else pushes.push(push(p.bytes as Buffer, name));
  }
  // Exact duplicates (same bytes) and corrections (same guid, new caption) of HTTP photos.
  const httpPhotos = photos.filter((p) => p.via === 'http');
  const duplicateChecks = httpPhotos
    .slice(0, DUPLICATES)
    .map((p) => push(p.bytes as Buffer, `dup-${p.index}.jpg`).then((r) => r.photoId === photoIdOf(p)));
  const corrected = new Map<string, string>();
  const correctionChecks = httpPhotos.slice(DUPLICATES, DUPLICATES + CORRECTIONS).map((p) => {
    const caption = `CORRECTS spelling of venue: ${p.caption}`;
    corrected.set(photoIdOf(p), caption);
    return (async () => {
      await Promise.all(pushes); // the original is in before its correction
      const r = await push(await picture(p, caption), `fix-${p.index}.jpg`);
      return r.photoId === photoIdOf(p);
    })();
  });
  await Promise.all(pushes);
  const duplicatesOk = (await Promise.all(duplicateChecks)).filter(Boolean).length;
  const correctionsSameId = (await Promise.all(correctionChecks)).filter(Boolean).length;
  return { httpRetries, duplicatesOk, correctionsSameId, corrected };
}

/** Waits until every stage is idle and the inbox is empty; whether it got there, and when. */
export async function waitDrained(target: ChaosTarget, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const queues = (await (await target.call('/v1/queues')).json()) as Parameters<typeof stageIsIdle>[0][];
      const inboxLeft = (await readdir(target.inbox)).filter((f) => f.endsWith('.jpg')).length;
      if (queues.length === STAGES.length && queues.every(stageIsIdle) && inboxLeft === 0) return true;
    } catch {
      // API briefly unavailable: keep waiting.
    }
    await sleep(500);
  }
  return false;
}

export interface ChaosCount {
  accepted: number;
  published: number;
  unmatched: number;
  review: number;
  dead_letter: number;
  rejected: number;
  lost: number;
  duplicated: number;
  correctionsInGallery: number;
  lostIds: string[];
}

/** Looks up every accepted photo (see the file comment). */
export async function countOutcomes(
  target: ChaosTarget,
  photos: PlannedPhoto[],
  storyIds: Iterable<string>,
  load: LoadResult,
): Promise<ChaosCount> {
  const inGallery = new Map<string, number>();
  let duplicated = 0;
  const captions = new Map<string, string>();
  for (const id of storyIds) {
    const res = await target.call(`/v1/galleries/${id}`);
    if (res.status !== 200) continue;
    const m = (await res.json()) as GalleryManifest;
    const seen = new Set<string>();
    for (const p of m.photos) {
      for (const pid of [p.photoId, ...p.alternates.map((a) => a.photoId)]) {
        if (seen.has(pid)) duplicated++;
        seen.add(pid);
        inGallery.set(pid, (inGallery.get(pid) ?? 0) + 1);
      }
      if (p.caption) captions.set(p.photoId, p.caption);
    }
  }
  for (const n of inGallery.values()) if (n > 1) duplicated += n - 1; // one photo in two galleries
  const dead = (await (await target.call('/v1/dead-letters?limit=500')).json()) as {
    letters: { photoId?: string }[];
  };
  const deadPhotos = new Set(dead.letters.map((l) => l.photoId).filter(Boolean));
  const accepted = new Set(photos.map(photoIdOf));
  const counts = { published: 0, unmatched: 0, review: 0, dead_letter: 0, rejected: 0, lost: 0 };
  const lostIds: string[] = [];
  for (const id of accepted) {
    if (inGallery.has(id)) {
      counts.published++;
      continue;
    }
    const res = await target.call(`/v1/photos/${id}`);
    const status = res.status === 200 ? ((await res.json()) as { status: string }).status : 'missing';
    if (status === 'unmatched') counts.unmatched++;
    else if (status === 'review') counts.review++;
    else if (status === 'rejected') counts.rejected++;
    else if (deadPhotos.has(id)) counts.dead_letter++;
    else {
      counts.lost++;
      lostIds.push(`${id} (${status})`);
    }
  }
  // The gallery shows the caption without the agency's advisory header (public text).
  let correctionsInGallery = 0;
  for (const [id, caption] of load.corrected)
    if (captions.get(id)?.startsWith(stripAdvisories(caption))) correctionsInGallery++;
  duplicated += DUPLICATES - load.duplicatesOk + (CORRECTIONS - load.correctionsSameId);
  return { accepted: accepted.size, ...counts, duplicated, correctionsInGallery, lostIds };
}

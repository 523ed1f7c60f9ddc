/**
 * `npm run chaos [-- --photos N]`: the real stack on this machine under faults, and a report of
 * what was lost or duplicated. See docs/reliability.md.
 *
 * Runs redis-server (AOF), s3rver, the API, the hot-folder service and two worker processes, as
 * production does. Pushes N photos for 5 stories at a steady rate over HTTP (retrying like a wire
 * feed) and through the hot folder, plus 20 exact duplicates and 10 corrections. Meanwhile it
 * SIGKILLs a random worker every 3 s (and restarts it), restarts redis-server once, and takes S3
 * away for 15 s. Then it waits for the pipeline to drain and checks every accepted photo.
 * Writes bench/results/chaos.json; exits 1 when anything was lost or duplicated or the drain took
 * longer than 60 s.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type GalleryManifest, STAGES, stageIsIdle } from '@lightbox/contracts';
import { REPO_ROOT } from '@lightbox/test-infra';
import { stripAdvisories } from '@lightbox/wire-rules';
import sharp from 'sharp';
import { offsetMinutes } from '../e2e/wire-photos.js';
import { alive, startLocalStack } from '../support/local-stack.js';

const { values } = parseArgs({
  options: { photos: { type: 'string', default: '500' }, keep: { type: 'boolean', default: false } },
});
const PHOTOS = Math.max(10, Number(values.photos));
const RATE = Math.max(2, PHOTOS / 100); // photos per second: 500 over ~100 s; 50 over ~25 s
const DUPLICATES = 20;
const CORRECTIONS = 10;
const HOT_FOLDER_SHARE = 0.2;
const WORKERS = 2;

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
const at = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

// ---------------------------------------------------------------- stories and photos
const STORIES = [
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

interface PlannedPhoto {
  index: number;
  story: (typeof STORIES)[number];
  guid: string;
  caption: string;
  dateCreated: string;
  via: 'http' | 'hotfolder';
  bytes?: Buffer;
  sha256?: string;
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
async function picture(p: PlannedPhoto, caption: string): Promise<Buffer> {
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

function plan(): PlannedPhoto[] {
  return Array.from({ length: PHOTOS }, (_, i) => {
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
}

// ---------------------------------------------------------------- the run
async function main(): Promise<void> {
  const stack = await startLocalStack({ workers: WORKERS, env: { LIGHTBOX_RENDER_CONCURRENCY: '2' } });
  const { inbox, workers } = stack;
  const call = (path: string, init?: RequestInit) => stack.call(path, init);

  const storyIds = new Map<string, string>();
  for (const s of STORIES) {
    const res = await call('/v1/stories', {
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
    storyIds.set(s.slug, ((await res.json()) as { id: string }).id);
  }

  say(`chaos: ${PHOTOS} photos at ${RATE}/s for ${STORIES.length} stories, ${WORKERS} workers`);
  const photos = plan();
  for (const p of photos) {
    p.bytes = await picture(p, p.caption);
    p.sha256 = createHash('sha256').update(p.bytes).digest('hex');
  }
  say(`${at()} generated ${photos.length} photos`);

  // Pushes over HTTP like a wire feed: retries until the API answers 2xx (or refuses the input).
  const responses: { photoId: string; duplicate?: boolean; status: string }[] = [];
  let httpRetries = 0;
  async function push(
    bytes: Buffer,
    filename: string,
  ): Promise<{ photoId: string; duplicate?: boolean; status: string }> {
    const deadline = Date.now() + 180_000;
    for (;;) {
      try {
        const res = await stack.pushPhoto(bytes, filename, 20_000);
        if (res.status === 202 || res.status === 200)
          return (await res.json()) as { photoId: string; status: string };
        if (res.status === 422) throw new Error(`refused: ${await res.text()}`);
      } catch (err) {
        if ((err as Error).message.startsWith('refused')) throw err;
      }
      httpRetries++;
      if (Date.now() > deadline) throw new Error(`could not push ${filename} within 3 minutes`);
      await sleep(1000);
    }
  }

  // ---------------------------------------------------------------- faults
  const pushSeconds = PHOTOS / RATE;
  const faults: string[] = [];
  let faultsOn = true;
  const killer = setInterval(() => {
    if (!faultsOn) return;
    const victim = workers[Math.floor(Math.random() * workers.length)];
    if (!victim) return;
    if (alive(victim)) {
      victim.child?.kill('SIGKILL');
      victim.kills++;
    }
  }, 3000);
  const redisRestart = (async () => {
    await sleep(pushSeconds * 0.3 * 1000);
    faults.push(`${at()} redis-server restart (SHUTDOWN with AOF, start again)`);
    say(faults.at(-1) as string);
    await stack.restartRedis();
    faults.push(`${at()} redis-server back`);
  })();
  const s3Outage = (async () => {
    await sleep(pushSeconds * 0.6 * 1000);
    faults.push(`${at()} S3 down for 15 s`);
    say(faults.at(-1) as string);
    await stack.s3Outage(15_000);
    faults.push(`${at()} S3 back`);
    say(faults.at(-1) as string);
  })();

  // ---------------------------------------------------------------- load
  const t0 = Date.now();
  const pushes: Promise<void>[] = [];
  for (const p of photos) {
    const due = t0 + (p.index / RATE) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    const name = `chaos-${String(p.index).padStart(4, '0')}.jpg`;
    if (p.via === 'hotfolder') {
      pushes.push(
        (async () => {
          const tmp = join(inbox, `${name}.part`);
          await writeFile(tmp, p.bytes as Buffer);
          await rename(tmp, join(inbox, name));
        })(),
      );
    } else {
      pushes.push(push(p.bytes as Buffer, name).then((r) => void responses.push(r)));
    }
  }
  // Exact duplicates (same bytes) and corrections (same guid, new caption) of HTTP photos.
  const httpPhotos = photos.filter((p) => p.via === 'http');
  const duplicateChecks: Promise<boolean>[] = [];
  for (const p of httpPhotos.slice(0, DUPLICATES)) {
    duplicateChecks.push(
      push(p.bytes as Buffer, `dup-${p.index}.jpg`).then(
        (r) => r.photoId === `ph_${(p.sha256 as string).slice(0, 24)}`,
      ),
    );
  }
  const corrected = new Map<string, string>(); // photoId → corrected caption
  const correctionChecks: Promise<boolean>[] = [];
  for (const p of httpPhotos.slice(DUPLICATES, DUPLICATES + CORRECTIONS)) {
    const caption = `CORRECTS spelling of venue: ${p.caption}`;
    const original = `ph_${(p.sha256 as string).slice(0, 24)}`;
    corrected.set(original, caption);
    correctionChecks.push(
      (async () => {
        await Promise.all(pushes); // the original is in before its correction
        const bytes = await picture(p, caption);
        const r = await push(bytes, `fix-${p.index}.jpg`);
        return r.photoId === original;
      })(),
    );
  }
  await Promise.all(pushes);
  say(`${at()} all ${PHOTOS} photos handed over (${httpRetries} HTTP retries)`);
  const duplicatesOk = (await Promise.all(duplicateChecks)).filter(Boolean).length;
  const correctionsSameId = (await Promise.all(correctionChecks)).filter(Boolean).length;
  await Promise.all([redisRestart, s3Outage]);
  faultsOn = false;
  clearInterval(killer);
  const faultsEnd = Date.now();
  say(`${at()} faults stopped; ${workers.reduce((n, w) => n + w.kills, 0)} worker SIGKILLs; draining…`);

  // ---------------------------------------------------------------- drain
  const accepted = new Set(photos.map((p) => `ph_${(p.sha256 as string).slice(0, 24)}`));
  let drained = false;
  while (Date.now() - faultsEnd < 300_000) {
    try {
      const queues = (await (await call('/v1/queues')).json()) as Parameters<typeof stageIsIdle>[0][];
      const inboxLeft = (await readdir(inbox)).filter((f) => f.endsWith('.jpg')).length;
      if (queues.length === STAGES.length && queues.every(stageIsIdle) && inboxLeft === 0) {
        drained = true;
        break;
      }
    } catch {
      // API briefly unavailable: keep waiting.
    }
    await sleep(500);
  }
  const drainSeconds = (Date.now() - faultsEnd) / 1000;
  say(`${at()} ${drained ? 'drained' : 'NOT drained'} after ${drainSeconds.toFixed(1)} s`);

  // ---------------------------------------------------------------- verify
  const inGallery = new Map<string, number>();
  let duplicated = 0;
  const captions = new Map<string, string>();
  for (const id of storyIds.values()) {
    const res = await call(`/v1/galleries/${id}`);
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
  const dead = (await (await call('/v1/dead-letters?limit=500')).json()) as {
    total: number;
    letters: { photoId?: string }[];
  };
  const deadPhotos = new Set(dead.letters.map((l) => l.photoId).filter(Boolean));
  const counts = { published: 0, unmatched: 0, review: 0, dead_letter: 0, rejected: 0, lost: 0 };
  const lostIds: string[] = [];
  for (const id of accepted) {
    if (inGallery.has(id)) {
      counts.published++;
      continue;
    }
    const res = await call(`/v1/photos/${id}`);
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
  // Corrections: same photo, newest caption in the gallery.
  let correctionsApplied = 0;
  // The gallery shows the caption without the agency's advisory header (public text).
  for (const [id, caption] of corrected)
    if (captions.get(id)?.startsWith(stripAdvisories(caption))) correctionsApplied++;
  const exactDuplicatesMisfiled = DUPLICATES - duplicatesOk;
  const correctionsMisfiled = CORRECTIONS - correctionsSameId;
  duplicated += exactDuplicatesMisfiled + correctionsMisfiled;

  const result = {
    photos: PHOTOS,
    accepted: accepted.size,
    ...counts,
    duplicated,
    drain_s: Number(drainSeconds.toFixed(1)),
    drained,
    exact_duplicates_sent: DUPLICATES,
    exact_duplicates_recognised: duplicatesOk,
    corrections_sent: CORRECTIONS,
    corrections_as_new_version: correctionsSameId,
    corrections_in_gallery: correctionsApplied,
    worker_sigkills: workers.reduce((n, w) => n + w.kills, 0),
    http_retries: httpRetries,
    faults,
    lost_ids: lostIds.slice(0, 50),
    targets: { lost: 0, duplicated: 0, drain_s: 60 },
    met: counts.lost === 0 && duplicated === 0 && drained && drainSeconds <= 60,
  };
  await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(REPO_ROOT, 'bench', 'results', 'chaos.json'), `${JSON.stringify(result, null, 2)}\n`);
  say('');
  say(
    `accepted ${result.accepted}: published ${counts.published}, unmatched ${counts.unmatched}, review ${counts.review}, dead letters ${counts.dead_letter}, rejected ${counts.rejected}`,
  );
  say(`lost ${counts.lost}, duplicated ${duplicated}, drained in ${result.drain_s} s`);
  say(
    `exact duplicates recognised ${duplicatesOk}/${DUPLICATES}; corrections as new versions ${correctionsSameId}/${CORRECTIONS}, in gallery ${correctionsApplied}/${CORRECTIONS}`,
  );
  say(result.met ? 'MET: 0 lost, 0 duplicated, drained within 60 s' : 'MISSED');
  if (lostIds.length > 0) say(`lost: ${lostIds.slice(0, 10).join(', ')}`);

  if (!result.met)
    for (const svc of [stack.api, stack.ingest, ...workers])
      say(`--- ${svc.name} log (tail) ---\n${svc.log.slice(-3000)}`);
  await stack.stop({ keepData: values.keep });
  if (values.keep) say(`data kept in ${stack.dataDir}`);
  process.exit(result.met ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * Builds the labelled matching corpus (bench/matching/corpus.json): stories for events that
 * overlap on the same days in several cities and time zones, and photos captioned the way AP,
 * Reuters, AFP/Getty, Getty, dpa, EPA and The Canadian Press write, with typos, missing fields,
 * zone-less and UTC-stamped times, and distractors from the same places and days. It starts with
 * the 16 photos of the seed article (read from demo/wire), and ends with the desk cases
 * (desk-cases.ts): generic events in several cities at once, exact keys, closed and unknown events.
 * The events and distractors are data (corpus-events.json, corpus-distractors.json); captions are
 * written by agency-captions.ts, photos shot by corpus-shots.ts.
 * Deterministic: run it again to rebuild (then `npx biome format --write` the JSON).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPhotoMetadata } from '@lightbox/metadata';
import { demoPath, REPO_ROOT } from '@lightbox/test-infra';
import { CorpusRandom } from './corpus-random.js';
import { CorpusShots } from './corpus-shots.js';
import type { Corpus, CorpusPhoto, DistractorSpec, EventSpec } from './corpus-spec.js';
import { CLOSED_EVENT, DESK_EVENTS } from './desk-cases.js';
import { DESK_DISTRACTORS } from './desk-distractors.js';
import { keyCasePhotos } from './desk-key-photos.js';

export type { Corpus, CorpusPhoto, CorpusStory } from './corpus-spec.js';

/** `--seed N` and `--hard` (more typos; stories entered with no aliases, venues or keywords) make variants for robustness checks. */
const argv = process.argv.slice(2);
const HARD = argv.includes('--hard');
const OUT = argv.includes('--out') ? (argv[argv.indexOf('--out') + 1] as string) : undefined;
const SEED = argv.includes('--seed') ? Number(argv[argv.indexOf('--seed') + 1]) : 20240811;
const shots = new CorpusShots(new CorpusRandom(SEED), HARD ? 0.35 : 0.12);

/** Event or distractor specs kept as data beside this script. */
async function readSpecs<T>(file: string): Promise<T[]> {
  return JSON.parse(await readFile(join(REPO_ROOT, 'bench', 'matching', file), 'utf8')) as T[];
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
  const events = await readSpecs<EventSpec>('corpus-events.json');
  for (const e of events) photos.push(...shots.eventPhotos(e));
  photos.push(
    ...shots.distractorPhotos(await readSpecs<DistractorSpec>('corpus-distractors.json'), 'distractor'),
  );

  // Desk cases, appended so the photos above stay as they were.
  for (const e of DESK_EVENTS) photos.push(...shots.eventPhotos(e));
  photos.push(...shots.distractorPhotos(DESK_DISTRACTORS, 'desk-distractor'));
  photos.push(...keyCasePhotos(shots));
  const storyEvents = [...events, ...DESK_EVENTS, CLOSED_EVENT];
  const stories = HARD
    ? storyEvents.map((e) => ({
        ...e.story,
        event: { ...e.story.event, aliases: [], venue: undefined },
        keywords: [],
      }))
    : storyEvents.map((e) => e.story);
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

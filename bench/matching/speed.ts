/**
 * `npm run bench:match`: matching time per photo with 10,000 open stories (`--stories N`).
 * Stories: the corpus's own plus generated events spread over ~two months, many on the same
 * days and in the same cities. Photos: the labelled corpus, matched repeatedly. Reports the time
 * per photo (mean, p95) against the 2 ms target, and that the decisions match the small index.
 * Writes bench/results/match-speed.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Story } from '@lightbox/contracts';
import { DEFAULT_MATCH_OPTIONS, type LabelledPhoto, matchWithIndex, StoryIndex } from '@lightbox/matching';
import { REPO_ROOT } from '@lightbox/test-infra';

const { values } = parseArgs({ options: { stories: { type: 'string' }, rounds: { type: 'string' } } });
const storyCount = Number(values.stories ?? 10_000);
const rounds = Number(values.rounds ?? 5);
const corpus = JSON.parse(await readFile(join(REPO_ROOT, 'bench', 'matching', 'corpus.json'), 'utf8')) as {
  stories: Story[];
  photos: LabelledPhoto[];
};

let seed = 42;
const rnd = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = <T>(l: readonly T[]) => l[Math.floor(rnd() * l.length)] as T;
const SPORTS = [
  'football',
  'rugby',
  'cricket',
  'tennis',
  'golf',
  'cycling',
  'swimming',
  'boxing',
  'hockey',
  'baseball',
  'volleyball',
  'sailing',
  'rowing',
  'judo',
  'fencing',
  'archery',
];
const KINDS = [
  'final',
  'semifinal',
  'qualifier',
  'derby',
  'cup match',
  'championship',
  'open',
  'grand prix',
  'trophy',
];
const NEWS = [
  'summit',
  'protest',
  'election rally',
  'flood',
  'storm',
  'earthquake',
  'strike',
  'trial',
  'festival',
  'parade',
  'concert',
  'fire',
  'state visit',
  'press conference',
];
const CITIES: [string, string, string][] = [
  ['Paris', 'France', '+02:00'],
  ['Saint-Denis', 'France', '+02:00'],
  ['Lyon', 'France', '+02:00'],
  ['London', 'United Kingdom', '+01:00'],
  ['Berlin', 'Germany', '+02:00'],
  ['Madrid', 'Spain', '+02:00'],
  ['Rome', 'Italy', '+02:00'],
  ['Athens', 'Greece', '+03:00'],
  ['New York', 'United States', '-04:00'],
  ['Los Angeles', 'United States', '-07:00'],
  ['Long Beach', 'United States', '-07:00'],
  ['Tokyo', 'Japan', '+09:00'],
  ['Sydney', 'Australia', '+10:00'],
  ['Nairobi', 'Kenya', '+03:00'],
  ['Sao Paulo', 'Brazil', '-03:00'],
];
const NAMES = [
  'Alder',
  'Brook',
  'Cedar',
  'Dawn',
  'Elm',
  'Fjord',
  'Granite',
  'Harbor',
  'Iris',
  'Juniper',
  'Kestrel',
  'Larch',
  'Maple',
  'Nova',
  'Orchid',
  'Pine',
  'Quarry',
  'Raven',
  'Sage',
  'Thorn',
];

function generated(i: number): Story {
  const [city, country] = pick(CITIES);
  const news = rnd() < 0.4;
  const name = news
    ? `${city} ${pick(NEWS)} ${pick(NAMES)}`
    : `${pick(NAMES)} ${pick(SPORTS)} ${pick(KINDS)}${rnd() < 0.3 ? ` ${2024 + Math.floor(rnd() * 2)}` : ''}`;
  // Two months around August 2024, dense on the Olympic weekend.
  const base =
    Date.parse('2024-07-15T00:00:00Z') +
    (rnd() < 0.3 ? 27 * 86_400_000 + rnd() * 2 * 86_400_000 : rnd() * 60 * 86_400_000);
  const hours = news ? 2 + rnd() * 70 : 1 + rnd() * 4;
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  return {
    id: `gen_${i}`,
    slug: `gen-${i}`,
    headline: `${name} headline ${i}`,
    status: 'open',
    createdAt: '',
    updatedAt: '',
    event: {
      name,
      city,
      country,
      venue:
        rnd() < 0.5 ? `${pick(NAMES)} ${pick(['Arena', 'Stadium', 'Park', 'Hall', 'Square'])}` : undefined,
      start: iso(base),
      end: iso(base + hours * 3600_000),
    },
    keywords: [pick(SPORTS), pick(NEWS)],
  };
}

const real: Story[] = corpus.stories.map((s) => ({
  ...s,
  status: s.status ?? 'open',
  createdAt: '',
  updatedAt: '',
}));
const index = new StoryIndex(DEFAULT_MATCH_OPTIONS.slackHours * 3600_000);
const t0 = performance.now();
for (const s of real) index.upsert(s);
for (let i = real.length; i < storyCount; i++) index.upsert(generated(i));
const indexMs = performance.now() - t0;

const small = new StoryIndex(DEFAULT_MATCH_OPTIONS.slackHours * 3600_000);
for (const s of real) small.upsert(s);

// Warm up, then time every photo.
for (const p of corpus.photos) matchWithIndex(p.metadata, index);
const times: number[] = [];
let changed = 0;
const transitions = new Map<string, number>();
for (let r = 0; r < rounds; r++) {
  for (const p of corpus.photos) {
    const start = performance.now();
    const out = matchWithIndex(p.metadata, index);
    times.push(performance.now() - start);
    if (r === 0) {
      const alone = matchWithIndex(p.metadata, small);
      if (alone.decision !== out.decision || alone.storyId !== out.storyId) {
        changed++;
        const key = `${alone.decision}${alone.decision === 'matched' ? '' : ''} → ${out.decision}${out.storyId?.startsWith('gen_') ? ' (generated story)' : ''}`;
        transitions.set(key, (transitions.get(key) ?? 0) + 1);
      }
    }
  }
}
// Baseline, same run: the same photos against the corpus's real stories alone (what the index adds on top).
const baseTimes: number[] = [];
for (let r = 0; r < rounds; r++) {
  for (const p of corpus.photos) {
    const start = performance.now();
    matchWithIndex(p.metadata, small);
    baseTimes.push(performance.now() - start);
  }
}
const baseMean = baseTimes.reduce((a, b) => a + b, 0) / baseTimes.length;
times.sort((a, b) => a - b);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
const p95 = times[Math.floor(times.length * 0.95)] as number;
const result = {
  stories: index.size,
  photos_timed: times.length,
  index_build_ms: Math.round(indexMs),
  mean_ms_per_photo: mean,
  p95_ms_per_photo: p95,
  max_ms_per_photo: times[times.length - 1],
  baseline_real_stories: real.length,
  baseline_real_stories_mean_ms: baseMean,
  ratio_to_baseline: mean / baseMean,
  decisions_changed_by_10k_stories: changed,
  decision_changes: Object.fromEntries(transitions),
  target_ms: 2,
  met: mean <= 2,
};
console.log(`${index.size} open stories indexed in ${result.index_build_ms} ms`);
console.log(
  `match: mean ${mean.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms, max ${result.max_ms_per_photo?.toFixed(3)} ms per photo over ${times.length} matches (target ≤ 2 ms)`,
);
console.log(
  `baseline (same run, the ${real.length} real stories): mean ${baseMean.toFixed(3)} ms; ${index.size} stories cost ${(mean / baseMean).toFixed(2)}× the baseline`,
);
console.log(
  `decisions that differ from matching against the real stories alone: ${changed} of ${corpus.photos.length}`,
);
for (const [k, v] of transitions) console.log(`  ${k}: ${v}`);
console.log(result.met ? 'MET' : 'MISSED');
await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(
  join(REPO_ROOT, 'bench', 'results', 'match-speed.json'),
  `${JSON.stringify(result, null, 2)}\n`,
);

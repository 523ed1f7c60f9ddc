/**
 * `npm run eval:matching [-- --corpus path.json]`: precision and recall of auto-matches, where the
 * misses went, and the confusion by story. Corpus format: bench/matching/corpus.json
 * ({ stories: StoryInput & {id}, photos: {id, label, note?, metadata} }).
 * Writes bench/results/match-eval.json. Exit code 1 when a target is missed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Story } from '@lightbox/contracts';
import { evaluate, type LabelledPhoto } from '@lightbox/matching';
import { REPO_ROOT } from '@lightbox/test-infra';

const { values } = parseArgs({ options: { corpus: { type: 'string' }, errors: { type: 'boolean' } } });
const path = values.corpus ?? join(REPO_ROOT, 'bench', 'matching', 'corpus.json');
const corpus = JSON.parse(await readFile(path, 'utf8')) as {
  stories: (Omit<Story, 'status' | 'createdAt' | 'updatedAt'> & { status?: Story['status'] })[];
  photos: LabelledPhoto[];
};
const stories: Story[] = corpus.stories.map((s) => ({ status: 'open', createdAt: '', updatedAt: '', ...s }));
const e = evaluate(stories, corpus.photos);

const say = (line = '') => process.stdout.write(`${line}\n`);
say(`corpus: ${path}`);
say(`${e.photos} photos, ${stories.length} stories, ${e.labelled} photos with a story`);
say('');
say(
  `auto-matches:  ${e.truePositives + e.falsePositives} (${e.truePositives} right, ${e.falsePositives} wrong)`,
);
say(`precision:     ${e.precision.toFixed(4)}   (target ≥ 0.99)`);
say(`recall:        ${e.recall.toFixed(4)}   (target ≥ 0.95)`);
say(
  `misses:        ${e.missesInReview} in review, ${e.silentMisses} silently unmatched although a signal fired, ${e.unmatchedNoSignal} unmatched with no signal`,
);
say(
  `must reach an editor (closed or unknown events): ${e.reviewExpectedMet} of ${e.reviewExpected} in review`,
);
say(`review load:   ${e.reviewWithoutStory} photos with no story in review`);
say('');
const columns = [...new Set(Object.values(e.confusion).flatMap((r) => Object.keys(r)))].sort();
const width = Math.max(14, ...Object.keys(e.confusion).map((k) => k.length));
say(`${'label'.padEnd(width)}  ${columns.map((c) => c.replace('matched:', '→ ').padStart(14)).join('')}`);
for (const [label, row] of Object.entries(e.confusion).sort()) {
  say(`${label.padEnd(width)}  ${columns.map((c) => String(row[c] ?? '').padStart(14)).join('')}`);
}
if (values.errors || e.errors.length <= 40) {
  say('');
  say('not auto-matched right:');
  for (const err of e.errors)
    say(
      `  ${err.id} [${err.note ?? ''}] label=${err.label} → ${err.outcome}\n      ${err.reasons.slice(0, 3).join('\n      ')}`,
    );
}
const targets = {
  precision: e.precision >= 0.99,
  recall: e.recall >= 0.95,
  silent_misses: e.silentMisses === 0,
  closed_and_unknown_events_reviewed: e.reviewExpectedMet === e.reviewExpected,
};
await mkdir(join(REPO_ROOT, 'bench', 'results'), { recursive: true });
await writeFile(
  join(REPO_ROOT, 'bench', 'results', 'match-eval.json'),
  `${JSON.stringify({ corpus: path, ...e, errors: e.errors.length, targets }, null, 2)}\n`,
);
say('');
for (const [k, met] of Object.entries(targets)) say(`${met ? 'MET   ' : 'MISSED'} ${k}`);
process.exitCode = Object.values(targets).every(Boolean) ? 0 : 1;

import type { MatchDecision, Story } from '@lightbox/contracts';
import { captureRange } from '@lightbox/contracts';
import { explain, keyReason } from './explain.js';
import type { PhotoKey } from './keys.js';
import { keyScheme } from './keys.js';
import { PreparedPhoto } from './prepared-photo.js';
import { type Score, scoreStory } from './score.js';
import {
  AMBIGUITY_MARGIN,
  DEFAULT_MATCH_OPTIONS,
  HOUR,
  type MatchablePhoto,
  type MatchOptions,
  type MatchOutcome,
  PLACE_ONLY_CANDIDATES,
  pct,
} from './signals.js';
import { type IndexedStory, StoryIndex } from './story-index.js';

export { datelinePlaces } from './prepared-photo.js';
export * from './signals.js';

/**
 * Stories that carry one of the photo's exact keys decide before any text scoring: one open story
 * is a match (score 1); a closed one, or several, go to an editor.
 */
function decideByKeys(p: PreparedPhoto, index: StoryIndex): MatchOutcome | undefined {
  const keyed = new Map<string, PhotoKey[]>();
  for (const key of p.keys)
    for (const id of index.withKey(key.value) ?? []) keyed.set(id, [...(keyed.get(id) ?? []), key]);
  if (keyed.size === 0) return undefined;
  const hits = [...keyed]
    .map(([id, keys]) => ({ entry: index.get(id) as IndexedStory, keys }))
    .sort(
      (a, b) =>
        Number(a.entry.story.status === 'closed') - Number(b.entry.story.status === 'closed') ||
        a.entry.story.id.localeCompare(b.entry.story.id),
    );
  const candidates = hits.slice(0, 5).map(({ entry, keys }) => ({
    storyId: entry.story.id,
    score: 1,
    reasons: keys.map((k) => keyReason(k, entry.story.id)),
  }));
  const first = hits[0] as (typeof hits)[number];
  const outcome = (decision: MatchDecision, reasons: string[]): MatchOutcome => ({
    decision,
    storyId: first.entry.story.id,
    score: 1,
    reasons,
    candidates,
  });
  if (hits.length > 1)
    return outcome('review', [
      `ambiguous exact key: the photo's keys are on ${hits.map((h) => h.entry.story.id).join(', ')}`,
      ...(candidates[0]?.reasons ?? []),
    ]);
  if (first.entry.story.status === 'closed')
    return outcome('review', [
      ...first.keys.map(
        (k) =>
          `exact key: the photo's ${k.kind} "${k.value}" names ${first.entry.story.id}, which is closed: its gallery is final, late photos need an editor`,
      ),
    ]);
  return outcome('matched', candidates[0]?.reasons ?? []);
}

/**
 * Scores a photo against the indexed stories and decides.
 * - Exact keys first: a story carrying one of the photo's event ids, its job id or its guid
 *   (`event.ids`) is a match with score 1; a closed story, or several, go to review.
 * - Then heuristics, over the stories whose window (± slack) can contain the photo and that share a
 *   word (or, failing that, a place) with it:
 *   - `matched`: the best score reaches the auto threshold, with event evidence, no contradicting
 *     place and no close second;
 *   - `review`: a real candidate (an event or venue signal fired, or the score reaches the review
 *     threshold with more in common than time and place), a closed story, a near tie;
 *   - `unmatched`: no real candidate (the photo stays findable by search).
 * - A photo whose event id no story carries, from a vocabulary stories use (an unknown event), is
 *   never auto-matched.
 */
export function matchWithIndex(
  photo: MatchablePhoto,
  index: StoryIndex,
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): MatchOutcome {
  const p = new PreparedPhoto(photo);
  const byKey = decideByKeys(p, index);
  if (byKey) return byKey;
  const outcome = matchByScore(p, index, options);
  // An event id from a vocabulary the desk follows (stories carry others of it) that no story
  // carries names an event the desk does not know. Ids of vocabularies no story uses say nothing.
  const unknownIds = p.keys.filter((k) => {
    const scheme = k.kind === 'event id' ? keyScheme(k.value) : undefined;
    return scheme !== undefined && index.usesScheme(scheme);
  });
  if (unknownIds.length === 0) return outcome;
  const unknown = `exact key: the photo's event id ${unknownIds.map((k) => `"${k.value}"`).join(', ')} is on no story, though stories carry ${keyScheme(unknownIds[0]?.value ?? '')} ids (an unknown event): needs an editor`;
  if (outcome.decision === 'unmatched') return { ...outcome, reasons: [...outcome.reasons, unknown] };
  return { ...outcome, decision: 'review', reasons: [unknown, ...outcome.reasons] };
}

function matchByScore(p: PreparedPhoto, index: StoryIndex, options: MatchOptions): MatchOutcome {
  const range = captureRange(p.photo.dateCreated, index.slackMs);
  const scored: Score[] = [];
  const score = (ids: Set<string>, limit = Number.POSITIVE_INFINITY) => {
    for (const id of ids) {
      if (scored.length >= limit) return;
      const entry = index.get(id);
      const s = entry && scoreStory(p, entry, index, options);
      if (s) scored.push(s);
    }
  };
  // Stories sharing a word can match; stories sharing only a place can at most send the photo to
  // review, which matters only when nothing shares a word: then a few of them are enough.
  score(index.sharingWords(p.lookupTokens, range));
  if (scored.length === 0)
    score(index.sharingPlace([...p.city, ...p.country, ...p.places], range), PLACE_ONLY_CANDIDATES);
  scored.sort((a, b) => b.score - a.score || a.entry.story.id.localeCompare(b.entry.story.id));

  const top = scored
    .slice(0, 5)
    .map((s) => ({ storyId: s.entry.story.id, score: s.score, reasons: explain(s, p) }));
  const best = scored[0];
  if (!best) {
    return {
      decision: 'unmatched',
      storyId: null,
      score: 0,
      reasons: [
        index.size === 0
          ? 'no open stories'
          : 'no story in the time window shares a name, venue, place or keyword with the photo',
      ],
      candidates: [],
    };
  }
  const view = (decision: MatchDecision, s: Score, reasons?: string[]): MatchOutcome => ({
    decision,
    storyId: decision === 'unmatched' ? null : s.entry.story.id,
    score: s.score,
    reasons: reasons ?? top.find((c) => c.storyId === s.entry.story.id)?.reasons ?? explain(s, p),
    candidates: top,
  });
  const second = scored[1];
  if (best.score >= options.autoThreshold && best.evidence) {
    if (best.closed) return view('review', best);
    if (second && second.score >= options.autoThreshold && best.score - second.score < AMBIGUITY_MARGIN) {
      return view('review', best, [
        `ambiguous: ${best.entry.story.id} (${pct(best.score)}) and ${second.entry.story.id} (${pct(second.score)})`,
        ...explain(best, p),
      ]);
    }
    return view('matched', best);
  }
  const candidate = scored.find((s) => s.candidate);
  if (candidate) return view('review', candidate);
  return view('unmatched', best, [
    `no real candidate: the best, ${best.entry.story.id}, scored ${pct(best.score)} (review needs ${pct(options.reviewThreshold)} with more in common than time and place, or an event or venue signal)`,
    ...explain(best, p),
  ]);
}

/** Convenience for one-off matching: indexes the stories given, then matches. */
export function matchPhoto(
  photo: MatchablePhoto,
  stories: Story[],
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): MatchOutcome {
  const index = new StoryIndex(options.slackHours * HOUR);
  for (const s of stories) index.upsert(s);
  return matchWithIndex(photo, index, options);
}

import type { MatchCandidate, MatchDecision, PhotoMetadata, Story } from '@lightbox/contracts';
import { matchPhrase } from './phrase.js';
import { tokenize, tokenSimilarity, tokenWeight } from './text.js';
import { TfIdf } from './tfidf.js';
import { fitWindow, offsetOf, resolvePhotoTime } from './time-window.js';

export interface MatchOptions {
  autoThreshold: number;
  reviewThreshold: number;
  /** Hours around the event window in which photos are still considered. */
  slackHours: number;
}

export const DEFAULT_MATCH_OPTIONS: MatchOptions = {
  autoThreshold: 0.6,
  reviewThreshold: 0.3,
  slackHours: 6,
};

/** The photo fields the matcher reads. */
export type MatchablePhoto = Pick<
  PhotoMetadata,
  | 'caption'
  | 'headline'
  | 'event'
  | 'objectName'
  | 'keywords'
  | 'city'
  | 'sublocation'
  | 'country'
  | 'countryCode'
  | 'dateCreated'
>;

/** Weight of each signal in the final score (they sum to 1). */
export const SIGNAL_WEIGHTS = {
  event: 0.45,
  time: 0.2,
  venue: 0.15,
  place: 0.05,
  keywords: 0.05,
  text: 0.1,
} as const;

/** A venue counts only when its distinctive words are there, not just the country in its name. */
export const VENUE_MIN = 0.7;

/** Below this event score there is no event evidence, and the photo cannot be auto-matched. */
export const EVENT_EVIDENCE_MIN = 0.6;

export interface MatchOutcome {
  decision: MatchDecision;
  storyId: string | null;
  score: number;
  reasons: string[];
  /** Scored stories, best first. */
  candidates: MatchCandidate[];
}

const pct = (n: number) => n.toFixed(2);

function storyDocument(story: Story): string {
  return [
    story.headline,
    story.event.name,
    ...(story.event.aliases ?? []),
    story.event.venue,
    ...(story.keywords ?? []),
  ]
    .filter(Boolean)
    .join(' ');
}

function bestPhrase(
  phrases: string[],
  fields: [string, string | undefined][],
  generic?: ReadonlySet<string>,
) {
  let best = { score: 0, phrase: '', field: '', matched: '' };
  for (const phrase of phrases) {
    for (const [field, text] of fields) {
      const m = matchPhrase(phrase, text, generic);
      if (m.score > best.score) best = { score: m.score, phrase, field, matched: m.matched };
    }
  }
  return best;
}

function sameWords(a: string | undefined, b: string | undefined): boolean {
  const ta = tokenize(a).join(' ');
  const tb = tokenize(b).join(' ');
  return ta !== '' && ta === tb;
}

/** Scores one photo against one story. Returns undefined when the photo's time is outside the window. */
export function scoreStory(
  photo: MatchablePhoto,
  story: Story,
  tfidf: TfIdf,
  storyIndex: number,
  options: MatchOptions,
): MatchCandidate | undefined {
  const reasons: string[] = [];
  const storyStart = Date.parse(story.event.start);
  const storyEnd = Date.parse(story.event.end);
  const storyOffset = offsetOf(story.event.start) ?? '+00:00';

  // Time
  let timeScore = 0;
  const time = resolvePhotoTime(photo.dateCreated, storyOffset);
  if (time) {
    const fit = fitWindow(time, storyStart, storyEnd, options.slackHours * 3600_000);
    if (!fit) return undefined;
    timeScore = fit.score;
    if (time.note) {
      timeScore *= 0.8;
      reasons.push(`time: ${time.note}`);
    }
    reasons.push(
      fit.inside
        ? `time: ${photo.dateCreated} is within the event (${story.event.start} – ${story.event.end})`
        : `time: ${photo.dateCreated} is ${(fit.distanceMs / 3600_000).toFixed(1)} h outside the event window`,
    );
  } else {
    reasons.push('time: photo has no usable capture date');
  }

  // Event name
  const textFields: [string, string | undefined][] = [
    ['event field', photo.event],
    ['headline', photo.headline],
    ['caption', photo.caption],
    ['slug', photo.objectName],
  ];
  // The story's own place names say where, not what: inside an event name they count little.
  const placeTokens = new Set([...tokenize(story.event.city), ...tokenize(story.event.country)]);
  const event = bestPhrase([story.event.name, ...(story.event.aliases ?? [])], textFields, placeTokens);
  if (event.score > 0)
    reasons.push(`event: "${event.phrase}" ~ "${event.matched}" in ${event.field} (${pct(event.score)})`);

  // Venue
  let venueScore = 0;
  if (story.event.venue) {
    const venue = bestPhrase(
      [story.event.venue],
      [['sublocation', photo.sublocation], ...textFields.filter(([f]) => f !== 'slug')],
      placeTokens,
    );
    venueScore = venue.score >= VENUE_MIN ? venue.score : 0;
    if (venueScore > 0)
      reasons.push(
        `venue: "${story.event.venue}" ~ "${venue.matched}" in ${venue.field} (${pct(venueScore)})`,
      );
  }

  // City and country
  let placeScore = 0;
  const city = story.event.city;
  if (city && (sameWords(city, photo.city) || matchPhrase(city, photo.caption).score >= 0.9)) {
    placeScore += 0.7;
    reasons.push(`place: city ${city} matches`);
  }
  const country = story.event.country;
  if (
    country &&
    (sameWords(country, photo.country) ||
      sameWords(country, photo.countryCode) ||
      matchPhrase(country, photo.caption).score >= 0.9)
  ) {
    placeScore += 0.3;
    reasons.push(`place: country ${country} matches`);
  }

  // Keywords and slug
  let keywordScore = 0;
  const storyTerms = new Set(
    [...(story.keywords ?? []), story.slug].flatMap((k) => tokenize(k)).filter((t) => tokenWeight(t) >= 1),
  );
  if (storyTerms.size > 0) {
    const photoTerms = [...photo.keywords, photo.objectName ?? ''].flatMap((k) => tokenize(k));
    const hits = [...storyTerms].filter((t) => photoTerms.some((p) => tokenSimilarity(t, p) >= 0.8));
    keywordScore = Math.min(1, hits.length / Math.min(3, storyTerms.size));
    if (hits.length > 0) reasons.push(`keywords: ${hits.join(', ')} shared`);
  }

  // Caption similarity
  const textScore = tfidf.similarity([photo.headline, photo.caption].filter(Boolean).join(' '), storyIndex);
  if (textScore > 0.05) reasons.push(`text: caption similarity ${pct(textScore)}`);

  let score =
    SIGNAL_WEIGHTS.event * event.score +
    SIGNAL_WEIGHTS.time * timeScore +
    SIGNAL_WEIGHTS.venue * venueScore +
    SIGNAL_WEIGHTS.place * placeScore +
    SIGNAL_WEIGHTS.keywords * keywordScore +
    SIGNAL_WEIGHTS.text * textScore;

  if (event.score < EVENT_EVIDENCE_MIN && score >= options.autoThreshold) {
    score = options.autoThreshold - 0.01;
    reasons.push('no event evidence: same place and time alone never auto-match');
  }
  if (!time && score >= options.autoThreshold) {
    // File photos often carry the event's name; without a capture date an editor decides.
    score = options.autoThreshold - 0.01;
    reasons.push('no capture date: needs an editor');
  }
  return { storyId: story.id, score: Math.round(score * 1000) / 1000, reasons };
}

/**
 * Scores a photo against open stories and decides: `matched` at or above the auto threshold,
 * `review` between the thresholds or when two stories are nearly tied, `unmatched` below.
 */
export function matchPhoto(
  photo: MatchablePhoto,
  stories: Story[],
  options: MatchOptions = DEFAULT_MATCH_OPTIONS,
): MatchOutcome {
  const open = stories.filter((s) => s.status === 'open');
  const tfidf = new TfIdf(open.map(storyDocument));
  const candidates = open
    .map((story, i) => scoreStory(photo, story, tfidf, i, options))
    .filter((c): c is MatchCandidate => c !== undefined)
    .sort((a, b) => b.score - a.score);

  const best = candidates[0];
  if (!best) {
    return {
      decision: 'unmatched',
      storyId: null,
      score: 0,
      reasons: [open.length === 0 ? 'no open stories' : 'no open story covers the photo time'],
      candidates: [],
    };
  }
  const second = candidates[1];
  if (best.score >= options.autoThreshold) {
    if (second && second.score >= options.autoThreshold && best.score - second.score < 0.05) {
      return {
        decision: 'review',
        storyId: best.storyId,
        score: best.score,
        reasons: [
          `ambiguous: ${best.storyId} (${pct(best.score)}) and ${second.storyId} (${pct(second.score)})`,
          ...best.reasons,
        ],
        candidates: candidates.slice(0, 5),
      };
    }
    return {
      decision: 'matched',
      storyId: best.storyId,
      score: best.score,
      reasons: best.reasons,
      candidates: candidates.slice(0, 5),
    };
  }
  if (best.score >= options.reviewThreshold) {
    return {
      decision: 'review',
      storyId: best.storyId,
      score: best.score,
      reasons: best.reasons,
      candidates: candidates.slice(0, 5),
    };
  }
  return {
    decision: 'unmatched',
    storyId: null,
    score: best.score,
    reasons: [
      `best candidate ${best.storyId} scored ${pct(best.score)}, below review threshold`,
      ...best.reasons,
    ],
    candidates: candidates.slice(0, 5),
  };
}

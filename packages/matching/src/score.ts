import { type CaptureSpan, captureSpanIn } from '@lightbox/contracts';
import type { PlaceContradiction } from './places.js';
import type { PhraseHit, PreparedPhoto } from './prepared-photo.js';
import {
  CONTRADICTED_PLACE_FACTOR,
  EVENT_EVIDENCE_MIN,
  EVENT_EVIDENCE_OUTSIDE,
  EVENT_EVIDENCE_WITH_PLACE,
  EVENT_SIGNAL_MIN,
  HOUR,
  type MatchOptions,
  SIGNAL_WEIGHTS,
  TEXT_SIGNAL_MIN,
  VENUE_MIN,
} from './signals.js';
import type { IndexedStory, StoryIndex } from './story-index.js';
import { fitWindow } from './time-window.js';

/** Numbers only, for every candidate; reasons are written for the few shown. */
export interface Score {
  entry: IndexedStory;
  score: number;
  time?: CaptureSpan;
  inside: boolean;
  distanceMs: number;
  event: { score: number; name: number; field: number; hit: PhraseHit };
  /** The event name matched more than the photo's own place words. */
  eventSignal: boolean;
  venue: { score: number; field: number; hit: PhraseHit };
  cityMatch: boolean;
  countryMatch: boolean;
  /** The photo's place lies within the story's (a district, a suburb, the story's place list). */
  placeAgrees: boolean;
  /** The photo's city or country is not the story's (and the venue does not say otherwise). */
  contradiction?: PlaceContradiction;
  keywordHits: string[];
  text: number;
  evidence: boolean;
  watched: boolean;
  /** Why a score strong enough to auto-match was held just below the threshold. */
  cap?: 'watched' | 'no-date' | 'no-evidence' | 'outside' | 'generic' | 'place';
  /**
   * A real candidate, worth an editor's time: an event or venue signal fired, or the score reaches
   * the review threshold with more in common than the time and the place.
   */
  candidate: boolean;
  closed: boolean;
}

function sameWords(a: string[], b: string[]): boolean {
  if (a.length === 0 || a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The photo's time against the story's window; undefined when outside it and its slack. */
function timeSignal(p: PreparedPhoto, entry: IndexedStory, slackMs: number) {
  const time = captureSpanIn(p.photo.dateCreated, entry.offset);
  if (!time) return { time, score: 0, inside: false, distanceMs: 0 };
  const fit = fitWindow(time, entry.startMs, entry.endMs, slackMs);
  if (!fit) return undefined;
  return {
    time,
    score: time.note ? fit.score * 0.8 : fit.score,
    inside: fit.inside,
    distanceMs: fit.distanceMs,
  };
}

/**
 * Event name, against the event field, headline, caption and slug. Words of the photo's own
 * location ("a storm over Cincinnati") say where, not what: in "Cincinnati Open" they are weak.
 */
function eventMatch(p: PreparedPhoto, entry: IndexedStory, index: StoryIndex): Score['event'] {
  const event = { score: 0, name: -1, field: -1, hit: { score: 0, start: -1, end: -1 } as PhraseHit };
  const nameWeights = index.nameWeights(entry);
  for (let n = 0; n < entry.names.length; n++) {
    const tokens = (entry.names[n] as IndexedStory['names'][number]).tokens;
    const base = nameWeights[n] as number[];
    const weights = tokens.some((t) => p.places.has(t))
      ? tokens.map((t, i) => (p.places.has(t) ? Math.min(base[i] as number, 0.25) : (base[i] as number)))
      : base;
    for (let f = 0; f < 4; f++) {
      const hit = p.phrase(tokens, weights, f);
      if (hit.score > event.score) Object.assign(event, { score: hit.score, name: n, field: f, hit });
    }
  }
  return event;
}

/** Venue, against sublocation, headline and caption (the story's own place words count little in it). */
function venueMatch(p: PreparedPhoto, entry: IndexedStory, index: StoryIndex): Score['venue'] {
  const venue = { score: 0, field: -1, hit: { score: 0, start: -1, end: -1 } as PhraseHit };
  if (!entry.venue) return venue;
  const weights = index.venueWeights(entry);
  for (const f of [4, 1, 2, 0]) {
    const hit = p.phrase(entry.venue.tokens, weights, f);
    if (hit.score > venue.score) Object.assign(venue, { score: hit.score, field: f, hit });
  }
  if (venue.score < VENUE_MIN) venue.score = 0;
  return venue;
}

/** City, country, the place agreeing or contradicting; keywords in common. */
function placeAndTerms(p: PreparedPhoto, entry: IndexedStory, venueScore: number) {
  const cityMatch = sameWords(entry.city, p.city) || p.mentions(entry.city);
  const countryMatch = sameWords(entry.country, p.country) || p.mentions(entry.country);
  const place = p.placeAgainst(entry.place);
  const agrees = !cityMatch && place.agrees;
  // A city read from the dateline is a guess: the caption naming the story's city overrules it.
  let contradiction = venueScore > 0 ? undefined : place.contradiction;
  if (contradiction?.kind === 'city' && p.place.cityFromDateline && cityMatch) contradiction = undefined;
  // A place among the keywords ("Greece") is the place signal, not a keyword in common.
  const keywordHits =
    entry.terms.size > 0 ? [...entry.terms].filter((t) => !p.places.has(t) && p.hasTerm(t)) : [];
  const keywordScore =
    entry.terms.size > 0 ? Math.min(1, keywordHits.length / Math.min(3, entry.terms.size)) : 0;
  return { cityMatch, countryMatch, agrees, contradiction, keywordHits, keywordScore };
}

/** Caption similarity: TF-IDF over the indexed stories. */
function textSimilarity(p: PreparedPhoto, entry: IndexedStory, index: StoryIndex): number {
  let dot = 0;
  let qn = 0;
  for (const [t, c] of p.counts) {
    const idf = p.idf(t, index);
    const w = (1 + Math.log(c)) * idf;
    qn += w * w;
    const dc = entry.document.get(t);
    if (dc) dot += w * (1 + Math.log(dc)) * idf;
  }
  const dn = index.documentNorm(entry);
  return qn === 0 || dn === 0 ? 0 : dot / (Math.sqrt(qn) * dn);
}

/**
 * The weighted score, normalised over the signals this story can offer: a story entered without a
 * venue or keywords must not hold its photos below the threshold for lack of them.
 */
function weightedScore(
  entry: IndexedStory,
  s: { event: number; time: number; venue: number; place: number; keywords: number; text: number },
): number {
  const available =
    SIGNAL_WEIGHTS.event +
    SIGNAL_WEIGHTS.time +
    SIGNAL_WEIGHTS.text +
    (entry.venue ? SIGNAL_WEIGHTS.venue : 0) +
    (entry.city.length || entry.country.length ? SIGNAL_WEIGHTS.place : 0) +
    (entry.terms.size > 0 ? SIGNAL_WEIGHTS.keywords : 0);
  return (
    (SIGNAL_WEIGHTS.event * s.event +
      SIGNAL_WEIGHTS.time * s.time +
      SIGNAL_WEIGHTS.venue * s.venue +
      SIGNAL_WEIGHTS.place * s.place +
      SIGNAL_WEIGHTS.keywords * s.keywords +
      SIGNAL_WEIGHTS.text * s.text) /
    available
  );
}

/** Strong enough to auto-match but something only an editor can judge: why it is held below. */
function capFor(f: {
  contradiction: boolean;
  watched: boolean;
  timed: boolean;
  generic: boolean;
  named: boolean;
  inside: boolean;
}): Score['cap'] {
  if (f.contradiction) return 'place';
  if (f.watched) return 'watched';
  if (!f.timed) return 'no-date';
  if (f.generic) return 'generic';
  if (!f.named) return f.inside ? 'no-evidence' : 'outside';
  return undefined;
}

export function scoreStory(
  p: PreparedPhoto,
  entry: IndexedStory,
  index: StoryIndex,
  options: MatchOptions,
): Score | undefined {
  const timing = timeSignal(p, entry, options.slackHours * HOUR);
  if (!timing) return undefined;
  const { time, inside, distanceMs } = timing;
  const event = eventMatch(p, entry, index);
  const watched = event.hit.start > 0 && p.watchedAt(event.field, event.hit.start);
  // "A storm over Cincinnati" shares only a place with "Cincinnati Open": that is no event signal.
  const eventSignal =
    event.score >= EVENT_SIGNAL_MIN &&
    p.matchesBeyondPlace((entry.names[event.name] as IndexedStory['names'][number]).tokens, event.field);
  const venue = venueMatch(p, entry, index);
  const { cityMatch, countryMatch, agrees, contradiction, keywordHits, keywordScore } = placeAndTerms(
    p,
    entry,
    venue.score,
  );
  const text = textSimilarity(p, entry, index);
  let score = weightedScore(entry, {
    event: event.score,
    time: timing.score,
    venue: venue.score,
    place: (cityMatch || agrees ? 0.7 : 0) + (countryMatch ? 0.3 : 0),
    keywords: keywordScore,
    text,
  });
  if (contradiction) score *= CONTRADICTED_PLACE_FACTOR;

  // Event evidence. Outside the event itself (the slack hours) the name must be nearly complete:
  // "Super Bowl Sunday" street scenes are not the game. A generic name ("New Year's Eve") says
  // which event only where the place agrees.
  const placeOk = venue.score > 0 || cityMatch || agrees;
  const named = inside
    ? event.score >= EVENT_EVIDENCE_MIN || (event.score >= EVENT_EVIDENCE_WITH_PLACE && placeOk)
    : event.score >= EVENT_EVIDENCE_OUTSIDE;
  const generic = named && (entry.names[event.name]?.generic ?? false) && !placeOk;
  const evidence = named && !generic && !contradiction;
  const cap =
    score < options.autoThreshold
      ? undefined
      : capFor({ contradiction: !!contradiction, watched, timed: !!time, generic, named, inside });
  if (cap) score = options.autoThreshold - 0.01;
  const candidate =
    eventSignal ||
    venue.score > 0 ||
    (score >= options.reviewThreshold && (keywordHits.length > 0 || text >= TEXT_SIGNAL_MIN));
  return {
    entry,
    score: Math.round(score * 1000) / 1000,
    time,
    inside,
    distanceMs,
    event,
    eventSignal,
    venue,
    cityMatch,
    countryMatch,
    placeAgrees: agrees,
    contradiction,
    keywordHits,
    text,
    evidence: evidence && time !== undefined,
    watched,
    cap,
    candidate,
    closed: entry.story.status === 'closed',
  };
}

import {
  type CaptureSpan,
  captureRange,
  captureSpanIn,
  type MatchCandidate,
  type MatchDecision,
  type PhotoMetadata,
  type Story,
} from '@lightbox/contracts';
import { keyScheme, type PhotoKey, photoKeys } from './keys.js';
import {
  DATELINE_GETTY,
  DATELINE_IN,
  type PlaceContradiction,
  type PlaceFacts,
  photoPlace,
  placeAgrees,
  placeContradiction,
} from './places.js';
import { type IndexedStory, StoryIndex } from './story-index.js';
import { isStopword, tokenize, tokenSimilarity, tokenWeight } from './text.js';
import { fitWindow } from './time-window.js';

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
  | 'provinceState'
  | 'country'
  | 'countryCode'
  | 'dateCreated'
  | 'eventIds'
  | 'transmissionReference'
  | 'guid'
>;

/** Weight of each signal in the final score (they sum to 1; normalised over what a story offers). */
export const SIGNAL_WEIGHTS = {
  event: 0.45,
  time: 0.2,
  venue: 0.15,
  place: 0.05,
  keywords: 0.05,
  text: 0.1,
} as const;

/** Event evidence: the name clearly there… */
export const EVENT_EVIDENCE_MIN = 0.6;
/** …or partly there, with the venue or the city agreeing. */
export const EVENT_EVIDENCE_WITH_PLACE = 0.45;
/** Event evidence needed for photos taken before or after the event window (in the slack). */
export const EVENT_EVIDENCE_OUTSIDE = 0.75;
/** A venue counts only when its distinctive words are there, not just the country in its name. */
export const VENUE_MIN = 0.7;
/** Below these, a signal has not "fired": it is not shown, and it cannot make a photo a candidate. */
export const EVENT_SIGNAL_MIN = 0.25;
export const TEXT_SIGNAL_MIN = 0.15;
/** A contradicted place costs this share of the score (contradicted stories rank below agreeing ones). */
const CONTRADICTED_PLACE_FACTOR = 0.8;
/** Two stories this close at the top need an editor. */
export const AMBIGUITY_MARGIN = 0.05;
/** Stories that share only a place with the photo, scored when none shares a word. */
const PLACE_ONLY_CANDIDATES = 8;

export interface MatchOutcome {
  decision: MatchDecision;
  storyId: string | null;
  score: number;
  reasons: string[];
  /** Scored stories, best first (top 5), each with its reasons. */
  candidates: MatchCandidate[];
}

const HOUR = 3600_000;
const pct = (n: number) => n.toFixed(2);
const WATCHING = new Set([
  'watch',
  'watches',
  'watching',
  'watched',
  'view',
  'views',
  'viewing',
  'stream',
  'streaming',
  'broadcast',
]);

/**
 * Place words from a caption's dateline, for photos whose location fields are empty:
 * "… in Saint-Denis, France." / "… in Cincinnati, Ohio" / "CINCINNATI, UNITED STATES - AUGUST 13: …".
 */
export function datelinePlaces(caption: string | undefined): string[] {
  if (!caption) return [];
  const out: string[] = [];
  for (const m of caption.matchAll(DATELINE_IN)) out.push(...tokenize(m[1]), ...tokenize(m[2]));
  const getty = caption.match(DATELINE_GETTY);
  if (getty) out.push(...tokenize(getty[1]), ...tokenize(getty[2]));
  return out;
}

interface PhraseHit {
  score: number;
  /** Position of the first matched word, or -1 when scattered. */
  start: number;
  end: number;
}

/** A photo tokenised once, with similarity lookups cached across all candidate stories. */
class PreparedPhoto {
  static readonly FIELD_NAMES = ['event field', 'headline', 'caption', 'slug', 'sublocation'] as const;
  static readonly CAPTION = 2;
  readonly fields: string[][];
  readonly tokens: Set<string>;
  readonly lookupTokens: string[];
  readonly city: string[];
  readonly country: string[];
  /** Words of the photo's own location fields and dateline. */
  readonly places: Set<string>;
  /** Where the photo was taken, for agreement and contradiction with a story's place. */
  readonly place: PlaceFacts;
  /** Event ids, job id and guid: exact keys. */
  readonly keys: PhotoKey[];
  readonly terms: Set<string>;
  readonly counts = new Map<string, number>();
  private readonly sims = new Map<string, Float32Array[]>();
  private readonly idfs = new Map<string, number>();
  private readonly inCaption = new Map<string, boolean>();
  private readonly termHits = new Map<string, boolean>();
  private readonly placeChecks = new Map<string, { agrees: boolean; contradiction?: PlaceContradiction }>();

  constructor(readonly photo: MatchablePhoto) {
    this.fields = [photo.event, photo.headline, photo.caption, photo.objectName, photo.sublocation].map((f) =>
      tokenize(f),
    );
    this.city = tokenize(photo.city);
    this.country = [...tokenize(photo.country), ...tokenize(photo.countryCode)];
    this.places = new Set([
      ...this.city,
      ...(this.fields[4] ?? []),
      ...tokenize(photo.country),
      ...datelinePlaces(photo.caption),
    ]);
    this.place = photoPlace(photo);
    this.keys = photoKeys(photo);
    this.terms = new Set([...photo.keywords, photo.objectName ?? ''].flatMap((k) => tokenize(k)));
    this.tokens = new Set([...this.fields.flat(), ...this.city, ...this.country, ...this.terms]);
    // Stories post only distinctive words, so only those are looked up.
    this.lookupTokens = [...this.tokens].filter((t) => tokenWeight(t) >= 1 && !/^\d+$/.test(t));
    // The caption's own place words say where, not what: they are the place signal, counted once.
    for (const t of [...(this.fields[1] ?? []), ...(this.fields[2] ?? [])]) {
      if (isStopword(t) || t.length < 2 || this.places.has(t)) continue;
      this.counts.set(t, (this.counts.get(t) ?? 0) + 1);
    }
  }

  /** Similarity of `token` to each position of each field (computed once per photo). */
  similarities(token: string): Float32Array[] {
    let s = this.sims.get(token);
    if (!s) {
      s = this.fields.map((f) => Float32Array.from(f, (t) => tokenSimilarity(token, t)));
      this.sims.set(token, s);
    }
    return s;
  }

  /**
   * How well a phrase occurs in a field, in [0, 1]: the best contiguous, typo-tolerant alignment,
   * weighting each phrase token; tokens scattered through the field count at 80 %.
   */
  phrase(tokens: string[], weights: number[], field: number): PhraseHit {
    const text = this.fields[field] ?? [];
    let total = 0;
    for (const w of weights) total += w;
    if (tokens.length === 0 || text.length === 0 || total === 0) return { score: 0, start: -1, end: -1 };
    const rows = tokens.map((t) => this.similarities(t)[field] as Float32Array);
    let best = 0;
    let bestStart = -1;
    let bag = 0;
    for (let k = 0; k < tokens.length; k++) {
      let m = 0;
      for (const v of rows[k] as Float32Array) if (v > m) m = v;
      bag += (weights[k] as number) * m;
    }
    if (bag === 0) return { score: 0, start: -1, end: -1 };
    for (let start = 0; start < text.length; start++) {
      let sum = 0;
      for (let k = 0; k < tokens.length && start + k < text.length; k++)
        sum += (weights[k] as number) * ((rows[k] as Float32Array)[start + k] as number);
      if (sum > best) {
        best = sum;
        bestStart = start;
      }
    }
    if (0.8 * bag > best) return { score: Math.min(1, (0.8 * bag) / total), start: -1, end: -1 };
    let first = bestStart;
    for (let k = 0; k < tokens.length && ((rows[k] as Float32Array)[bestStart + k] ?? 0) === 0; k++)
      first = bestStart + k + 1;
    return { score: Math.min(1, best / total), start: first, end: bestStart + tokens.length };
  }

  /** Agreement and contradiction with a story's place, once per distinct story place. */
  placeAgainst(story: PlaceFacts): { agrees: boolean; contradiction?: PlaceContradiction } {
    const key = `${story.country ?? ''}\u0000${story.keys.join('\u0000')}`;
    let v = this.placeChecks.get(key);
    if (!v) {
      v = { agrees: placeAgrees(this.place, story), contradiction: placeContradiction(this.place, story) };
      this.placeChecks.set(key, v);
    }
    return v;
  }

  /** Whether a word of the phrase other than the photo's own place words occurs in the field. */
  matchesBeyondPlace(tokens: string[], field: number): boolean {
    return tokens.some((t) => {
      if (this.places.has(t) || tokenWeight(t) === 0) return false;
      for (const v of this.similarities(t)[field] ?? []) if (v >= 0.8) return true;
      return false;
    });
  }

  /** Whether the words just before position `start` say someone is watching it ("fans watch the …"). */
  watchedAt(field: number, start: number): boolean {
    const text = this.fields[field] ?? [];
    for (let i = Math.max(0, start - 3); i < start; i++) if (WATCHING.has(text[i] as string)) return true;
    return false;
  }

  /** Whether these words (a city, a country) appear in the caption. */
  mentions(words: string[]): boolean {
    if (words.length === 0) return false;
    const key = words.join(' ');
    let v = this.inCaption.get(key);
    if (v === undefined) {
      v =
        this.phrase(
          words,
          words.map(() => 1),
          PreparedPhoto.CAPTION,
        ).score >= 0.9;
      this.inCaption.set(key, v);
    }
    return v;
  }

  /** Whether a story keyword is among the photo's keywords and slug (typos tolerated). */
  hasTerm(term: string): boolean {
    let v = this.termHits.get(term);
    if (v === undefined) {
      v = this.terms.has(term) || [...this.terms].some((q) => tokenSimilarity(term, q) >= 0.8);
      this.termHits.set(term, v);
    }
    return v;
  }

  idf(term: string, index: StoryIndex): number {
    let v = this.idfs.get(term);
    if (v === undefined) {
      v = index.docIdf(term);
      this.idfs.set(term, v);
    }
    return v;
  }
}

/** Numbers only, for every candidate; reasons are written for the few shown. */
interface Score {
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

function scoreStory(
  p: PreparedPhoto,
  entry: IndexedStory,
  index: StoryIndex,
  options: MatchOptions,
): Score | undefined {
  const time = captureSpanIn(p.photo.dateCreated, entry.offset);
  let timeScore = 0;
  let inside = false;
  let distanceMs = 0;
  if (time) {
    const fit = fitWindow(time, entry.startMs, entry.endMs, options.slackHours * HOUR);
    if (!fit) return undefined;
    timeScore = time.note ? fit.score * 0.8 : fit.score;
    inside = fit.inside;
    distanceMs = fit.distanceMs;
  }

  // Event name, against the event field, headline, caption and slug. Words of the photo's own
  // location ("a storm over Cincinnati") say where, not what: in "Cincinnati Open" they are weak.
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
  const watched = event.hit.start > 0 && p.watchedAt(event.field, event.hit.start);
  // "A storm over Cincinnati" shares only a place with "Cincinnati Open": that is no event signal.
  const eventSignal =
    event.score >= EVENT_SIGNAL_MIN &&
    p.matchesBeyondPlace((entry.names[event.name] as IndexedStory['names'][number]).tokens, event.field);

  // Venue, against sublocation, headline and caption (the story's own place words count little in it).
  const venue = { score: 0, field: -1, hit: { score: 0, start: -1, end: -1 } as PhraseHit };
  if (entry.venue) {
    const weights = index.venueWeights(entry);
    for (const f of [4, 1, 2, 0]) {
      const hit = p.phrase(entry.venue.tokens, weights, f);
      if (hit.score > venue.score) Object.assign(venue, { score: hit.score, field: f, hit });
    }
    if (venue.score < VENUE_MIN) venue.score = 0;
  }

  const cityMatch = sameWords(entry.city, p.city) || p.mentions(entry.city);
  const countryMatch = sameWords(entry.country, p.country) || p.mentions(entry.country);
  const place = p.placeAgainst(entry.place);
  const agrees = !cityMatch && place.agrees;
  // A city read from the dateline is a guess: the caption naming the story's city overrules it.
  let contradiction = venue.score > 0 ? undefined : place.contradiction;
  if (contradiction?.kind === 'city' && p.place.cityFromDateline && cityMatch) contradiction = undefined;
  // A place among the keywords ("Greece") is the place signal, not a keyword in common.
  const keywordHits =
    entry.terms.size > 0 ? [...entry.terms].filter((t) => !p.places.has(t) && p.hasTerm(t)) : [];
  const keywordScore =
    entry.terms.size > 0 ? Math.min(1, keywordHits.length / Math.min(3, entry.terms.size)) : 0;

  // Caption similarity: TF-IDF over the indexed stories.
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
  const text = qn === 0 || dn === 0 ? 0 : dot / (Math.sqrt(qn) * dn);

  // Normalised over the signals this story can offer: a story entered without a venue or keywords
  // must not hold its photos below the threshold for lack of them.
  const available =
    SIGNAL_WEIGHTS.event +
    SIGNAL_WEIGHTS.time +
    SIGNAL_WEIGHTS.text +
    (entry.venue ? SIGNAL_WEIGHTS.venue : 0) +
    (entry.city.length || entry.country.length ? SIGNAL_WEIGHTS.place : 0) +
    (entry.terms.size > 0 ? SIGNAL_WEIGHTS.keywords : 0);
  let score =
    (SIGNAL_WEIGHTS.event * event.score +
      SIGNAL_WEIGHTS.time * timeScore +
      SIGNAL_WEIGHTS.venue * venue.score +
      SIGNAL_WEIGHTS.place * ((cityMatch || agrees ? 0.7 : 0) + (countryMatch ? 0.3 : 0)) +
      SIGNAL_WEIGHTS.keywords * keywordScore +
      SIGNAL_WEIGHTS.text * text) /
    available;

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
  // Strong enough to auto-match but something only an editor can judge: just below the threshold.
  const cap: Score['cap'] =
    score < options.autoThreshold
      ? undefined
      : contradiction
        ? 'place'
        : watched
          ? 'watched'
          : !time
            ? 'no-date'
            : generic
              ? 'generic'
              : !named
                ? inside
                  ? 'no-evidence'
                  : 'outside'
                : undefined;
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

const CAP_REASONS: Record<Exclude<Score['cap'], 'place' | undefined>, string> = {
  generic:
    "the event's name is generic (it happens in many places at once) and the photo's place does not confirm it: needs an editor",
  watched: 'the caption says the event is being watched (screen, fan zone): needs an editor',
  'no-date': 'no capture date: needs an editor',
  'no-evidence': 'no event evidence: same place and time alone never auto-match',
  outside: 'outside the event window the event must be named: needs an editor',
};

/** The human-readable reasons behind a score: only signals that fired. */
function explain(s: Score, p: PreparedPhoto): string[] {
  const story = s.entry.story;
  const reasons: string[] = [];
  if (s.contradiction) reasons.push(`${s.contradiction.reason}: never auto-matched`);
  const field = (f: number) => PreparedPhoto.FIELD_NAMES[f] ?? '';
  // Scattered hits show the words found, not the whole phrase.
  const words = (f: number, hit: PhraseHit, tokens: string[]) =>
    hit.start >= 0
      ? (p.fields[f] ?? []).slice(hit.start, hit.end).join(' ')
      : `${tokens.filter((t) => (p.similarities(t)[f] ?? []).some((v) => v >= 0.8)).join(' ')} (scattered)`;
  if (s.time?.note) reasons.push(`time: ${s.time.note}`);
  if (!s.time) reasons.push('time: photo has no usable capture date');
  else if (s.inside)
    reasons.push(
      `time: ${p.photo.dateCreated} is within the event (${story.event.start} – ${story.event.end})`,
    );
  else
    reasons.push(
      `time: ${p.photo.dateCreated} is ${(s.distanceMs / HOUR).toFixed(1)} h outside the event window`,
    );
  if (s.eventSignal) {
    const name = s.entry.names[s.event.name] as IndexedStory['names'][number];
    reasons.push(
      `event: "${name.phrase}" ~ "${words(s.event.field, s.event.hit, name.tokens)}" in ${field(s.event.field)} (${pct(s.event.score)})`,
    );
  }
  if (s.venue.score > 0 && s.entry.venue) {
    reasons.push(
      `venue: "${s.entry.venue.phrase}" ~ "${words(s.venue.field, s.venue.hit, s.entry.venue.tokens)}" in ${field(s.venue.field)} (${pct(s.venue.score)})`,
    );
  }
  if (s.cityMatch) reasons.push(`place: city ${story.event.city} matches`);
  else if (s.placeAgrees)
    reasons.push(
      `place: ${p.place.city ?? p.photo.sublocation ?? p.photo.provinceState} lies within the story's place`,
    );
  if (s.countryMatch) reasons.push(`place: country ${story.event.country} matches`);
  if (s.keywordHits.length) reasons.push(`keywords: ${s.keywordHits.join(', ')} shared`);
  if (s.text >= TEXT_SIGNAL_MIN) reasons.push(`text: caption similarity ${pct(s.text)}`);
  if (s.cap && s.cap !== 'place') reasons.push(CAP_REASONS[s.cap]);
  else if (s.watched) reasons.push(CAP_REASONS.watched);
  if (s.closed) reasons.push('story is closed: its gallery is final, late photos need an editor');
  return reasons;
}

/** The exact-key reason for one key on one story. */
function keyReason(key: PhotoKey, storyId: string): string {
  return `exact key: the photo's ${key.kind} "${key.value}" is one of ${storyId}'s event ids`;
}

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

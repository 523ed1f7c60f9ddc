import { type Story, zoneOf } from '@lightbox/contracts';
import { keyScheme, normaliseKey } from './keys.js';
import { type PlaceFacts, storyPlace } from './places.js';
import { isGenericEventWord, isStopword, tokenize, tokenWeight } from './text.js';

const DAY = 24 * 3600_000;
/** Stories longer than this are posted under their words alone, and always considered. */
const MAX_POSTED_DAYS = 21;
/** A posting list longer than this is no evidence of anything: it is not used to find candidates. */
const MAX_POSTING = 400;

/** A story, tokenised once when indexed. */
export interface IndexedStory {
  story: Story;
  startMs: number;
  endMs: number;
  /** Offset of the story's own start, used for photos whose time has no zone. */
  offset: string;
  /**
   * Event name and aliases, tokenised. `generic`: made only of words of events that happen in many
   * places at once (and generic words, numbers, the story's own place), such as "New Year's Eve".
   */
  names: { phrase: string; tokens: string[]; generic: boolean }[];
  venue?: { phrase: string; tokens: string[] };
  city: string[];
  country: string[];
  /** The story's place (city, own place list, country), for agreement and contradiction. */
  place: PlaceFacts;
  /** Exact keys (`event.ids`), normalised. */
  keys: string[];
  /** Keywords and slug, distinctive tokens only. */
  terms: Set<string>;
  /** Headline, names, venue and keywords, for TF-IDF. */
  document: Map<string, number>;
  /** Euclidean norm of the TF-IDF vector (recomputed lazily when IDF changes). */
  norm?: number;
  normAt?: number;
}

/** Every deletion of one character: SymSpell's candidate keys for edit distance 1. */
export function deletions(token: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < token.length; i++) out.push(token.slice(0, i) + token.slice(i + 1));
  return out;
}

/** A name that says what happens but not which one: only generic event words, generic words, numbers and places. */
function isGenericName(tokens: string[], placeWords: Set<string>): boolean {
  return (
    tokens.some(isGenericEventWord) &&
    tokens.every((t) => isGenericEventWord(t) || tokenWeight(t) < 1 || /^\d+$/.test(t) || placeWords.has(t))
  );
}

/** A venue that is only the story's place ("Long Beach" in Long Beach) is no venue: the place signal covers it. */
function venueOf(venue: string | undefined, placeWords: Set<string>): IndexedStory['venue'] {
  const tokens = tokenize(venue);
  if (!venue || tokens.every((t) => placeWords.has(t) || isStopword(t))) return undefined;
  return { phrase: venue, tokens };
}

function termCounts(tokens: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) {
    if (isStopword(t) || t.length < 2) continue;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/**
 * Open stories indexed for matching: by UTC day (a photo is only scored against stories whose
 * window ± slack can contain it), by distinctive token (with one-edit typo keys), and by place.
 * Keeps document frequencies, so words shared by many stories ("olympics", "2024") count little.
 */
export class StoryIndex {
  private readonly stories = new Map<string, IndexedStory>();
  private readonly byDay = new Map<number, Set<string>>();
  /** Stories spanning more than MAX_POSTED_DAYS days. */
  private readonly longRunning = new Map<number, Set<string>>();
  /** Postings by word and by (word, day): a word common overall is rarely common on one day. */
  private readonly byToken = new Map<string, Set<string>>();
  private readonly byDeletion = new Map<string, Set<string>>();
  private readonly byPlace = new Map<string, Set<string>>();
  /** Stories by exact key (`event.ids`), whatever their days. */
  private readonly byKey = new Map<string, Set<string>>();
  /** How many stories' keys use each vocabulary (`keyScheme`). */
  private readonly schemes = new Map<string, number>();
  /** In how many stories' names each token occurs. */
  private readonly nameDf = new Map<string, number>();
  /** In how many story documents each term occurs. */
  private readonly docDf = new Map<string, number>();
  private generation = 0;

  constructor(readonly slackMs: number) {}

  get size(): number {
    return this.stories.size;
  }

  get(id: string): IndexedStory | undefined {
    return this.stories.get(id);
  }

  all(): IndexedStory[] {
    return [...this.stories.values()];
  }

  private static days(fromMs: number, toMs: number): number[] {
    const out: number[] = [];
    for (let d = Math.floor(fromMs / DAY); d <= Math.floor(toMs / DAY); d++) out.push(d);
    return out;
  }

  private static post(
    map: Map<string | number, Set<string>>,
    key: string | number,
    id: string,
    add: boolean,
  ) {
    let set = map.get(key);
    if (add) {
      if (!set) {
        set = new Set();
        map.set(key, set);
      }
      set.add(id);
    } else if (set) {
      set.delete(id);
      if (set.size === 0) map.delete(key);
    }
  }

  private distinctive(entry: IndexedStory): Set<string> {
    const tokens = new Set<string>();
    const add = (list: string[]) => {
      for (const t of list) if (tokenWeight(t) >= 1) tokens.add(t);
    };
    for (const n of entry.names) add(n.tokens);
    if (entry.venue) add(entry.venue.tokens);
    add([...entry.terms]);
    return tokens;
  }

  private postings(entry: IndexedStory, add: boolean) {
    const id = entry.story.id;
    const days = StoryIndex.days(entry.startMs - this.slackMs, entry.endMs + this.slackMs);
    // Every story is posted under its words (for photos without a time) and, unless it runs for
    // weeks, under (word, day) for each day it covers.
    const keysFor = (word: string) =>
      days.length <= MAX_POSTED_DAYS ? [word, ...days.map((d) => `${word}\u0000${d}`)] : [word];
    for (const d of days) StoryIndex.post(this.byDay, d, id, add);
    if (days.length > MAX_POSTED_DAYS) StoryIndex.post(this.longRunning, 0, id, add);
    for (const t of this.distinctive(entry)) {
      for (const k of keysFor(t)) StoryIndex.post(this.byToken, k, id, add);
      if (t.length >= 5)
        for (const del of deletions(t))
          for (const k of keysFor(del)) StoryIndex.post(this.byDeletion, k, id, add);
    }
    for (const p of [...entry.city, ...entry.country]) {
      if (tokenWeight(p) >= 1) for (const k of keysFor(p)) StoryIndex.post(this.byPlace, k, id, add);
    }
    for (const key of entry.keys) StoryIndex.post(this.byKey, key, id, add);
    for (const scheme of new Set(entry.keys.map(keyScheme)))
      if (scheme) this.schemes.set(scheme, (this.schemes.get(scheme) ?? 0) + (add ? 1 : -1));
    const nameTokens = new Set(entry.names.flatMap((n) => n.tokens));
    for (const t of nameTokens) this.nameDf.set(t, (this.nameDf.get(t) ?? 0) + (add ? 1 : -1));
    for (const t of entry.document.keys()) this.docDf.set(t, (this.docDf.get(t) ?? 0) + (add ? 1 : -1));
    this.generation++;
  }

  /** Adds or replaces a story. */
  upsert(story: Story): void {
    this.remove(story.id);
    const startMs = Date.parse(story.event.start);
    const endMs = Date.parse(story.event.end);
    const placeWords = new Set(
      [story.event.city, story.event.country, ...(story.event.places ?? [])].flatMap((p) => tokenize(p)),
    );
    const names = [story.event.name, ...(story.event.aliases ?? [])].map((phrase) => {
      const tokens = tokenize(phrase);
      return { phrase, tokens, generic: isGenericName(tokens, placeWords) };
    });
    const entry: IndexedStory = {
      story,
      startMs,
      endMs,
      offset: zoneOf(story.event.start) ?? '+00:00',
      names,
      venue: venueOf(story.event.venue, placeWords),
      city: tokenize(story.event.city),
      country: tokenize(story.event.country),
      place: storyPlace(story.event),
      keys: [...new Set((story.event.ids ?? []).map(normaliseKey))],
      terms: new Set(
        [...(story.keywords ?? []), story.slug]
          .flatMap((k) => tokenize(k))
          .filter((t) => tokenWeight(t) >= 1),
      ),
      document: termCounts(
        tokenize(
          [story.headline, ...names.map((n) => n.phrase), story.event.venue, ...(story.keywords ?? [])]
            .filter(Boolean)
            .join(' '),
        ),
      ),
    };
    this.stories.set(story.id, entry);
    this.postings(entry, true);
  }

  remove(id: string): void {
    const entry = this.stories.get(id);
    if (!entry) return;
    this.postings(entry, false);
    this.stories.delete(id);
    this.weightCache.delete(id);
  }

  /**
   * How much a word in an event name identifies its story: 1 for a word only one story uses,
   * falling towards 0.3 for words most stories share. Neutral (1) while few stories are indexed.
   */
  nameIdf(token: string): number {
    const n = this.stories.size;
    if (n < 4) return 1;
    const df = Math.max(1, this.nameDf.get(token) ?? 1);
    return Math.max(0.3, Math.min(1, Math.log((n + 1) / df) / Math.log(n + 1) + 0.3));
  }

  docIdf(term: string): number {
    const n = this.stories.size;
    return Math.log((1 + n) / (1 + (this.docDf.get(term) ?? 0))) + 1;
  }

  private readonly weightCache = new Map<string, { at: number; names: number[][]; venue: number[] }>();

  private weightsOf(entry: IndexedStory) {
    let w = this.weightCache.get(entry.story.id);
    if (!w || w.at !== this.generation) {
      const place = new Set([...entry.city, ...entry.country]);
      w = {
        at: this.generation,
        // In a name every word identifies it; words many stories share count less.
        names: entry.names.map((n) => n.tokens.map((t) => tokenWeight(t) * this.nameIdf(t))),
        // In a venue, the story's own city and country words ("Stade de France") count little.
        venue: (entry.venue?.tokens ?? []).map((t) => Math.min(tokenWeight(t), place.has(t) ? 0.25 : 1)),
      };
      this.weightCache.set(entry.story.id, w);
    }
    return w;
  }

  /** Per-word weights of each of a story's names (cached until the index changes). */
  nameWeights(entry: IndexedStory): number[][] {
    return this.weightsOf(entry).names;
  }

  venueWeights(entry: IndexedStory): number[] {
    return this.weightsOf(entry).venue;
  }

  /** Norm of a story's TF-IDF vector, cached until the index changes. */
  documentNorm(entry: IndexedStory): number {
    if (entry.norm === undefined || entry.normAt !== this.generation) {
      let sum = 0;
      for (const [t, c] of entry.document) {
        const w = (1 + Math.log(c)) * this.docIdf(t);
        sum += w * w;
      }
      entry.norm = Math.sqrt(sum);
      entry.normAt = this.generation;
    }
    return entry.norm;
  }

  /** Stories whose window ± slack touches the days of [fromMs, toMs]; all stories when no time is known. */
  inWindow(range: [number, number] | undefined): Set<string> {
    if (!range) return new Set(this.stories.keys());
    const out = new Set<string>();
    for (const d of StoryIndex.days(range[0], range[1]))
      for (const id of this.byDay.get(d) ?? []) out.add(id);
    return out;
  }

  /** Lookup keys for a word on the given days (or the word alone when no time is known). */
  private keys(word: string, days: number[] | undefined): string[] {
    return days ? days.map((d) => `${word}\u0000${d}`) : [word];
  }

  /** Adds postings to `out`, skipping lists so long that sharing them says nothing. */
  private collect(out: Set<string>, set: Set<string> | undefined) {
    if (!set || set.size > MAX_POSTING) return;
    for (const id of set) out.add(id);
  }

  /**
   * Stories sharing a distinctive word with the photo's tokens (exactly, or one edit away), on the
   * days of `range` (any day when the photo has no time).
   */
  sharingWords(tokens: Iterable<string>, range?: [number, number]): Set<string> {
    const days = range ? StoryIndex.days(range[0], range[1]) : undefined;
    const out = new Set<string>();
    for (const t of tokens) {
      for (const k of this.keys(t, days)) {
        this.collect(out, this.byToken.get(k));
        if (t.length >= 5) this.collect(out, this.byDeletion.get(k));
      }
      if (t.length >= 5) {
        for (const del of deletions(t)) {
          for (const k of this.keys(del, days)) {
            this.collect(out, this.byToken.get(k));
            this.collect(out, this.byDeletion.get(k));
          }
        }
      }
    }
    if (!days) return out;
    // Stories long enough to be posted without days.
    for (const id of this.longRunning.get(0) ?? []) out.add(id);
    return out;
  }

  /** Stories carrying this exact key (normalised), on any day. */
  withKey(key: string): ReadonlySet<string> | undefined {
    return this.byKey.get(normaliseKey(key));
  }

  /** Whether any story's keys use this vocabulary: the desk follows that agency's event ids. */
  usesScheme(scheme: string): boolean {
    return (this.schemes.get(scheme) ?? 0) > 0;
  }

  /** Stories in one of these places (city or country words), on the days of `range`. */
  sharingPlace(tokens: Iterable<string>, range?: [number, number]): Set<string> {
    const days = range ? StoryIndex.days(range[0], range[1]) : undefined;
    const out = new Set<string>();
    for (const t of tokens) for (const k of this.keys(t, days)) this.collect(out, this.byPlace.get(k));
    return out;
  }
}

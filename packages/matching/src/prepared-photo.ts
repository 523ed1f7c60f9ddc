import type { PhotoKey } from './keys.js';
import { photoKeys } from './keys.js';
import type { PlaceContradiction, PlaceFacts } from './places.js';
import { DATELINE_GETTY, DATELINE_IN, photoPlace, placeAgrees, placeContradiction } from './places.js';
import type { MatchablePhoto } from './signals.js';
import type { StoryIndex } from './story-index.js';
import { isStopword, tokenize, tokenSimilarity, tokenWeight } from './text.js';

/** Words before an event's name that say it is being watched ("fans watch the …"). */
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

export interface PhraseHit {
  score: number;
  /** Position of the first matched word, or -1 when scattered. */
  start: number;
  end: number;
}

/** A photo tokenised once, with similarity lookups cached across all candidate stories. */
export class PreparedPhoto {
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

/**
 * Text normalisation for matching: case, accents, punctuation, and roman numerals
 * ("Super Bowl LIX" = "Super Bowl 59").
 */

const ROMAN = /^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/;
/** Upper-case tokens that are valid numerals but are usually abbreviations. */
const ROMAN_EXCEPTIONS = new Set([
  'DC',
  'CD',
  'MD',
  'MC',
  'MM',
  'CC',
  'CM',
  'DL',
  'LI',
  'MI',
  'DI',
  'CI',
  'XL',
  'ML',
  'CL',
  'MIX',
  'CIV',
  'DIV',
  'VIC',
  'DID',
  'MID',
  'LCD',
  'MCC',
  'MDC',
]);
const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

export function romanToNumber(token: string): number | undefined {
  if (token.length < 2 || !ROMAN.test(token) || ROMAN_EXCEPTIONS.has(token)) return undefined;
  let total = 0;
  for (let i = 0; i < token.length; i++) {
    const v = ROMAN_VALUES[token[i] as string] as number;
    const next = ROMAN_VALUES[token[i + 1] as string] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

/** Words that carry no identity at all. */
const STOPWORDS = new Set(
  'a an the of at in on and or to for by with from as is are was were be this that during after before near into over under its his her their de du des la le les el los las di da del der die das und am im von zu et en y e'.split(
    ' ',
  ),
);

/** Words common to many events: they count, but little. */
const GENERIC = new Set(
  'summer winter olympic olympics olympiad games game paralympic paralympics world cup championship championships championnat final finals semifinal semifinals match round men mens women womens s team national international grand prix open cup league season day night stadium arena'.split(
    ' ',
  ),
);

/**
 * Words of events that happen in many places at once (New Year's Eve, fireworks, a marathon,
 * election night, a protest): a name made only of these (and generic words, numbers and the story's
 * own place) does not say which one. Stemmed as `tokenize` leaves them.
 */
const GENERIC_EVENT = new Set(
  'new year eve firework countdown midnight marathon half run race election vote count protest protester rally rallie demonstration demonstrator march marche parade vigil strike walkout festival concert carnival celebration celebrate pride christma halloween easter holiday independence memorial commemoration storm flood fire wildfire heatwave heat wave snow blizzard hurricane earthquake eclipse'.split(
    ' ',
  ),
);

/** Whether a (tokenised) event word is one that happens in many places at once. */
export function isGenericEventWord(token: string): boolean {
  return GENERIC_EVENT.has(token);
}

/**
 * A light stem: a plural's trailing "s" goes ("wildfires" = "wildfire", "Olympics" = "Olympic").
 * Applied the same way to stories and photos, so odd stems of names ("Paris" → "pari") still match.
 */
export function stem(word: string): string {
  if (
    word.length > 4 &&
    word.endsWith('s') &&
    !word.endsWith('ss') &&
    !word.endsWith('us') &&
    !word.endsWith('is')
  )
    return word.slice(0, -1);
  return word;
}

/** Lower-case ASCII tokens: accents stripped, punctuation split, roman numerals as numbers, plurals stemmed. */
export function tokenize(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’`]s\b/g, '')
    .split(/[^A-Za-z0-9]+/);
  for (const word of words) {
    if (!word) continue;
    const roman = word === word.toUpperCase() ? romanToNumber(word) : undefined;
    out.push(roman !== undefined ? String(roman) : stem(word.toLowerCase()));
  }
  return out;
}

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

/** How much a token says about identity: 0 for stopwords, low for generic words and years, 1 otherwise. */
export function tokenWeight(token: string): number {
  if (STOPWORDS.has(token)) return 0;
  if (GENERIC.has(token) || /^(19|20)\d\d$/.test(token)) return 0.25;
  if (token.length === 1) return 0.1;
  return 1;
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (m === 0) return n;
  if (n === 0) return m;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] as number;
}

/**
 * Similarity of two tokens in [0, 1]. Exact matches score 1; typos are tolerated only on longer
 * words (one edit from 5 letters, two from 9), and numbers must match exactly.
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const len = Math.max(a.length, b.length);
  if (Math.min(a.length, b.length) < 5) return 0;
  const allowed = len >= 9 ? 2 : 1;
  // Cheap rejects before the edit distance: lengths, and letters present (each edit changes at
  // most two letters' presence).
  if (Math.abs(a.length - b.length) > allowed) return 0;
  if (popcount(letterMask(a) ^ letterMask(b)) > 2 * allowed) return 0;
  if (/^\d+$/.test(a) || /^\d+$/.test(b)) return 0;
  const d = editDistance(a, b);
  if (d > allowed) return 0;
  return 1 - d / len;
}

const masks = new Map<string, number>();

/** Which of a–z (and digits, as one bit) a token contains, as a bit set. */
function letterMask(token: string): number {
  let mask = masks.get(token);
  if (mask === undefined) {
    mask = 0;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i) - 97;
      mask |= c >= 0 && c < 26 ? 1 << c : 1 << 26;
    }
    if (masks.size > 100_000) masks.clear();
    masks.set(token, mask);
  }
  return mask;
}

function popcount(x: number): number {
  let n = x - ((x >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return (((n + (n >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

import { tokenize, tokenSimilarity, tokenWeight } from './text.js';

export interface PhraseMatch {
  score: number;
  /** The text that matched, for the reason shown to editors. */
  matched: string;
}

const NO_TOKENS: ReadonlySet<string> = new Set();

/**
 * How well `phrase` occurs in `text`, in [0, 1], weighting each phrase token by how much it says
 * (see `tokenWeight`; `generic` tokens, such as
 * the story's own city, count as little as generic words). The best contiguous, typo-tolerant alignment wins; tokens scattered through
 * the text count at 80 %.
 */
export function matchPhrase(
  phrase: string,
  text: string | undefined,
  generic: ReadonlySet<string> = NO_TOKENS,
): PhraseMatch {
  const p = tokenize(phrase);
  const t = tokenize(text);
  const none = { score: 0, matched: '' };
  if (p.length === 0 || t.length === 0) return none;
  const weights = p.map((tok) => Math.min(tokenWeight(tok), generic.has(tok) ? 0.25 : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) return none;

  let best = none;
  for (let start = 0; start <= t.length - 1; start++) {
    let sum = 0;
    let count = 0;
    for (let k = 0; k < p.length && start + k < t.length; k++) {
      sum += (weights[k] as number) * tokenSimilarity(p[k] as string, t[start + k] as string);
      count = k + 1;
    }
    const score = sum / total;
    if (score > best.score) best = { score, matched: t.slice(start, start + count).join(' ') };
  }

  // Scattered: each phrase token's best match anywhere.
  let bag = 0;
  for (let k = 0; k < p.length; k++) {
    let sim = 0;
    for (const tok of t) sim = Math.max(sim, tokenSimilarity(p[k] as string, tok));
    bag += (weights[k] as number) * sim;
  }
  const bagScore = (0.8 * bag) / total;
  if (bagScore > best.score) best = { score: bagScore, matched: `${p.join(' ')} (scattered)` };
  return { score: Math.min(1, best.score), matched: best.matched };
}

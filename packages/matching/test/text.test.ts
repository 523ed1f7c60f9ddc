import { describe, expect, it } from 'vitest';
import { editDistance, matchPhrase, romanToNumber, tokenize, tokenSimilarity } from '../src/index.js';

describe('tokenize', () => {
  it('folds case, accents and punctuation', () => {
    expect(tokenize("Zoë's Café, Saint-Étienne!")).toEqual(['zoe', 'cafe', 'saint', 'etienne']);
  });
  it('reads upper-case roman numerals as numbers', () => {
    expect(tokenize('Super Bowl LIX')).toEqual(['super', 'bowl', '59']);
    expect(tokenize('Super Bowl 59')).toEqual(['super', 'bowl', '59']);
    expect(tokenize('Rocky II')).toEqual(['rocky', '2']);
  });
  it('leaves lower-case words and abbreviations alone', () => {
    expect(tokenize('mix civil dim')).toEqual(['mix', 'civil', 'dim']);
    expect(tokenize('Washington DC')).toEqual(['washington', 'dc']);
    expect(tokenize('I am here')).toEqual(['i', 'am', 'here']);
  });
  it('romanToNumber', () => {
    expect(romanToNumber('MCMXCIV')).toBe(1994);
    expect(romanToNumber('IIII')).toBeUndefined();
    expect(romanToNumber('X')).toBeUndefined();
  });
});

describe('fuzzy tokens', () => {
  it('edit distance with transpositions', () => {
    expect(editDistance('stade', 'state')).toBe(1);
    expect(editDistance('ceremony', 'cermeony')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('tolerates one typo in words of five letters or more', () => {
    expect(tokenSimilarity('stade', 'state')).toBeCloseTo(0.8);
    expect(tokenSimilarity('olympics', 'olympcs')).toBeGreaterThan(0.8);
    expect(tokenSimilarity('bowl', 'bowe')).toBe(0);
    expect(tokenSimilarity('2024', '2025')).toBe(0);
  });
});

describe('matchPhrase', () => {
  it('finds a venue despite the agency typo "State de France"', () => {
    const m = matchPhrase(
      'Stade de France',
      'Tom Cruise is lowered on the State de France during the closing ceremony',
    );
    expect(m.score).toBeGreaterThan(0.85);
    expect(m.matched).toBe('state de france');
  });
  it('scores a phrase whose distinctive words are missing low', () => {
    expect(
      matchPhrase(
        '2024 Summer Olympics closing ceremony',
        "women's basketball final at the 2024 Summer Olympics",
      ).score,
    ).toBeLessThan(0.35);
  });
  it('treats story-specific generic tokens as weak evidence', () => {
    expect(matchPhrase('Stade de France', 'a game against France').score).toBeLessThan(0.6);
    expect(matchPhrase('Stade de France', 'a game against France', new Set(['france'])).score).toBeLessThan(
      0.25,
    );
  });
  it('numbers match across roman and arabic', () => {
    expect(matchPhrase('Super Bowl LIX', 'fans before Super Bowl 59 in New Orleans').score).toBe(1);
  });
});

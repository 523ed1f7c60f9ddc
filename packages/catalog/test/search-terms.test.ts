import { describe, expect, it } from 'vitest';
import { photoSearchTerms, searchAgency, searchTerms } from '../src/index.js';

describe('search terms', () => {
  it('folds case and accents, splits on punctuation, drops stopwords and one-letter words', () => {
    expect(searchTerms('Stade de France: Tom Cruise, Saint-Denis (AP Photo/Natacha Pisarenko) é')).toEqual([
      'stade',
      'de',
      'france',
      'tom',
      'cruise',
      'saint',
      'denis',
      'natacha',
      'pisarenko',
    ]);
    expect(searchTerms('Zürich Ærø São Paulo 2024')).toEqual(['zurich', 'ærø', 'sao', 'paulo', '2024']);
    expect(searchTerms(undefined)).toEqual([]);
  });
  it('collects a photo’s words and agency', () => {
    const terms = photoSearchTerms({
      caption: 'Fans cheer',
      byline: 'Jane Doe',
      keywords: ['Olympics'],
      city: 'Paris',
    });
    expect(terms).toEqual(expect.arrayContaining(['fans', 'cheer', 'jane', 'doe', 'olympics', 'paris']));
    expect(searchAgency({ keywords: [], parsedCredit: { raw: 'x', agency: 'Reuters' } })).toBe('reuters');
    expect(searchAgency({ keywords: [] })).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { altText, groupNearDuplicates, hammingDistance } from '../src/index.js';

describe('altText', () => {
  it.each([
    [
      'AP: first sentence, credit dropped, "Aug." and "St." not sentence ends',
      'Tom Cruise is lowered on the State de France during the 2024 Summer Olympics closing ceremony, Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/Natacha Pisarenko)',
      'Tom Cruise is lowered on the State de France during the 2024 Summer Olympics closing ceremony, Sunday, Aug. 11, 2024, in Saint-Denis, France.',
    ],
    [
      'Reuters: the slug header and the trailing REUTERS/ credit are dropped',
      'Paris 2024 Olympics - Closing Ceremony - Stade de France, Saint-Denis, France - August 11, 2024. Tom Cruise performs during the closing ceremony. REUTERS/Kai Pfaffenbach',
      'Tom Cruise performs during the closing ceremony.',
    ],
    [
      'a year ends a sentence',
      'Fans cheer in Los Angeles, Aug. 11, 2024. The next Games are in 2028.',
      'Fans cheer in Los Angeles, Aug. 11, 2024.',
    ],
    [
      'Getty: the upper-case dateline is dropped',
      'SAINT-DENIS, FRANCE - AUGUST 11: Tom Cruise performs during the Closing Ceremony of the Olympic Games Paris 2024 at Stade de France on August 11, 2024 in Saint-Denis, France. (Photo by Ezra Shaw/Getty Images)',
      'Tom Cruise performs during the Closing Ceremony of the Olympic Games Paris 2024 at Stade de France on August 11, 2024 in Saint-Denis, France.',
    ],
    [
      'AFP: (Photo by … / AFP) dropped',
      'US actor Tom Cruise holds the Olympic flag during the closing ceremony. (Photo by Franck Fife / AFP)',
      'US actor Tom Cruise holds the Olympic flag during the closing ceremony.',
    ],
    [
      'dpa: "Photo: Name/dpa" dropped',
      'Tom Cruise rappels from the roof of the stadium. Photo: Michael Kappeler/dpa',
      'Tom Cruise rappels from the roof of the stadium.',
    ],
    [
      'initials and U.S. are not sentence ends',
      'Simone Biles of the U.S. waves to the crowd with Jordan Chiles and J. Smith Jr. at the arena. More text follows here.',
      'Simone Biles of the U.S. waves to the crowd with Jordan Chiles and J. Smith Jr. at the arena.',
    ],
  ])('%s', (_label, caption, expected) => {
    expect(altText(caption)).toBe(expected);
  });

  it('caps very long sentences at a word boundary and handles empty captions', () => {
    const long = `${'word '.repeat(100)}end.`;
    const alt = altText(long) as string;
    expect(alt.length).toBeLessThanOrEqual(250);
    expect(alt.endsWith('…')).toBe(true);
    expect(altText(undefined)).toBeNull();
    expect(altText('   ')).toBeNull();
  });
});

describe('near-duplicates', () => {
  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingDistance('0000000000000001', '0000000000000003')).toBe(1);
    expect(hammingDistance('abc', '0000000000000000')).toBe(64);
  });

  const frame = (id: string, atS: number, phash: string, agency = 'AP', pixels = 6e6) => ({
    id,
    at: Date.parse('2024-08-11T21:40:00Z') + atS * 1000,
    phash,
    agency,
    pixels,
  });

  it('groups a burst of five frames within 3 s and keeps the largest', () => {
    const groups = groupNearDuplicates([
      frame('f1', 0, 'f0f0f0f0f0f0f0f0'),
      frame('f2', 0.5, 'f0f0f0f0f0f0f0f1'),
      frame('f3', 1.2, 'f0f0f0f0f0f0f0f3', 'AP', 9e6),
      frame('f4', 2.0, 'f0f0f0f0f0f0f0f7'),
      frame('f5', 2.8, 'f0f0f0f0f0f0f0ff'),
      frame('other', 1.0, '0f0f0f0f0f0f0f0f'),
    ]);
    expect(groups.get('f3')).toEqual(['f1', 'f2', 'f4', 'f5']);
    expect(groups.get('other')).toEqual([]);
    expect(groups.size).toBe(2);
  });

  it('does not group look-alikes far apart in time, nor frames without a hash', () => {
    const groups = groupNearDuplicates([
      frame('a', 0, 'f0f0f0f0f0f0f0f0'),
      frame('b', 60, 'f0f0f0f0f0f0f0f0'),
      { id: 'c', at: frame('c', 0, '').at, pixels: 1 },
    ]);
    expect([...groups.keys()].sort()).toEqual(['a', 'b', 'c']);
  });

  it('prefers the configured agency over size', () => {
    const groups = groupNearDuplicates(
      [frame('ap', 0, 'f0f0f0f0f0f0f0f0', 'AP', 9e6), frame('rtr', 1, 'f0f0f0f0f0f0f0f1', 'Reuters', 4e6)],
      { windowMs: 3000, maxDistance: 12, preferredAgencies: ['reuters', 'AP'] },
    );
    expect(groups.get('rtr')).toEqual(['ap']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  countryCode,
  datelinePlace,
  photoPlace,
  placeAgrees,
  placeContradiction,
  placeKey,
  placesCompatible,
  regionCountry,
  storyPlace,
} from '../src/index.js';

describe('countries', () => {
  it.each([
    ['United States', undefined, 'US'],
    ['U.S.', undefined, 'US'],
    [undefined, 'USA', 'US'],
    ['UNITED STATES', 'USA', 'US'],
    ['France', 'FRA', 'FR'],
    ['United Kingdom', 'GBR', 'GB'],
    ['Britain', undefined, 'GB'],
    ['England', undefined, 'GB'],
    ['Great Britain', undefined, 'GB'],
    ['Germany', 'GER', 'DE'],
    ['Deutschland', 'DEU', 'DE'],
    ['Russia', undefined, 'RU'],
    ['Russian Federation', undefined, 'RU'],
    ['South Korea', undefined, 'KR'],
    ['Türkiye', undefined, 'TR'],
    ['Turkey', undefined, 'TR'],
    ['The Netherlands', undefined, 'NL'],
    ['Holland', undefined, 'NL'],
    ["Côte d'Ivoire", undefined, 'CI'],
    ['Ivory Coast', undefined, 'CI'],
    ['AUS', undefined, 'AU'],
    ['Narnia', undefined, undefined],
    [undefined, undefined, undefined],
  ])('%s / %s → %s', (name, code, expected) => {
    expect(countryCode(name, code)).toBe(expected);
  });

  it('an unknown code falls back to the name', () => {
    expect(countryCode('Greece', 'XXX')).toBe('GR');
  });

  it('regions belong to their country', () => {
    expect(regionCountry('Calif.')).toBe('US');
    expect(regionCountry('Ohio')).toBe('US');
    expect(regionCountry('N.Y.')).toBe('US');
    expect(regionCountry('B.C.')).toBe('CA');
    expect(regionCountry('New South Wales')).toBe('AU');
    expect(regionCountry('Bavaria')).toBeUndefined();
  });
});

describe('place names', () => {
  it('normalises case, accents, "St." and a leading "the"', () => {
    expect(placeKey('ST. DENIS')).toBe(placeKey('Saint-Denis'));
    expect(placeKey('Montréal')).toBe('montreal');
    expect(placeKey('The Bronx')).toBe(placeKey('Bronx'));
  });

  it.each([
    ['Hollywood', 'Los Angeles', true],
    ['Los Angeles', 'Hollywood', true],
    ['L.A.', 'Los Angeles', true],
    ['Krasnaya Polyana', 'Sochi', true],
    ['Saint-Denis', 'Paris', true],
    ['Nanterre', 'Saint-Denis', true], // both within Paris
    ['Brooklyn', 'New York City', true],
    ['NYC', 'New York', true],
    ['Mason', 'Cincinnati', true],
    ['Varnavas', 'Athens', true], // both within Attica
    ['Munich', 'München', true],
    ['Kiev', 'Kyiv', true],
    ['Quebec City', 'Quebec', true],
    ['Villeneuve-d’Ascq', "VILLENEUVE-D'ASCQ", true],
    ['Cincinati', 'Cincinnati', true], // one typo
    ['Paris', 'London', false],
    ['Paris', 'Lyon', false],
    ['Hollywood', 'Sochi', false],
    ['Berlin', 'Munich', false],
    ['Long Beach', 'Manhattan', false],
    ['Evia', 'Varnavas', false],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(placesCompatible(placeKey(a), placeKey(b))).toBe(expected);
  });
});

describe('datelines', () => {
  it.each([
    [
      'Fireworks explode over the Eiffel Tower, Wednesday, Jan. 1, 2025, in Paris, France. (AP Photo/Thibault Camus)',
      { city: 'Paris', country: 'FR' },
    ],
    [
      'A storm rolls over Cincinnati, Tuesday, Aug. 13, 2024, in Cincinnati, Ohio.',
      { city: 'Cincinnati', country: 'US' },
    ],
    [
      'PARIS, FRANCE - JANUARY 01: Fireworks over the Arc de Triomphe on January 1, 2025 in Paris, France. (Photo by X/Getty Images)',
      { city: 'PARIS', country: 'FR' },
    ],
    [
      'Revellers watch fireworks in Sydney, Australia, December 31, 2024. REUTERS/Jaimi Joy',
      { city: 'Sydney', country: 'AU' },
    ],
    // The last "in City, Country" is the dateline: an earlier one is part of the story.
    [
      'A man born in Lyon, France, watches the fireworks, Wednesday, Jan. 1, 2025, in London, England. (AP Photo/X)',
      { city: 'London', country: 'GB' },
    ],
    [
      'Supporters cheer, Wednesday, Nov. 6, 2024, in West Palm Beach, Fla. THE CANADIAN PRESS/AP-Evan Vucci',
      { city: 'West Palm Beach', country: 'US' },
    ],
  ])('%s', (caption, expected) => {
    expect(datelinePlace(caption)).toEqual(expected);
  });

  it('nothing when no dateline names a country or a region', () => {
    expect(datelinePlace('Fans cheer in Paris, Sunday, during the final')).toBeUndefined();
    expect(datelinePlace('Protesters march in Atlanta, Georgia.')).toBeUndefined(); // country or state?
    expect(datelinePlace(undefined)).toBeUndefined();
  });
});

describe('contradictions', () => {
  const london = storyPlace({ city: 'London', country: 'United Kingdom' });

  it('another country contradicts', () => {
    const paris = photoPlace({ city: 'Paris', country: 'France', countryCode: 'FRA' });
    expect(placeContradiction(paris, london)).toEqual({
      kind: 'country',
      reason: 'place contradicts: the photo is in Paris, France, the story in London, United Kingdom',
    });
  });

  it('another city of the same country contradicts; a district of the same city does not', () => {
    const edinburgh = photoPlace({ city: 'Edinburgh', country: 'United Kingdom' });
    expect(placeContradiction(edinburgh, london)?.kind).toBe('city');
    const westminster = photoPlace({ city: 'Westminster', country: 'Britain' });
    expect(placeContradiction(westminster, london)).toBeUndefined();
    expect(placeAgrees(westminster, london)).toBe(true);
  });

  it("the story's own place list counts as its place", () => {
    const story = storyPlace({ city: 'Sochi', country: 'Russia', places: ['Khosta'] });
    expect(placeContradiction(photoPlace({ city: 'Khosta', country: 'Russia' }), story)).toBeUndefined();
    expect(
      placeContradiction(photoPlace({ city: 'Krasnaya Polyana', countryCode: 'RUS' }), story),
    ).toBeUndefined();
    expect(placeContradiction(photoPlace({ city: 'Kazan', countryCode: 'RUS' }), story)?.kind).toBe('city');
  });

  it('a sub-location or province that names the story place clears a city mismatch', () => {
    const story = storyPlace({ city: 'Varnavas', country: 'Greece', places: ['Attica'] });
    expect(
      placeContradiction(photoPlace({ city: 'Dione', provinceState: 'Attica', country: 'Greece' }), story),
    ).toBeUndefined();
  });

  it('the dateline stands in for missing location fields', () => {
    const place = photoPlace({
      caption:
        'Fireworks light up the sky, Wednesday, Jan. 1, 2025, in Berlin, Germany. (AP Photo/Markus Schreiber)',
    });
    expect(place).toMatchObject({ city: 'Berlin', country: 'DE', cityFromDateline: true });
    expect(placeContradiction(place, london)?.kind).toBe('country');
  });

  it('nothing to compare is no contradiction', () => {
    expect(placeContradiction(photoPlace({}), london)).toBeUndefined();
    expect(placeContradiction(photoPlace({ city: 'Paris' }), storyPlace({}))).toBeUndefined();
    expect(
      placeContradiction(photoPlace({ country: 'France' }), storyPlace({ city: 'Paris' })),
    ).toBeUndefined();
  });
});

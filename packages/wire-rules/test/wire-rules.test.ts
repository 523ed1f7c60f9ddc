import type { PhotoMetadata } from '@lightbox/contracts';
import { describe, expect, it } from 'vitest';
import {
  identityKeys,
  interpretTransmission,
  parseEmbargoTime,
  parseRestrictions,
  readEmbargo,
  stripAdvisories,
  stripDateline,
} from '../src/index.js';

const m = (p: Partial<PhotoMetadata>): PhotoMetadata => ({ keywords: [], ...p });
const ap = {
  agency: 'AP',
  transmissionReference: 'OLYCC101',
  objectName: 'Paris Olympics Closing Ceremony',
  dateCreated: '2024-08-11T21:04:12+02:00',
};

describe('kills', () => {
  it.each([
    [
      'caption',
      {
        caption:
          'ATTENTION EDITORS: MANDATORY KILL. This photo has been withdrawn. (AP Photo/Natacha Pisarenko)',
      },
    ],
    ['caption ELIMINATE', { caption: 'ELIMINATE - Tom Cruise is lowered …' }],
    ['special instructions', { specialInstructions: 'Mandatory kill: wrong person identified' }],
    ['instructions WITHDRAWN', { specialInstructions: 'PHOTO WITHDRAWN' }],
    ['NewsML pubStatus', { pubStatus: 'canceled' as const }],
    ['IIM edit status', { editStatus: 'KILL' }],
  ])('from %s', (_label, fields) => {
    expect(interpretTransmission(m({ ...ap, ...fields })).marker).toBe('kill');
  });

  it('does not read a news verb in a normal caption as a kill', () => {
    expect(
      interpretTransmission(m({ caption: 'Police say the storm could kill crops across the region.' }))
        .marker,
    ).toBe('none');
  });
});

describe('corrections', () => {
  it.each([
    { caption: 'CORRECTS SPELLING OF NAME Tom Cruise is lowered …' },
    { caption: 'CORRECTION: corrects date' },
    { editStatus: 'CORRECTION' },
    { editStatus: 'sig:correction' },
    { specialInstructions: 'CORRECTION to caption' },
  ])('%o', (fields) => {
    const t = interpretTransmission(m({ ...ap, ...fields }));
    expect(t.marker).toBe('correction');
    expect(t.reason).toBeTruthy();
  });
});

describe('identity', () => {
  it('uses the guid, and source + transmission reference + slug + day', () => {
    expect(identityKeys(m({ ...ap, guid: 'urn:newsml:ap.org:1' }))).toEqual([
      'guid:urn:newsml:ap.org:1',
      'ref:ap|olycc101|paris olympics closing ceremony|2024-08-11',
    ]);
  });
  it('needs all of source, reference, slug and day: a desk code alone would merge different pictures', () => {
    expect(identityKeys(m({ agency: 'Reuters', transmissionReference: 'FW1' }))).toEqual([]);
    expect(identityKeys(m({ ...ap, objectName: undefined }))).toEqual([]);
  });
});

describe('embargoes', () => {
  it.each([
    ['EMBARGOED UNTIL 0001 GMT, Aug. 12, 2024', '2024-08-12T00:01:00.000Z'],
    ['embargoed until 12:01 a.m. ET Aug 12, 2024', '2024-08-12T04:01:00.000Z'],
    ['EMBARGO: 2024-08-12T00:01:00+02:00', '2024-08-11T22:01:00.000Z'],
    ['EMBARGOED UNTIL 21:00 CEST 11 August 2024', '2024-08-11T19:00:00.000Z'],
    ['EMBARGOED UNTIL 6 p.m. PDT, 11/08/2024', '2024-08-12T01:00:00.000Z'],
  ])('%s', (text, until) => {
    expect(readEmbargo(undefined, text)).toEqual({ state: 'until', until, source: 'instructions' });
  });
  it('reads structured release dates (IIM 2:30/2:35, NewsML embargoed)', () => {
    expect(readEmbargo('2024-08-12T00:01:00+00:00')).toEqual({
      state: 'until',
      until: '2024-08-12T00:01:00.000Z',
      source: 'release date',
    });
  });
  it('says when it cannot read the time, instead of guessing', () => {
    expect(readEmbargo(undefined, 'EMBARGOED until the end of the ceremony')).toEqual({
      state: 'unreadable',
      text: 'EMBARGOED until the end of the ceremony',
    });
    expect(readEmbargo(undefined, 'MANDATORY CREDIT')).toEqual({ state: 'none' });
    expect(parseEmbargoTime('sometime soon')).toBeUndefined();
  });
});

describe('restrictions', () => {
  it.each([
    ['SPAIN OUT. NO SALES. MANDATORY CREDIT', ['MANDATORY CREDIT', 'NO SALES', 'SPAIN OUT']],
    ['Newsmagazines Out', ['NEWSMAGAZINES OUT']],
    ['NO ARCHIVAL OR WIRELESS USE', ['NO ARCHIVAL']],
    ['FOR EDITORIAL USE ONLY - NO THIRD PARTY SALES', ['FOR EDITORIAL USE ONLY', 'NO THIRD PARTY SALES']],
    ['NO MAGS, NO TV; NORTH AMERICA OUT', ['NO MAGS', 'NO TV', 'NORTH AMERICA OUT']],
    ['the player walks out of the tunnel', []],
  ])('%s', (text, expected) => {
    expect(parseRestrictions(text).sort()).toEqual([...expected].sort());
  });
});

describe('public text: advisory headers', () => {
  it.each([
    ['CORRECTS TO SECOND HALF: Chicago Fire forward scores.', 'Chicago Fire forward scores.'],
    ['CORRECTS SPELLING OF NAME Tom Cruise is lowered', 'Tom Cruise is lowered'],
    ['REFILE - ADDING RESTRICTION Soccer Football - Premier League', 'Soccer Football - Premier League'],
    ['UPDATES WITH NEW CROP - Fans cheer', 'Fans cheer'],
    ['EDS NOTE: GRAPHIC CONTENT - A man lies injured', 'A man lies injured'],
    ['ADDS PHOTOGRAPHER NAME: Runners start the race', 'Runners start the race'],
    ['CORRECTION: corrects date', 'corrects date'],
    ['CORRECTS spelling of venue: Frame 3 at the stadium.', 'Frame 3 at the stadium.'],
    ['CORRECTS NAME Frame 3 v16: fans at the stadium.', 'Frame 3 v16: fans at the stadium.'],
    ['CORRECTS DATE - PARIS, FRANCE - AUGUST 11: Tom Cruise', 'PARIS, FRANCE - AUGUST 11: Tom Cruise'],
  ])('%s', (caption, expected) => {
    expect(stripAdvisories(caption)).toBe(expected);
  });
  it('leaves captions without a header alone, capitals included', () => {
    for (const caption of [
      'Tom Cruise is lowered into the Stade de France.',
      'PARIS, FRANCE - AUGUST 11: Tom Cruise performs',
      'NBA: Finals-Celtics at Mavericks',
      'UPDATE',
    ])
      expect(stripAdvisories(caption)).toBe(caption);
  });
  it('removes a "Jun 14, 2025; Chicago, IL, USA;" dateline', () => {
    expect(stripDateline('Jun 14, 2025; Chicago, IL, USA; Chicago Fire forward Hugo Cuypers')).toBe(
      'Chicago Fire forward Hugo Cuypers',
    );
  });
});

describe('embargo releases', () => {
  it.each([
    { specialInstructions: 'EMBARGO LIFTED' },
    { specialInstructions: 'Embargo has been lifted; free for use' },
    { specialInstructions: 'RELEASED FOR PUBLICATION' },
    { caption: 'EMBARGO LIFTED Fans cheer' },
  ])('%o', (fields) => {
    const t = interpretTransmission(m({ ...ap, ...fields }));
    expect(t.marker).toBe('release');
    expect(t.embargo).toEqual({ state: 'none' });
  });
});

import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { type Clock, expiredLicence, expiryInstant, licenceExpiry } from '../src/index.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const at =
  (isoTime: string): Clock =>
  () =>
    new Date(isoTime);

describe('agency expiry values', () => {
  it.each([
    ['date with time and offset (IIM 2:37 + 2:38)', '2024-09-30T18:00:00+02:00', '2024-09-30T16:00:00.000Z'],
    ['UTC', '2024-09-30T18:00:00Z', '2024-09-30T18:00:00.000Z'],
    ['compact offset', '2024-09-30T18:00:00+0200', '2024-09-30T16:00:00.000Z'],
    ['no seconds', '2024-09-30T18:00+02:00', '2024-09-30T16:00:00.000Z'],
    ['fractions', '2024-09-30T18:00:00.500Z', '2024-09-30T18:00:00.000Z'],
    [
      'date alone: usable through that day, read in the earliest zone',
      '2024-09-30',
      '2024-09-30T10:00:00.000Z',
    ],
    ['IIM compact date', '20240930', '2024-09-30T10:00:00.000Z'],
    ['local time without offset: the earliest zone', '2024-09-30T18:00:00', '2024-09-30T04:00:00.000Z'],
  ])('%s', (_name, value, expected) => {
    expect(iso(expiryInstant(value))).toBe(expected);
  });

  it.each([['next week'], ['2024-13-45'], [''], ['2024-09-30T25:00:00Z']])('%s is not a date', (value) => {
    expect(expiryInstant(value)).toBeUndefined();
  });
});

describe('licence expiry', () => {
  const receivedAt = '2024-08-01T12:00:00.000Z';

  it('none without an agency expiry or a feed rule', () => {
    expect(licenceExpiry({ receivedAt, published: false })).toBeUndefined();
    expect(expiredLicence({ receivedAt, published: false }, at('2099-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('IIM expiry', () => {
    expect(
      licenceExpiry({ receivedAt, published: true, agency: { iim: '2024-09-30T18:00:00+02:00' } }),
    ).toEqual({
      at: '2024-09-30T16:00:00.000Z',
      source: 'iim',
      reason: 'agency expiry (IIM 2:37/2:38) 2024-09-30T18:00:00+02:00 (expires 2024-09-30T16:00:00.000Z)',
    });
  });

  it('NewsML-G2 expiry', () => {
    expect(
      licenceExpiry({ receivedAt, published: true, agency: { newsml: '2024-09-01T00:00:00Z' } }),
    ).toMatchObject({ at: '2024-09-01T00:00:00.000Z', source: 'newsml' });
  });

  it('per-feed rule for all pictures: days after arrival, published or not', () => {
    const rule = { expireAfterDays: 30, applies: 'all' } as const;
    for (const published of [true, false])
      expect(licenceExpiry({ receivedAt, published, feedRule: rule })).toEqual({
        at: '2024-08-31T12:00:00.000Z',
        source: 'feed',
        reason: 'feed rule: 30 days after arrival (expires 2024-08-31T12:00:00.000Z)',
      });
  });

  it('per-feed rule for unpublished pictures only', () => {
    const rule = { expireAfterDays: 7, applies: 'unpublished' } as const;
    expect(licenceExpiry({ receivedAt, published: false, feedRule: rule })).toMatchObject({
      at: '2024-08-08T12:00:00.000Z',
      source: 'feed',
    });
    expect(licenceExpiry({ receivedAt, published: true, feedRule: rule })).toBeUndefined();
  });

  it('the earliest of every source wins', () => {
    const input = {
      receivedAt,
      published: false,
      agency: { iim: '2024-08-20', newsml: '2024-08-15T00:00:00Z' },
      feedRule: { expireAfterDays: 30, applies: 'all' } as const,
    };
    expect(licenceExpiry(input)?.source).toBe('newsml');
    expect(licenceExpiry({ ...input, feedRule: { expireAfterDays: 3, applies: 'all' } })?.source).toBe(
      'feed',
    );
    expect(licenceExpiry({ ...input, agency: { iim: '2024-08-02' } })?.source).toBe('iim');
  });

  it('a zero or negative rule and unreadable agency values are ignored', () => {
    expect(
      licenceExpiry({ receivedAt, published: false, feedRule: { expireAfterDays: 0, applies: 'all' } }),
    ).toBeUndefined();
    expect(
      licenceExpiry({ receivedAt, published: false, agency: { iim: 'soon', newsml: '' } }),
    ).toBeUndefined();
  });

  it('expired only once the clock passes the expiry (fake clock, no sleeping)', () => {
    const input = { receivedAt, published: false, agency: { iim: '2024-09-30T18:00:00+02:00' } };
    expect(expiredLicence(input, at('2024-09-30T15:59:59.999Z'))).toBeUndefined();
    expect(expiredLicence(input, at('2024-09-30T16:00:00.000Z'))?.source).toBe('iim');
    expect(expiredLicence(input, at('2025-01-01T00:00:00Z'))?.at).toBe('2024-09-30T16:00:00.000Z');
  });
});

describe('NewsML-G2 sidecar fixtures (values as packages/newsml reads them)', async () => {
  const { sidecars } = JSON.parse(await readFile(fixturePath('synthetic/cases.json'), 'utf8')) as {
    sidecars: {
      file: string;
      expect: { expirationDate: string };
      expiry: { receivedAt: string; published: boolean; source: string; at: string };
    }[];
  };
  it.each(sidecars.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    const input = {
      receivedAt: c.expiry.receivedAt,
      published: c.expiry.published,
      agency: { newsml: c.expect.expirationDate },
    };
    expect(licenceExpiry(input)).toMatchObject({ source: c.expiry.source, at: c.expiry.at });
    expect(expiredLicence(input, at(c.expiry.at))?.source).toBe('newsml');
  });
});

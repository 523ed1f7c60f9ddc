import { describe, expect, it } from 'vitest';
import { chooseCaptureDate, exifCaptureDate, iimCaptureDate, xmpCaptureDate } from '../src/index.js';

describe('iimCaptureDate', () => {
  it('combines DateCreated and TimeCreated with its offset', () => {
    expect(iimCaptureDate('20240811', '231548+0200')).toEqual({
      iso: '2024-08-11T23:15:48+02:00',
      zone: 'explicit',
      source: 'iim',
    });
    expect(iimCaptureDate('20240811', '231548-0930')?.iso).toBe('2024-08-11T23:15:48-09:30');
    expect(iimCaptureDate('20200723', '113220+0000')?.iso).toBe('2020-07-23T11:32:20+00:00');
  });
  it('records an unknown zone instead of guessing', () => {
    expect(iimCaptureDate('20240811', '231548')).toEqual({
      iso: '2024-08-11T23:15:48',
      zone: 'unknown',
      source: 'iim',
    });
    expect(iimCaptureDate('20240811', undefined)).toEqual({
      iso: '2024-08-11',
      zone: 'unknown',
      source: 'iim',
    });
  });
  it('rejects impossible values', () => {
    expect(iimCaptureDate('20240230', '120000+0000')).toBeUndefined();
    expect(iimCaptureDate('2024-08-11', undefined)).toBeUndefined();
    expect(iimCaptureDate('20240811', '256100+0000')).toEqual({
      iso: '2024-08-11',
      zone: 'unknown',
      source: 'iim',
    });
    expect(iimCaptureDate('20240811', '120000+1900')?.zone).toBe('unknown');
  });
});

describe('xmpCaptureDate', () => {
  it.each([
    ['2024-08-11T23:15:48+02:00', '2024-08-11T23:15:48+02:00', 'explicit'],
    ['2024-08-11T23:15:48.64+02:00', '2024-08-11T23:15:48+02:00', 'explicit'],
    ['2024-08-11T23:15+02:00', '2024-08-11T23:15:00+02:00', 'explicit'],
    ['2024-08-11T21:15:48Z', '2024-08-11T21:15:48+00:00', 'explicit'],
    ['2021-06-27T18:23:07.64', '2021-06-27T18:23:07', 'unknown'],
    ['2003-08-30', '2003-08-30', 'unknown'],
  ])('%s', (input, iso, zone) => {
    expect(xmpCaptureDate(input)).toMatchObject({ iso, zone, source: 'xmp' });
  });
  it('ignores junk', () => {
    expect(xmpCaptureDate('last Tuesday')).toBeUndefined();
    expect(xmpCaptureDate(undefined)).toBeUndefined();
  });
});

describe('exifCaptureDate', () => {
  it('uses OffsetTimeOriginal', () => {
    expect(exifCaptureDate('2024:08:11 23:15:48', '+02:00')).toEqual({
      iso: '2024-08-11T23:15:48+02:00',
      zone: 'explicit',
      source: 'exif',
    });
    expect(exifCaptureDate('2024:08:11 23:15:48', undefined)).toEqual({
      iso: '2024-08-11T23:15:48',
      zone: 'unknown',
      source: 'exif',
    });
    expect(exifCaptureDate('0000:00:00 00:00:00', undefined)).toBeUndefined();
  });
});

describe('chooseCaptureDate', () => {
  const iim = iimCaptureDate('20240811', '231548');
  const xmp = xmpCaptureDate('2024-08-11T23:15:48+02:00');
  const exif = exifCaptureDate('2024:08:11 23:15:48', '+02:00');
  it('prefers IIM, then XMP, then EXIF', () => {
    expect(chooseCaptureDate([iimCaptureDate('20240811', '231548+0100'), xmp, exif])?.iso).toBe(
      '2024-08-11T23:15:48+01:00',
    );
    expect(chooseCaptureDate([undefined, xmp, exif])?.source).toBe('xmp');
    expect(chooseCaptureDate([undefined, undefined, exif])?.source).toBe('exif');
    expect(chooseCaptureDate([undefined, undefined, undefined])).toBeUndefined();
  });
  it('borrows the offset of a source stating the same wall-clock time', () => {
    expect(chooseCaptureDate([iim, undefined, exif])).toEqual({
      iso: '2024-08-11T23:15:48+02:00',
      zone: 'explicit',
      source: 'iim',
    });
  });
  it('does not borrow an offset for a different time', () => {
    expect(chooseCaptureDate([iim, undefined, exifCaptureDate('2024:08:11 22:00:00', '+02:00')])?.zone).toBe(
      'unknown',
    );
  });
  it('upgrades a date-only value to a fuller timestamp on the same day', () => {
    expect(chooseCaptureDate([iimCaptureDate('20240811', undefined), undefined, exif])?.iso).toBe(
      '2024-08-11T23:15:48+02:00',
    );
  });
});

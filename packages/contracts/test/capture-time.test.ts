import { describe, expect, it } from 'vitest';
import {
  captureInstant,
  captureRange,
  captureSpanIn,
  captureTime,
  eventSearchRange,
  hasZone,
  isBareDate,
  MAX_CAPTURE_UNCERTAINTY_MS,
  photoInstant,
  zoneOf,
} from '../src/index.js';

const H = 3600_000;
const at = (iso: string) => Date.parse(iso);

describe('capture-time rules', () => {
  it.each([
    ['2024-08-11T21:00:00Z', true],
    ['2024-08-11T21:00:00+02:00', true],
    ['2024-08-11T21:00:00-05:30', true],
    ['2024-08-11T21:00:00.123Z', true],
    ['2024-08-11T21:00:00', false],
    ['2024-08-11', false],
    ['2024-08-11T21:00:00+0200', false],
  ])('hasZone(%s) is %s', (iso, zoned) => {
    expect(hasZone(iso)).toBe(zoned);
  });

  it('tells bare dates from times', () => {
    expect(isBareDate('2024-08-11')).toBe(true);
    expect(isBareDate('2024-08-11T00:00:00')).toBe(false);
    expect(isBareDate('20240811')).toBe(false);
  });

  it('reads a zone as ±hh:mm, Z as +00:00', () => {
    expect(zoneOf('2024-08-11T21:00:00+02:00')).toBe('+02:00');
    expect(zoneOf('2024-08-11T21:00:00Z')).toBe('+00:00');
    expect(zoneOf('2024-08-11T21:00:00')).toBeUndefined();
  });

  it.each([
    // A zone: that instant, no uncertainty.
    ['2024-08-11T21:00:00+02:00', '2024-08-11T19:00:00Z', 0],
    ['2024-08-11T21:00:00Z', '2024-08-11T21:00:00Z', 0],
    // No zone: read as UTC, up to 14 h off.
    ['2024-08-11T21:00:00', '2024-08-11T21:00:00Z', 14 * H],
    ['2024-08-11T21:00:00.5', '2024-08-11T21:00:00.500Z', 14 * H],
    // A bare date: noon UTC, up to 26 h off.
    ['2024-08-11', '2024-08-11T12:00:00Z', 26 * H],
  ])('captureTime(%s) is %s ± %d ms', (value, instant, uncertaintyMs) => {
    expect(captureTime(value)).toEqual({ at: at(instant), uncertaintyMs });
    expect(captureInstant(value)).toBe(at(instant));
  });

  it.each([undefined, '', 'nonsense', '2024-13-45', '2024-08-11T25:00:00'])('%s has no capture time', (v) => {
    expect(captureTime(v)).toBeUndefined();
    expect(captureInstant(v)).toBeUndefined();
    expect(captureRange(v, 6 * H)).toBeUndefined();
  });

  it('a photo without a capture time is placed at its arrival', () => {
    const receivedAt = '2024-08-12T08:00:00.000Z';
    expect(photoInstant({ receivedAt })).toBe(at(receivedAt));
    expect(photoInstant({ receivedAt, metadata: { dateCreated: 'garbage' } })).toBe(at(receivedAt));
    expect(photoInstant({ receivedAt, metadata: { dateCreated: '2024-08-11' } })).toBe(
      at('2024-08-11T12:00:00Z'),
    );
  });

  describe('captureRange', () => {
    it('is the instant ± slack for zoned times', () => {
      const t = at('2024-08-11T22:00:00+02:00');
      expect(captureRange('2024-08-11T22:00:00+02:00', 6 * H)).toEqual([t - 6 * H, t + 6 * H]);
    });
    it('widens by 14 h without a zone and 12 h more for a bare date', () => {
      const [from, to] = captureRange('2024-08-11T22:00:00', 6 * H) as [number, number];
      expect(to - from).toBe(2 * 20 * H);
      expect((from + to) / 2).toBe(at('2024-08-11T22:00:00Z'));
      const [dFrom, dTo] = captureRange('2024-08-11', 6 * H) as [number, number];
      expect(dTo - dFrom).toBe(2 * 32 * H);
      expect((dFrom + dTo) / 2).toBe(at('2024-08-11T12:00:00Z'));
    });
    it('holds the true instant of a zone-less time whatever zone it was taken in', () => {
      // 21:00 local in Tokyo (UTC+9) and in Honolulu (UTC−10).
      for (const truth of ['2024-08-11T21:00:00+09:00', '2024-08-11T21:00:00-10:00']) {
        const [from, to] = captureRange('2024-08-11T21:00:00', 0) as [number, number];
        expect(at(truth)).toBeGreaterThanOrEqual(from);
        expect(at(truth)).toBeLessThanOrEqual(to);
      }
    });
  });

  describe('eventSearchRange', () => {
    it('widens the event window by the slack and the largest uncertainty', () => {
      const [from, to] = eventSearchRange('2024-08-11T10:00:00Z', '2024-08-11T12:00:00Z', 6 * H);
      expect(from).toBe(at('2024-08-11T10:00:00Z') - 6 * H - MAX_CAPTURE_UNCERTAINTY_MS);
      expect(to).toBe(at('2024-08-11T12:00:00Z') + 6 * H + MAX_CAPTURE_UNCERTAINTY_MS);
    });
    it('finds every photo whose own range reaches the window', () => {
      const [start, end] = ['2024-08-11T10:00:00Z', '2024-08-11T12:00:00Z'];
      const [from, to] = eventSearchRange(start, end, 6 * H);
      for (const dateCreated of ['2024-08-10', '2024-08-12', '2024-08-12T09:00:00', '2024-08-10T13:00:00']) {
        const [pFrom, pTo] = captureRange(dateCreated, 6 * H) as [number, number];
        const reaches = pTo >= at(start) && pFrom <= at(end);
        if (reaches) {
          const filed = captureInstant(dateCreated) as number;
          expect(filed).toBeGreaterThanOrEqual(from);
          expect(filed).toBeLessThanOrEqual(to);
        }
      }
    });
  });

  describe('captureSpanIn (scoring against one story)', () => {
    it('keeps explicit zones', () => {
      expect(captureSpanIn('2024-08-12T00:20:00+02:00', '+00:00')).toEqual({
        startMs: at('2024-08-11T22:20:00Z'),
        endMs: at('2024-08-11T22:20:00Z'),
      });
    });
    it("reads a zone-less time in the story's zone, and says so", () => {
      const t = captureSpanIn('2024-08-11T21:00:00', '+09:00');
      expect(t?.startMs).toBe(at('2024-08-11T12:00:00Z'));
      expect(t?.note).toMatch(/no zone; assumed the story's zone \(\+09:00\)/);
    });
    it('reads a bare date as the whole local day', () => {
      const t = captureSpanIn('2024-08-11', '+02:00');
      expect(t?.startMs).toBe(at('2024-08-10T22:00:00Z'));
      expect((t?.endMs ?? 0) - (t?.startMs ?? 0)).toBe(24 * H);
      expect(t?.note).toMatch(/whole day 2024-08-11/);
    });
    it('is undefined when unreadable', () => {
      expect(captureSpanIn(undefined, '+00:00')).toBeUndefined();
      expect(captureSpanIn('garbage', '+00:00')).toBeUndefined();
    });
  });
});

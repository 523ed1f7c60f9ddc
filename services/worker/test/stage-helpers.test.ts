import { describe, expect, it } from 'vitest';
import { candidateRange, watermarkTextFor } from '../src/index.js';

describe('watermarkTextFor', () => {
  it('prefers the printed credit line', () => {
    expect(watermarkTextFor({ keywords: [], creditLine: 'AP Photo/Natacha Pisarenko', credit: 'AP' })).toBe(
      'AP Photo/Natacha Pisarenko',
    );
    expect(watermarkTextFor({ keywords: [], credit: 'REUTERS', byline: 'X' })).toBe('REUTERS');
    expect(watermarkTextFor({ keywords: [] })).toBeUndefined();
  });
});

describe('candidateRange', () => {
  const h = 3600_000;
  it('is the instant ± slack for zoned times', () => {
    const t = Date.parse('2024-08-11T22:00:00+02:00');
    expect(candidateRange('2024-08-11T22:00:00+02:00', 6)).toEqual([t - 6 * h, t + 6 * h]);
  });
  it('widens by 14 h for zone-less times and by a day for dates', () => {
    const [from, to] = candidateRange('2024-08-11T22:00:00', 6) as [number, number];
    expect(to - from).toBe(2 * 20 * h);
    const [dFrom, dTo] = candidateRange('2024-08-11', 6) as [number, number];
    expect(dTo - dFrom).toBe(2 * 32 * h);
  });
  it('is undefined without a date', () => {
    expect(candidateRange(undefined, 6)).toBeUndefined();
    expect(candidateRange('garbage', 6)).toBeUndefined();
  });
});

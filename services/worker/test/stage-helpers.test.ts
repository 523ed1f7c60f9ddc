import { describe, expect, it } from 'vitest';
import { watermarkTextFor } from '../src/index.js';

describe('watermarkTextFor', () => {
  it('prefers the printed credit line', () => {
    expect(watermarkTextFor({ keywords: [], creditLine: 'AP Photo/Natacha Pisarenko', credit: 'AP' })).toBe(
      'AP Photo/Natacha Pisarenko',
    );
    expect(watermarkTextFor({ keywords: [], credit: 'REUTERS', byline: 'X' })).toBe('REUTERS');
    expect(watermarkTextFor({ keywords: [] })).toBeUndefined();
  });
});

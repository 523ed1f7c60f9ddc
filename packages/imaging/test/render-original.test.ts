import { describe, expect, it } from 'vitest';
import { watermarkTextFor, withDecodedSize } from '../src/index.js';

describe('watermarkTextFor', () => {
  it('prefers the printed credit line, then credit, byline, source', () => {
    expect(watermarkTextFor({ keywords: [], creditLine: 'AP Photo/Natacha Pisarenko', credit: 'AP' })).toBe(
      'AP Photo/Natacha Pisarenko',
    );
    expect(watermarkTextFor({ keywords: [], credit: 'REUTERS', byline: 'X' })).toBe('REUTERS');
    expect(watermarkTextFor({ keywords: [], byline: 'Jane Doe', source: 'AFP' })).toBe('Jane Doe');
    expect(watermarkTextFor({ keywords: [], source: 'AFP' })).toBe('AFP');
    expect(watermarkTextFor({ keywords: [] })).toBeUndefined();
    expect(watermarkTextFor(undefined)).toBeUndefined();
  });
});

describe('withDecodedSize', () => {
  it('takes size and orientation from the decoded header', () => {
    const probe = { displayWidth: 600, displayHeight: 400, orientation: 6 } as Parameters<
      typeof withDecodedSize
    >[1];
    expect(withDecodedSize({ keywords: [], width: 1, height: 1, caption: 'c' }, probe)).toEqual({
      keywords: [],
      width: 600,
      height: 400,
      orientation: 6,
      caption: 'c',
    });
  });
});

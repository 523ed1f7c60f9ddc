import { describe, expect, it } from 'vitest';
import { chooseRendition } from '../src/index.js';

const r = (name: string, width: number, bytes = 1000) => ({ name, width, bytes });
const set = [r('large', 2048), r('thumb', 320), r('medium', 1024), r('small', 640)];

describe('chooseRendition', () => {
  it('is the smallest by default', () => {
    expect(chooseRendition(set)?.name).toBe('thumb');
  });
  it('is the narrowest at least that wide', () => {
    expect(chooseRendition(set, 320)?.name).toBe('thumb');
    expect(chooseRendition(set, 321)?.name).toBe('small');
    expect(chooseRendition(set, 600)?.name).toBe('small');
    expect(chooseRendition(set, 1024)?.name).toBe('medium');
  });
  it('is the widest when none is that wide (and for Infinity)', () => {
    expect(chooseRendition(set, 4000)?.name).toBe('large');
    expect(chooseRendition(set, Number.POSITIVE_INFINITY)?.name).toBe('large');
  });
  it('breaks ties by fewer bytes, whatever the order given', () => {
    const tied = [r('avif', 640, 300), r('jpeg', 640, 900), r('webp', 640, 500)];
    expect(chooseRendition(tied)?.name).toBe('avif');
    expect(chooseRendition([...tied].reverse(), Number.POSITIVE_INFINITY)?.name).toBe('avif');
  });
  it('is undefined without renditions', () => {
    expect(chooseRendition(undefined)).toBeUndefined();
    expect(chooseRendition([])).toBeUndefined();
  });
  it('reads renditions without a size as zero bytes', () => {
    expect(chooseRendition([{ width: 10 }, { width: 5 }])).toEqual({ width: 5 });
  });
});

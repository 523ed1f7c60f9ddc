import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import { describe, expect, it } from 'vitest';
import { jpegHeaderSegments } from '../src/index.js';

describe('jpegHeaderSegments', () => {
  it('walks a real file to its image data', async () => {
    const { segments, complete } = jpegHeaderSegments(
      await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg')),
    );
    expect(complete).toBe(true);
    expect(segments.some((s) => s.marker === 0xed)).toBe(true); // APP13 Photoshop/IIM
    expect(segments.some((s) => s.marker === 0xdb)).toBe(true); // quantisation tables
  });

  it('a file cut inside its headers is not complete, and keeps what it read', async () => {
    const whole = await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'));
    const { segments } = jpegHeaderSegments(whole);
    const second = segments[1] as { offset: number };
    const cut = jpegHeaderSegments(whole.subarray(0, second.offset + 10));
    expect(cut.complete).toBe(false);
    expect(cut.segments).toHaveLength(1);
  });

  it('not a JPEG', () => {
    expect(jpegHeaderSegments(Buffer.from('GIF89a'))).toEqual({ segments: [], complete: false });
    expect(jpegHeaderSegments(Buffer.alloc(0))).toEqual({ segments: [], complete: false });
  });
});

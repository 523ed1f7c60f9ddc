import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageEnds, JpegEndWatch, scanJpegHeader } from '../src/index.js';

/** Streams `bytes` through a watch in chunks cut at `cuts` (offsets). */
function watched(bytes: Buffer, cuts: number[]): boolean | undefined {
  const watch = new JpegEndWatch();
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  // The head (up to the image data) is known before the rest streams past, as in receiveOriginal.
  const headLength = scanJpegHeader(bytes).headerEnd as number;
  const head = bytes.subarray(0, Math.max(headLength, at[0] ?? 0));
  watch.startAt(headLength, head);
  let from = head.length;
  for (const cut of [...at.filter((c) => c > from), bytes.length]) {
    watch.push(bytes.subarray(from, cut));
    from = cut;
  }
  return watch.complete;
}

describe('imageEnds / JpegEndWatch: the image arrived whole', () => {
  const files = ['real/wire/ap-bush-waco-2003.jpg', 'real/wire/reuters-neuss-2020.jpg'];

  it.each(files)('a whole agency JPEG ends (%s), also with data appended after it', async (file) => {
    const jpeg = await readFile(fixturePath(file));
    expect(imageEnds(jpeg)).toBe(true);
    expect(imageEnds(Buffer.concat([jpeg, Buffer.from('trailer the agency appends')]))).toBe(true);
  });

  it.each(files)('the same JPEG cut anywhere in its image data does not (%s)', async (file) => {
    const jpeg = await readFile(fixturePath(file));
    expect(imageEnds(jpeg.subarray(0, jpeg.length - 2))).toBe(false);
    const imageData = scanJpegHeader(jpeg).headerEnd as number;
    expect(imageEnds(jpeg.subarray(0, imageData + Math.floor((jpeg.length - imageData) * 0.6)))).toBe(false);
  });

  it('streamed in any chunks, the watch agrees with the whole-file reading', async () => {
    const jpeg = await readFile(fixturePath(files[0] as string));
    fc.assert(
      fc.property(
        fc.array(fc.nat(jpeg.length), { maxLength: 12 }),
        fc.integer({ min: 0, max: 40 }),
        (cuts, trim) => {
          const bytes = jpeg.subarray(0, jpeg.length - trim);
          expect(watched(bytes, cuts)).toBe(imageEnds(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('PNG: its IEND chunk; other formats cannot tell', () => {
    const png = Buffer.concat([
      Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
      Buffer.alloc(20),
      Buffer.from('IEND', 'latin1'),
    ]);
    expect(imageEnds(png)).toBe(true);
    expect(imageEnds(png.subarray(0, png.length - 4))).toBe(false);
    expect(imageEnds(Buffer.from('RIFF0000WEBPVP8 ', 'latin1'))).toBeUndefined();
  });
});

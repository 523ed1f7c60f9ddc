import { readFile } from 'node:fs/promises';
import { fixturePath } from '@lightbox/test-infra';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dominantColour } from '../src/index.js';

describe('dominantColour', () => {
  it.each([
    'real/camera/canon-dslr.jpg',
    'real/iptc/iptc-mess.jpg',
    'real/wire/ap-bush-waco-2003.jpg',
    'real/camera/door-knocker.jpg',
  ])('is what sharp stats() says, without its cost (%s)', async (file) => {
    const { data, info } = await sharp(await readFile(fixturePath(file)))
      .resize(320, 320, { fit: 'inside' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { width: info.width, height: info.height, channels: info.channels as 3 };
    const expected = (await sharp(data, { raw }).stats()).dominant;
    expect(dominantColour(data, 3)).toEqual(expected);
    const rgba = await sharp(data, { raw }).ensureAlpha().raw().toBuffer();
    expect(dominantColour(rgba, 4)).toEqual(expected);
  });
});

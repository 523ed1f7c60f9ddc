import { readFileSync } from 'node:fs';
import { fixturePath } from '@lightbox/test-infra';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { differenceHashOf } from '../src/index.js';

function distance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < 16; i++) {
    let x = Number.parseInt(a[i] as string, 16) ^ Number.parseInt(b[i] as string, 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

const real = [
  'real/wire/ap-bush-waco-2003.jpg',
  'real/wire/reuters-neuss-2020.jpg',
  'real/camera/canon-dslr.jpg',
  'real/iptc/iptc-staff-photographer-example.jpg',
  'real/iptc/BonTonARTSTORplusIPTC.jpg',
].map((f) => readFileSync(fixturePath(f)));

describe('differenceHash', () => {
  it('is 16 hex digits and stable', async () => {
    const h = await differenceHashOf(real[0] as Buffer);
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(await differenceHashOf(real[0] as Buffer)).toBe(h);
  });

  it('stays close under resizing, recompression, brightness and a burst-like shift', async () => {
    for (const original of real) {
      const base = await differenceHashOf(original);
      const meta = await sharp(original).metadata();
      const w = meta.width as number;
      const h = meta.height as number;
      const variants = await Promise.all([
        sharp(original).resize(320).jpeg({ quality: 40 }).toBuffer(),
        sharp(original).modulate({ brightness: 1.1 }).jpeg({ quality: 85 }).toBuffer(),
        sharp(original)
          .extract({ left: Math.round(w * 0.02), top: 0, width: Math.round(w * 0.97), height: h })
          .toBuffer(),
        sharp(original).webp({ quality: 50 }).toBuffer(),
      ]);
      for (const v of variants) expect(distance(base, await differenceHashOf(v))).toBeLessThanOrEqual(12);
    }
  });

  it('keeps different real photos far apart', async () => {
    const hashes = await Promise.all(real.map((r) => differenceHashOf(r)));
    for (let i = 0; i < hashes.length; i++)
      for (let j = i + 1; j < hashes.length; j++)
        expect(distance(hashes[i] as string, hashes[j] as string)).toBeGreaterThan(16);
  });
});

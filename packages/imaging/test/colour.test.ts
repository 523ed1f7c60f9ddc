import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenditionSpec } from '@lightbox/contracts';
import { fixturePath, tempDir } from '@lightbox/test-infra';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { iccDescription, isSrgbProfile, renderPhoto } from '../src/index.js';
import { meanColour } from './helpers.js';

const MAX = 100_000_000;
const specs: RenditionSpec[] = [
  { name: 'j', longEdge: 256, format: 'jpeg', quality: 95, watermark: false },
  { name: 'w', longEdge: 256, format: 'webp', quality: 95, watermark: false },
];
const srgbColour = { r: 200, g: 90, b: 60 };

async function solid(convert: (img: Sharp) => Sharp): Promise<Buffer> {
  return convert(sharp({ create: { width: 256, height: 192, channels: 3, background: srgbColour } }))
    .jpeg({ quality: 98 })
    .toBuffer();
}

const close = (a: number[], b: number[], tolerance: number) =>
  a.every((v, i) => Math.abs(v - (b[i] as number)) <= tolerance);

describe('colour management', () => {
  it('reads profile descriptions (v2 and v4) from the real fixtures', async () => {
    const desc = async (rel: string) =>
      iccDescription((await sharp(await readFile(fixturePath(rel))).metadata()).icc);
    expect(await desc('real/iptc/BonTonARTSTORplusIPTC.jpg')).toBe('Adobe RGB (1998)');
    expect(await desc('real/wire/ap-bush-waco-2003.jpg')).toBe('sRGB IEC61966-2.1');
    expect(await desc('real/iptc/iptc-mess.jpg')).toBe('Display P3');
  });

  it('converts a Display P3 photo to sRGB: colours come back, not the P3 numbers', async () => {
    const p3 = await solid((img) => img.withIccProfile('p3'));
    const p3Numbers = await meanColour(await sharp(p3, { ignoreIcc: true }).jpeg().toBuffer());
    expect(close(p3Numbers, [200, 90, 60], 6)).toBe(false); // the file's numbers really are different
    const { renditions } = await renderPhoto(p3, { renditions: specs, maxInputPixels: MAX });
    for (const r of renditions) expect(close(await meanColour(r.data), [200, 90, 60], 4)).toBe(true);
  });

  it('converts CMYK JPEGs to sRGB through their profile', async () => {
    const cmyk = await solid((img) => img.withIccProfile('cmyk'));
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const { renditions } = await renderPhoto(cmyk, { renditions: specs, maxInputPixels: MAX });
    const meta = await sharp(renditions[0]?.data).metadata();
    expect([meta.space, meta.channels]).toEqual(['srgb', 3]);
    // The CMYK round trip itself shifts colours (gamut, rendering intent); compare to the ICC-correct reference.
    const reference = await meanColour(
      await sharp(cmyk).toColourspace('srgb').jpeg({ quality: 98 }).toBuffer(),
    );
    expect(close(await meanColour(renditions[0]?.data as Buffer), reference, 3)).toBe(true);
    expect(close(reference, [200, 90, 60], 30)).toBe(true);
  });

  it("converts Adobe RGB (1998), using the real fixture's own profile", async () => {
    const fixture = await readFile(fixturePath('real/iptc/BonTonARTSTORplusIPTC.jpg'));
    const dir = await tempDir();
    const profile = join(dir.path, 'AdobeRGB1998.icc');
    await writeFile(profile, (await sharp(fixture).metadata()).icc as Buffer);
    const adobe = await solid((img) => img.withIccProfile(profile));
    expect(iccDescription((await sharp(adobe).metadata()).icc)).toBe('Adobe RGB (1998)');
    const adobeNumbers = await meanColour(await sharp(adobe, { ignoreIcc: true }).jpeg().toBuffer());
    expect(close(adobeNumbers, [200, 90, 60], 6)).toBe(false);
    const { renditions } = await renderPhoto(adobe, { renditions: specs, maxInputPixels: MAX });
    for (const r of renditions) expect(close(await meanColour(r.data), [200, 90, 60], 4)).toBe(true);
    // And the fixture itself renders to sRGB.
    const real = await renderPhoto(fixture, { renditions: specs, maxInputPixels: MAX });
    expect(isSrgbProfile((await sharp(real.renditions[0]?.data).metadata()).icc)).toBe(true);
    await dir.remove();
  });

  it('leaves an embedded sRGB profile alone (the transform would be a no-op) and gets the same colours', async () => {
    const tagged = await solid((img) => img.withIccProfile('srgb'));
    const { renditions } = await renderPhoto(tagged, { renditions: specs, maxInputPixels: MAX });
    expect(close(await meanColour(renditions[0]?.data as Buffer), [200, 90, 60], 3)).toBe(true);
  });

  it('embeds a compact sRGB profile in every rendition', async () => {
    const { renditions } = await renderPhoto(await solid((img) => img), {
      renditions: specs,
      maxInputPixels: MAX,
    });
    for (const r of renditions) {
      const icc = (await sharp(r.data).metadata()).icc;
      expect(isSrgbProfile(icc)).toBe(true);
      expect(icc?.length).toBeLessThan(1024);
    }
  });
});

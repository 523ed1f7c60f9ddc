import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { compactSrgbProfile, spliceJpegMetadata } from '../src/index.js';

describe('spliceJpegMetadata', () => {
  it('adds ICC, XMP and IIM segments that readers understand, keeping the image intact', async () => {
    const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    const icc = await compactSrgbProfile();
    const out = spliceJpegMetadata(jpeg, {
      icc,
      xmp: '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>',
      iim: Buffer.from([0x1c, 2, 120, 0, 2, 0x68, 0x69]),
    });
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([40, 30]);
    expect(meta.icc?.equals(icc)).toBe(true);
    expect(meta.xmp?.toString()).toContain('xmpmeta');
    expect(meta.iptc?.length).toBeGreaterThan(0);
    expect(out.subarray(out.length - 2).equals(Buffer.from([0xff, 0xd9]))).toBe(true);
  });

  it('refuses non-JPEG input', () => {
    expect(() => spliceJpegMetadata(Buffer.from('GIF89a'), {})).toThrow(/not a JPEG/);
  });
});

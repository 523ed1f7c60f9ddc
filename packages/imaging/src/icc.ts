import sharp from 'sharp';

/** The profile's description text (ICC v2 `desc` or v4 `mluc`), or undefined when unreadable. */
export function iccDescription(profile: Buffer | undefined): string | undefined {
  if (!profile || profile.length < 132) return undefined;
  const count = profile.readUInt32BE(128);
  for (let i = 0; i < count && 132 + i * 12 + 12 <= profile.length; i++) {
    const at = 132 + i * 12;
    if (profile.toString('latin1', at, at + 4) !== 'desc') continue;
    const offset = profile.readUInt32BE(at + 4);
    const size = profile.readUInt32BE(at + 8);
    if (offset + size > profile.length || size < 12) return undefined;
    const type = profile.toString('latin1', offset, offset + 4);
    if (type === 'desc') {
      const length = profile.readUInt32BE(offset + 8);
      return profile
        .toString('latin1', offset + 12, offset + 12 + Math.max(0, length - 1))
        .replace(/\0+$/, '')
        .trim();
    }
    if (type === 'mluc') {
      const records = profile.readUInt32BE(offset + 8);
      if (records < 1) return undefined;
      const len = profile.readUInt32BE(offset + 20);
      const start = offset + profile.readUInt32BE(offset + 24);
      const utf16 = Buffer.from(profile.subarray(start, start + len));
      return utf16.swap16().toString('utf16le').replace(/\0+$/, '').trim();
    }
    return undefined;
  }
  return undefined;
}

/** True for sRGB profiles, whose transform to sRGB is a costly no-op. */
export function isSrgbProfile(profile: Buffer | undefined): boolean {
  if (!profile || profile.length < 20) return false;
  if (profile.toString('latin1', 16, 20) !== 'RGB ') return false;
  const desc = iccDescription(profile);
  return desc !== undefined && /\bsRGB\b/i.test(desc) && !/linear/i.test(desc);
}

let compactSrgb: Promise<Buffer> | undefined;

/** libvips' built-in compact sRGB profile (480 bytes), embedded in every rendition. */
export function compactSrgbProfile(): Promise<Buffer> {
  compactSrgb ??= sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .withIccProfile('srgb')
    .jpeg()
    .toBuffer()
    .then(async (jpeg) => {
      const icc = (await sharp(jpeg).metadata()).icc;
      if (!icc) throw new Error('sharp did not embed its sRGB profile');
      return icc;
    });
  return compactSrgb;
}

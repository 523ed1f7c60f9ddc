/**
 * Benchmark inputs: realistic camera-like JPEGs, generated once into bench/.cache/render-inputs.
 * 5568x3712 (20.7 MP) at q92 with natural detail (shapes, gradients and sensor-like noise; flat
 * colour decodes unrealistically fast), mixing 4:2:0 and 4:4:4, EXIF Orientation 6, an embedded
 * camera sRGB profile and Display P3. Plus two real camera frames from tests/fixtures.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturePath, REPO_ROOT } from '@lightbox/test-infra';
import sharp from 'sharp';

export const INPUT_DIR = join(REPO_ROOT, 'bench', '.cache', 'render-inputs');
const DEFAULT_WIDTH = 5568;
const DEFAULT_HEIGHT = 3712;

interface Variant {
  name: string;
  chroma: '4:2:0' | '4:4:4';
  orientation?: number;
  profile?: 'camera-srgb' | 'p3';
}

const VARIANTS: Variant[] = [
  { name: 'gen-420-plain', chroma: '4:2:0' },
  { name: 'gen-444-srgb', chroma: '4:4:4', profile: 'camera-srgb' },
  { name: 'gen-420-rot6', chroma: '4:2:0', orientation: 6 },
  { name: 'gen-420-p3', chroma: '4:2:0', profile: 'p3' },
  { name: 'gen-444-rot6-srgb', chroma: '4:4:4', orientation: 6, profile: 'camera-srgb' },
  { name: 'gen-420-srgb', chroma: '4:2:0', profile: 'camera-srgb' },
];

function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate(
  variant: Variant,
  seed: number,
  cameraSrgb: string,
  width = DEFAULT_WIDTH,
  height = DEFAULT_HEIGHT,
): Promise<Buffer> {
  const r = rng(seed);
  const shapes = Array.from({ length: 60 }, () => {
    const x = Math.round(r() * width);
    const y = Math.round(r() * height);
    const w = Math.round(100 + r() * 1400);
    const h = Math.round(100 + r() * 1000);
    const hue = Math.round(r() * 360);
    return r() < 0.5
      ? `<ellipse cx="${x}" cy="${y}" rx="${w / 2}" ry="${h / 2}" fill="hsl(${hue},${40 + r() * 50}%,${30 + r() * 40}%)" fill-opacity="${(0.4 + r() * 0.6).toFixed(2)}"/>`
      : `<rect x="${x}" y="${y}" width="${w}" height="${h}" transform="rotate(${Math.round(r() * 90)} ${x} ${y})" fill="hsl(${hue},${30 + r() * 60}%,${20 + r() * 60}%)" fill-opacity="${(0.5 + r() * 0.5).toFixed(2)}"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${Math.round(r() * 360)},50%,60%)"/><stop offset="1" stop-color="hsl(${Math.round(r() * 360)},50%,25%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`;
  // Shapes at half resolution, scaled up; full-resolution sensor-like noise gives the fine detail.
  const scene = await sharp(Buffer.from(svg), { density: 36 })
    .blur(3)
    .resize(width, height, { fit: 'fill' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const noise = Buffer.alloc(width * height * 3);
  let x = seed * 2654435761;
  for (let i = 0; i < noise.length; i += 4) {
    // xorshift32: four noise bytes per step, centred on 128 with a sensor-like spread.
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    noise.writeUInt32LE((((x >>> 0) & 0x7f7f7f7f) + 0x40404040) >>> 0, Math.min(i, noise.length - 4));
  }
  const composed = await sharp(scene.data, { raw: scene.info })
    .composite([{ input: noise, raw: { width: width, height: height, channels: 3 }, blend: 'soft-light' }])
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Rotated variants: the sensor stores the frame sideways and EXIF says how to show it.
  let img = sharp(composed.data, { raw: composed.info });
  if (variant.orientation === 6) {
    const turned = await img.rotate(-90).raw().toBuffer({ resolveWithObject: true });
    img = sharp(turned.data, { raw: turned.info });
  }
  if (variant.orientation) img = img.withMetadata({ orientation: variant.orientation });
  if (variant.profile === 'p3') img = img.withIccProfile('p3');
  else if (variant.profile === 'camera-srgb') img = img.withIccProfile(cameraSrgb);
  return img.jpeg({ quality: 92, chromaSubsampling: variant.chroma }).toBuffer();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The 3,144-byte "sRGB IEC61966-2.1" profile cameras embed, taken from the real AP fixture. */
async function ensureCameraSrgb(): Promise<string> {
  await mkdir(INPUT_DIR, { recursive: true });
  const cameraSrgb = join(INPUT_DIR, 'camera-sRGB.icc');
  if (!(await exists(cameraSrgb))) {
    const icc = (await sharp(await readFile(fixturePath('real/wire/ap-bush-waco-2003.jpg'))).metadata()).icc;
    if (!icc) throw new Error('the AP fixture lost its ICC profile');
    await writeFile(cameraSrgb, icc);
  }
  return cameraSrgb;
}

export const E2E_INPUT_DIR = join(REPO_ROOT, 'bench', '.cache', 'e2e-inputs');

/**
 * 24 MP (6000x4000) camera-like frames for the end-to-end benchmark, generated once: the render
 * variants at the size of a current full-frame sports body.
 */
export async function ensureE2eInputs(log: (line: string) => void, count = 4): Promise<string[]> {
  const cameraSrgb = await ensureCameraSrgb();
  await mkdir(E2E_INPUT_DIR, { recursive: true });
  const paths: string[] = [];
  for (const [i, v] of VARIANTS.slice(0, count).entries()) {
    const path = join(E2E_INPUT_DIR, `${v.name}-24mp.jpg`);
    if (!(await exists(path))) {
      log(`generating ${v.name} at 6000x4000 …`);
      await writeFile(path, await generate(v, 101 + i, cameraSrgb, 6000, 4000));
    }
    paths.push(path);
  }
  return paths;
}

/** Paths of every benchmark input, generating missing ones. */
export async function ensureInputs(log: (line: string) => void): Promise<string[]> {
  const cameraSrgb = await ensureCameraSrgb();
  for (const [i, v] of VARIANTS.entries()) {
    const path = join(INPUT_DIR, `${v.name}.jpg`);
    if (await exists(path)) continue;
    log(
      `generating ${v.name} (${DEFAULT_WIDTH}x${DEFAULT_HEIGHT}, ${v.chroma}${v.orientation ? `, orientation ${v.orientation}` : ''}${v.profile ? `, ${v.profile}` : ''}) …`,
    );
    await writeFile(path, await generate(v, 7 + i, cameraSrgb));
  }
  const generated = (await readdir(INPUT_DIR))
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => join(INPUT_DIR, f));
  return [
    ...generated.sort(),
    fixturePath('real/camera/canon-dslr.jpg'),
    fixturePath('real/iptc/iptc-mess.jpg'),
  ];
}

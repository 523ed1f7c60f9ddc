/**
 * The ImageMagick way of rendering (`convert`, or LIGHTBOX_BENCH_CONVERT): the same renditions and
 * watermark as Lightbox in one `convert` run per photo, single-threaded, profiles converted to sRGB.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isSrgbProfile, WATERMARK_FONT_FILE } from '@lightbox/imaging';
import sharp from 'sharp';

/** A job that renders one photo with `convert`, drawing `credit` as the watermark. */
export async function imagemagickJob(
  inputs: string[],
  srgbFile: string,
  credit: string,
): Promise<(path: string) => Promise<void>> {
  const convert = process.env.LIGHTBOX_BENCH_CONVERT ?? 'convert';
  const profiles = new Map<string, boolean>();
  for (const path of inputs) {
    const icc = (await sharp(path).metadata()).icc;
    profiles.set(path, icc !== undefined && !isSrgbProfile(icc));
  }
  return async (path) => {
    const out = await mkdtemp('/dev/shm/lb-bench-im-');
    const annotate = (width: number) => [
      '-font',
      WATERMARK_FONT_FILE,
      '-pointsize',
      String(Math.round(width * 0.018)),
      '-fill',
      'rgba(255,255,255,0.85)',
      '-gravity',
      'southeast',
      '-annotate',
      `+${Math.round(width * 0.015)}+${Math.round(width * 0.015)}`,
      credit,
    ];
    const args = [
      '-define',
      'jpeg:size=2048x2048',
      path,
      '-auto-orient',
      ...(profiles.get(path) ? ['-profile', srgbFile] : []),
      '-strip',
      '-resize',
      '2048x2048>',
      '-write',
      'mpr:base',
      '+delete',
      '(',
      'mpr:base',
      ...annotate(2048),
      '-quality',
      '82',
      '-write',
      join(out, 'large.jpg'),
      '+delete',
      ')',
      '(',
      'mpr:base',
      '-resize',
      '1024x1024>',
      ...annotate(1024),
      '-write',
      'mpr:medium',
      '+delete',
      ')',
      '(',
      'mpr:medium',
      '-quality',
      '80',
      '-write',
      join(out, 'medium.jpg'),
      '+delete',
      ')',
      '(',
      'mpr:medium',
      '-quality',
      '75',
      '-define',
      'webp:method=2',
      '-write',
      join(out, 'medium.webp'),
      '+delete',
      ')',
      'mpr:base',
      '-resize',
      '320x320>',
      '-quality',
      '70',
      join(out, 'thumb.jpg'),
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(convert, args, {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, MAGICK_THREAD_LIMIT: '1' },
      });
      let err = '';
      child.stderr?.on('data', (c: Buffer) => {
        err += c.toString();
      });
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`convert exited ${code}: ${err.slice(0, 500)}`)),
      );
    });
    await rm(out, { recursive: true, force: true });
  };
}

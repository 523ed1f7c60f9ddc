/**
 * Writes the small ExifTool fixtures listed in tests/fixtures/synthetic/cases.json (digital source
 * types, rights fields, expiry, graphic-content forms). Run after changing the cases:
 *   node --import tsx scripts/write-synthetic-fixtures.ts
 * Uses the ExifTool that exiftool-vendored ships (13.x knows the IPTC 2025.1 AI fields).
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const root = join(import.meta.dirname, '..', 'tests', 'fixtures', 'synthetic');
const exiftoolBin = join(
  dirname(createRequire(import.meta.url).resolve('exiftool-vendored.pl/package.json')),
  'bin',
  'exiftool',
);

interface ImageCase {
  file: string;
  tags: [tag: string, value: string][];
}
const { images } = JSON.parse(await readFile(join(root, 'cases.json'), 'utf8')) as { images: ImageCase[] };

// A small grey picture; every case starts from the same bytes.
const blank = await sharp({ create: { width: 48, height: 32, channels: 3, background: '#7a7f86' } })
  .jpeg({ quality: 70 })
  .toBuffer();

for (const c of images) {
  const path = join(root, c.file);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, blank);
  // Repeated tags build lists (two copyright owners); `Tag#` writes the raw value (PLUS codes).
  const seen = new Set<string>();
  const args = c.tags.map(([tag, value]) => {
    const op = seen.has(tag) ? '+=' : '=';
    seen.add(tag);
    return `-${tag}${op}${value}`;
  });
  await promisify(execFile)(exiftoolBin, [
    '-q',
    '-overwrite_original',
    '-charset',
    'iptc=UTF8',
    ...args,
    path,
  ]);
  console.log(`wrote ${c.file}`);
}

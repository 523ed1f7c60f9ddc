/**
 * Runs one way of rendering over the inputs and prints one JSON line:
 * { way, photos, seconds, pps, peakRssMb, cpuMsPerPhoto } (CPU: user + system of this process over
 * the timed photos; ImageMagick's is in its child processes and not counted).
 * Usage: way.ts <way> <photos> <concurrency> <inputs.json>
 * Each job reads its input from disk (page cache), so peak RSS counts no preloaded inputs.
 */
import { readFile } from 'node:fs/promises';
import type { PhotoMetadata } from '@lightbox/contracts';
import {
  configureSharp,
  DEFAULT_RENDITIONS,
  DEFAULT_SHARP_SETTINGS,
  renderOriginal,
  WATERMARK_FONT_FILE,
} from '@lightbox/imaging';
import { readPhotoMetadata } from '@lightbox/metadata';
import sharp from 'sharp';
import { createFloor } from './floor.js';
import { imagemagickJob } from './imagemagick-way.js';

export const BENCH_CREDIT = 'AP Photo/Natacha Pisarenko';
const BENCH_CAPTION =
  'Tom Cruise is lowered into the stadium during the 2024 Summer Olympics closing ceremony at the Stade de France, Sunday, Aug. 11, 2024, in Saint-Denis, France. (AP Photo/Natacha Pisarenko)';

type Job = (path: string) => Promise<unknown>;

async function makeJob(way: string, inputs: string[], srgbFile: string): Promise<Job> {
  switch (way) {
    case 'decode-only':
      return async (path) =>
        sharp(await readFile(path))
          .resize(2048, 2048, { fit: 'inside', withoutEnlargement: true })
          .raw()
          .toBuffer();
    case 'floor': {
      const floor = createFloor(BENCH_CREDIT, WATERMARK_FONT_FILE);
      return async (path) => floor(await readFile(path));
    }
    case 'naive':
      return naiveJob();
    case 'lightbox': {
      // The render stage's own code path (renderOriginal), with the photo's metadata read beforehand
      // as the ingest stage does. Photos without a credit get one, so every way draws a watermark.
      configureSharp(DEFAULT_SHARP_SETTINGS);
      const records = new Map<string, PhotoMetadata>();
      for (const path of inputs) {
        const { metadata } = await readPhotoMetadata(await readFile(path));
        records.set(path, {
          ...metadata,
          caption: metadata.caption ?? BENCH_CAPTION,
          creditLine: metadata.creditLine ?? BENCH_CREDIT,
          byline: metadata.byline ?? 'Natacha Pisarenko',
          credit: metadata.credit ?? 'AP',
        });
      }
      const settings = { renditions: DEFAULT_RENDITIONS, logos: new Map(), maxInputPixels: 100_000_000 };
      return async (path) =>
        renderOriginal(await readFile(path), { feed: 'bench', metadata: records.get(path) }, settings);
    }
    case 'imagemagick':
      return imagemagickJob(inputs, srgbFile, BENCH_CREDIT);
    default:
      throw new Error(`unknown way ${way}`);
  }
}

/** Four independent decodes of the original, one per output (what many scripts do). */
function naiveJob(): Job {
  const mark = async (width: number) =>
    sharp({
      text: {
        text: `<span foreground="#ffffff" fgalpha="85%">${BENCH_CREDIT}</span>`,
        font: `DejaVu Sans Bold ${Math.round(width * 0.018)}`,
        fontfile: WATERMARK_FONT_FILE,
        rgba: true,
        dpi: 72,
      },
    })
      .png()
      .toBuffer();
  const outputs = DEFAULT_RENDITIONS.map((r) => ({ ...r, edge: r.longEdge as number }));
  return async (path) => {
    const input = await readFile(path);
    return Promise.all(
      outputs.map(async (o) => {
        let img = sharp(input)
          .autoOrient()
          .resize(o.edge, o.edge, { fit: 'inside', withoutEnlargement: true });
        if (o.watermark) img = img.composite([{ input: await mark(o.edge), gravity: 'southeast' }]);
        return o.format === 'webp'
          ? img.webp({ quality: o.quality, effort: 4 }).toBuffer()
          : img.jpeg({ quality: o.quality }).toBuffer();
      }),
    );
  };
}

async function main() {
  const [way, photosArg, concurrencyArg, inputsFile] = process.argv.slice(2);
  if (!way || !photosArg || !concurrencyArg || !inputsFile)
    throw new Error('usage: way.ts <way> <photos> <concurrency> <inputs.json>');
  const { inputs, srgbFile } = JSON.parse(await readFile(inputsFile, 'utf8')) as {
    inputs: string[];
    srgbFile: string;
  };
  const photos = Number(photosArg);
  const concurrency = Number(concurrencyArg);
  const job = await makeJob(way, inputs, srgbFile);
  // Warm up: every input once (fonts, caches, JIT), not timed.
  for (const path of inputs) await job(path);
  let next = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < photos) {
        const i = next++;
        await job(inputs[i % inputs.length] as string);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({
      way,
      photos,
      seconds,
      pps: photos / seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      cpuMsPerPhoto: (used.user + used.system) / 1000 / photos,
    })}\n`,
  );
}

await main();

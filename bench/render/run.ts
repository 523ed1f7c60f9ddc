/**
 * `npm run bench:render`: render throughput of Lightbox against a floor, a naive way and
 * ImageMagick, measured in one run on 1 and 2 cores (taskset). Writes bench/results/render.json.
 * Options: --photos N (per way and core count, default 24), --cores 1,2
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '@lightbox/test-infra';
import sharp from 'sharp';
import { ensureInputs, INPUT_DIR } from './inputs.js';
import { runWay, type WayResult } from './run-way.js';

const WAYS = ['decode-only', 'floor', 'naive', 'lightbox', 'imagemagick'] as const;
type Way = (typeof WAYS)[number];

const say = (line: string) => process.stdout.write(`${line}\n`);

/** A real ImageMagick `convert` (not a stand-in), installing Debian's package when root and missing. */
function findImageMagick(): string | undefined {
  const works = (bin: string) => {
    const r = spawnSync(bin, ['-version'], { encoding: 'utf8' });
    return r.status === 0 && /Version: ImageMagick/.test(r.stdout);
  };
  for (const bin of ['/usr/bin/convert', 'magick', 'convert']) if (works(bin)) return bin;
  if (process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0) {
    say('ImageMagick is missing: installing Debian package imagemagick …');
    execFileSync('apt-get', ['install', '-y', '-qq', 'imagemagick'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (works('/usr/bin/convert')) return '/usr/bin/convert';
  }
  return undefined;
}

const fmt = (n: number | null | undefined, digits = 2) =>
  n === null || n === undefined ? '   –' : n.toFixed(digits);

async function main() {
  const { values } = parseArgs({ options: { photos: { type: 'string' }, cores: { type: 'string' } } });
  const photos = Number(values.photos ?? 24);
  const maxCores = availableParallelism();
  const coreCounts = (values.cores ?? (maxCores >= 2 ? '1,2' : '1'))
    .split(',')
    .map(Number)
    .filter((c) => c >= 1 && c <= maxCores);
  if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0)
    throw new Error('taskset (util-linux) is required to pin cores');

  const inputs = await ensureInputs(say);
  const described = await Promise.all(
    inputs.map(async (p) => {
      const m = await sharp(p).metadata();
      return `${p.split('/').pop()} ${m.width}x${m.height} ${m.chromaSubsampling}${m.orientation && m.orientation !== 1 ? ` orient=${m.orientation}` : ''}${m.icc ? ' icc' : ''}`;
    }),
  );
  say(`inputs (${inputs.length}):\n  ${described.join('\n  ')}`);
  const inputsFile = join(INPUT_DIR, 'inputs.json');
  await writeFile(inputsFile, JSON.stringify({ inputs, srgbFile: join(INPUT_DIR, 'camera-sRGB.icc') }));
  const convert = findImageMagick();
  if (!convert) say('ImageMagick not found and cannot be installed here: its column stays empty.');

  const runs: { cores: number; results: Partial<Record<Way, WayResult>> }[] = [];
  for (const cores of coreCounts) {
    const results: Partial<Record<Way, WayResult>> = {};
    for (const way of WAYS) {
      if (way === 'imagemagick' && !convert) continue;
      say(`… ${way} on ${cores} core(s)`);
      results[way] = await runWay(way, cores, photos, inputsFile, convert);
    }
    runs.push({ cores, results });
  }

  say('');
  say(
    `photos/s (${photos} photos per way, ${inputs.length} inputs, 2 in flight per core; sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips})`,
  );
  say(`cores  ${WAYS.map((w) => w.padStart(12)).join('')}   lightbox/floor  lightbox/imagemagick`);
  for (const { cores, results } of runs) {
    const lb = results.lightbox?.pps;
    say(
      `${String(cores).padStart(5)}  ${WAYS.map((w) => fmt(results[w]?.pps).padStart(12)).join('')}   ${fmt(lb && results.floor ? lb / results.floor.pps : null).padStart(14)}  ${fmt(lb && results.imagemagick ? lb / results.imagemagick.pps : null).padStart(20)}`,
    );
  }
  say('CPU ms per photo (ImageMagick: the node driver only)');
  for (const { cores, results } of runs) {
    say(
      `${String(cores).padStart(5)}  ${WAYS.map((w) => fmt(results[w]?.cpuMsPerPhoto, 0).padStart(12)).join('')}`,
    );
  }
  say('peak RSS MB (ImageMagick: the node driver only; convert runs in child processes)');
  for (const { cores, results } of runs) {
    say(
      `${String(cores).padStart(5)}  ${WAYS.map((w) => fmt(results[w]?.peakRssMb, 0).padStart(12)).join('')}`,
    );
  }

  const top = runs[runs.length - 1] as (typeof runs)[number];
  const r = top.results;
  const lightboxVsFloor = r.lightbox && r.floor ? r.lightbox.pps / r.floor.pps : null;
  const lightboxVsIm = r.lightbox && r.imagemagick ? r.lightbox.pps / r.imagemagick.pps : null;
  const rss = Math.max(...runs.map((x) => x.results.lightbox?.peakRssMb ?? 0));
  const cpuVsFloor = r.lightbox && r.floor ? r.lightbox.cpuMsPerPhoto / r.floor.cpuMsPerPhoto : null;
  const targets = {
    lightbox_vs_floor: {
      value: lightboxVsFloor,
      target: 0.9,
      met: lightboxVsFloor !== null && lightboxVsFloor >= 0.9,
    },
    lightbox_vs_imagemagick: {
      value: lightboxVsIm,
      target: 3,
      met: lightboxVsIm !== null && lightboxVsIm >= 3,
    },
    lightbox_cpu_vs_floor: {
      value: cpuVsFloor,
      target: 1.1,
      met: cpuVsFloor !== null && cpuVsFloor <= 1.1,
    },
    lightbox_peak_rss_mb: { value: rss, target: 400, met: rss <= 400 },
  };
  const result = {
    cores: top.cores,
    photos,
    inputs: inputs.length,
    decode_only_pps: r['decode-only']?.pps ?? null,
    floor_pps: r.floor?.pps ?? null,
    naive_pps: r.naive?.pps ?? null,
    lightbox_pps: r.lightbox?.pps ?? null,
    imagemagick_pps: r.imagemagick?.pps ?? null,
    lightbox_peak_rss_mb: rss,
    floor_cpu_ms_per_photo: r.floor?.cpuMsPerPhoto ?? null,
    lightbox_cpu_ms_per_photo: r.lightbox?.cpuMsPerPhoto ?? null,
    ratios: {
      lightbox_vs_floor: lightboxVsFloor,
      lightbox_cpu_vs_floor: cpuVsFloor,
      lightbox_vs_imagemagick: lightboxVsIm,
      floor_vs_naive: r.floor && r.naive ? r.floor.pps / r.naive.pps : null,
    },
    targets,
    runs: runs.map(({ cores, results }) => ({
      cores,
      ...Object.fromEntries(
        Object.entries(results).map(([k, v]) => [
          k,
          { pps: v.pps, seconds: v.seconds, peak_rss_mb: v.peakRssMb, cpu_ms_per_photo: v.cpuMsPerPhoto },
        ]),
      ),
    })),
    versions: { node: process.version, sharp: sharp.versions.sharp, vips: sharp.versions.vips },
    measured_at: new Date().toISOString(),
  };
  const outDir = join(REPO_ROOT, 'bench', 'results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'render.json'), `${JSON.stringify(result, null, 2)}\n`);
  say('');
  for (const [name, t] of Object.entries(targets)) {
    say(
      `${t.met ? 'MET   ' : 'MISSED'} ${name}: ${fmt(t.value)} (target ${name.endsWith('rss_mb') || name.includes('cpu') ? '≤' : '≥'} ${t.target})`,
    );
  }
  say(`wrote bench/results/render.json`);
}

await main();

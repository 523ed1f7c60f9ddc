/**
 * `npm run bench [-- --photos N --workers W]`: the whole pipeline on this machine, as production
 * runs it (redis-server, s3rver, API, hot-folder service and W worker processes, each its own
 * process), against the render floor measured in the same run. See docs/operations.md.
 *
 * 1. floor: bench/render's minimal sharp script on the same 24 MP inputs, on all cores.
 * 2. full speed: N photos for 10 stories over HTTP, 4 uploads in flight, as fast as the API takes
 *    them; throughput from the first upload to the last gallery publish (phases.ts).
 * 3. fixed rate: N more photos at 50% of that throughput; latency from upload to published.
 * 4. scaling: photos queued for render, then 1 and 2 render-only processes (one job each) drain them;
 *    their CPU per photo is the render stage's own, compared with the floor's (scaling.ts).
 *
 * CPU time per photo is read for every process (/proc) and set against the floor's in the same run,
 * so the gap shows by process. Writes bench/results/e2e.json and bench/results/e2e.svg (throughput
 * and latency over time; report.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PipelineQueues } from '@lightbox/queue';
import { REPO_ROOT } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { E2E_INPUT_DIR, ensureE2eInputs } from '../render/inputs.js';
import { runWay } from '../render/run-way.js';
import { startLocalStack } from '../support/local-stack.js';
import { fixedRate, fullSpeed, scalingRounds } from './phases.js';
import { processRss } from './readings.js';
import { writeReport } from './report.js';
import { peakRss } from './scaling.js';
import { at, CORES, fmt, PHOTOS, PREFIX, say, WORKERS } from './settings.js';
import { registerStories } from './uploads.js';

/** The floor on the same frames and all cores, two photos in flight per core. */
async function floorOf(inputs: string[]) {
  const inputsFile = join(E2E_INPUT_DIR, 'inputs.json');
  await writeFile(
    inputsFile,
    JSON.stringify({ inputs, srgbFile: join(REPO_ROOT, 'bench/.cache/render-inputs/camera-sRGB.icc') }),
  );
  const photos = Math.min(PHOTOS, 48);
  say(`${at()} floor: ${photos} photos on ${CORES} cores …`);
  const floor = await runWay('floor', CORES, photos, inputsFile, undefined);
  say(`${at()} floor: ${fmt(floor.pps)} photos/s, ${Math.round(floor.cpuMsPerPhoto)} CPU ms/photo`);
  return floor;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  say(`${at()} load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} (the machine must be quiet)`);
  const inputs = await ensureE2eInputs(say);
  const bases = await Promise.all(inputs.map((p) => readFile(p)));
  const meta = await sharp(bases[0]).metadata();
  say(
    `${at()} inputs: ${inputs.length} frames ${meta.width}x${meta.height} (${(((meta.width ?? 0) * (meta.height ?? 0)) / 1e6).toFixed(1)} MP, ~${Math.round(bases[0]?.length ?? 0) / 1e6} MB)`,
  );
  const floor = await floorOf(inputs);

  const stack = await startLocalStack({
    workers: WORKERS,
    env: { LIGHTBOX_REDIS_PREFIX: PREFIX, LOG_LEVEL: 'warn' },
  });
  const redis = new Redis(stack.redis.url);
  const queues = new PipelineQueues({ redisUrl: stack.redis.url, prefix: PREFIX });
  try {
    await registerStories(stack);
    const full = await fullSpeed(stack, redis, queues, bases, floor.cpuMsPerPhoto);
    say(`${at()} full speed: ${fmt(full.throughput / floor.pps)}× floor`);
    const fixed = await fixedRate(stack, redis, queues, bases, full.throughput);
    const scaling = await scalingRounds(stack, queues, bases);
    await writeReport({
      input: { width: meta.width, height: meta.height, frames: inputs.length },
      floor,
      full,
      fixed,
      scaling,
      rss: { ...peakRss, ...(await processRss(stack)) },
      loadAverage: { start: loadAtStart, end: loadavg() },
    });
  } catch (err) {
    for (const svc of [stack.api, stack.ingest, ...stack.workers])
      say(`--- ${svc.name} log (tail) ---\n${svc.log.slice(-3000)}`);
    throw err;
  } finally {
    redis.disconnect();
    await queues.close();
    await stack.stop();
  }
}

void (async () => {
  try {
    await main();
    process.exit(0);
  } catch (err) {
    console.error(err);
    process.exit(1);
  }
})();

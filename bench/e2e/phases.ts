/** The bench's measured phases on the running stack: full speed, fixed rate, render scaling. */
import { STAGES } from '@lightbox/contracts';
import type { PipelineQueues } from '@lightbox/queue';
import type { Redis } from 'ioredis';
import type { LocalStack } from '../support/local-stack.js';
import {
  cpuByProcess,
  latencyBreakdown,
  meanJobMs,
  processRss,
  s3Requests,
  total,
  waitPublished,
} from './readings.js';
import { recordFieldBytes, redisBreakdown } from './redis-bytes.js';
import { peakRss, renderScaling } from './scaling.js';
import {
  at,
  CORES,
  fmt,
  PHOTOS,
  PREFIX,
  SCALING_PHOTOS,
  SCALING_ROUNDS,
  say,
  sleep,
  UPLOADS_IN_FLIGHT,
  values,
  WORKERS,
} from './settings.js';
import { pushAll, type Sent } from './uploads.js';
import { BENCH_STORIES, percentile, planPhotos } from './wire-photos.js';

/** Manifest writes so far: the sum of every gallery's version (each write takes the next). */
async function manifestWrites(redis: Redis): Promise<number> {
  const keys = await redis.keys(`${PREFIX}:state:gallery-version:*`);
  const versions = keys.length > 0 ? await redis.mget(keys) : [];
  return versions.reduce((a, v) => a + Number(v ?? 0), 0);
}

/** Full speed: N photos as fast as the API takes them; throughput, CPU, S3 requests and Redis bytes per photo. */
export async function fullSpeed(
  stack: LocalStack,
  redis: Redis,
  queues: PipelineQueues,
  bases: Buffer[],
  floorCpuMs: number,
) {
  const services = [stack.api, stack.ingest, ...stack.workers];
  const memBefore = await redisBreakdown(redis);
  const s3Before = await s3Requests(services);
  const manifestsBefore = await manifestWrites(redis);
  const cpuBefore = await cpuByProcess(stack);
  say(
    `${at()} full speed: ${PHOTOS} photos for ${BENCH_STORIES.length} stories, ${WORKERS} worker processes …`,
  );
  const sent = await pushAll(stack, bases, planPhotos(PHOTOS, 0), { inFlight: UPLOADS_IN_FLIGHT });
  const accepted = ((sent.at(-1)?.acceptedAt ?? 0) - (sent[0]?.sentAt ?? 0)) / 1000;
  say(`${at()} uploaded ${sent.length} (${fmt(sent.length / accepted)}/s accepted)`);
  const published = await waitPublished(redis, sent, 15 * 60_000);
  const t0 = sent[0]?.sentAt as number;
  const times = sent.map((s) => published.get(s.photoId) as number).sort((a, b) => a - b);
  const throughput = sent.length / (((times.at(-1) as number) - t0) / 1000);
  // Steady state: the middle 80% of publishes, without the first photo's latency and the tail.
  const [i10, i90] = [Math.floor(times.length * 0.1), Math.floor(times.length * 0.9)];
  const steady = (i90 - i10) / (((times[i90] as number) - (times[i10] as number)) / 1000);
  say(`${at()} full speed: ${fmt(throughput)} photos/s end to end (steady ${fmt(steady)})`);

  const cpuAfter = await cpuByProcess(stack);
  const cpuPerPhoto = Object.fromEntries(
    Object.entries(cpuAfter).map(([k, v]) => [
      k,
      Math.round(((v - (cpuBefore[k] ?? 0)) / sent.length) * 1000),
    ]),
  );
  const jobMs = await meanJobMs(stack.workers);
  const pipelineCpu = Object.values(cpuPerPhoto).reduce((a, b) => a + b, 0);
  const pipelineCpuWithoutStore = pipelineCpu - (cpuPerPhoto.s3rver ?? 0);
  say(
    `${at()} CPU ms/photo by process: ${JSON.stringify(cpuPerPhoto)} = ${pipelineCpu} (${pipelineCpuWithoutStore} without s3rver) against the floor's ${Math.round(floorCpuMs)}; mean job ms: ${JSON.stringify(jobMs)}`,
  );
  // Let the last publishes, feeds and indexes settle, then count S3 requests and Redis bytes per photo.
  await settled(queues);
  const s3After = await s3Requests(services);
  const memAfter = await redisBreakdown(redis);
  const perPhoto = (v: number) => Math.round((v / sent.length) * 100) / 100;
  const s3PerPhoto = (total(s3After) - total(s3Before)) / sent.length;
  const s3ByCommand = Object.fromEntries(
    Object.entries(s3After).map(([k, v]) => [k, perPhoto(v - (s3Before[k] ?? 0))]),
  );
  const manifests = perPhoto((await manifestWrites(redis)) - manifestsBefore);
  const puts = s3ByCommand.PutObjectCommand ?? 0;
  // Per photo: the original and four renditions, the manifests, and what is left: feeds and the index.
  const s3WritesByKind = {
    originals_and_renditions: 5,
    manifests,
    feeds_and_index: perPhoto((puts - 5 - manifests) * sent.length),
  };
  const statePerPhoto = (memAfter.state - memBefore.state) / sent.length;
  const queuesPerPhoto = (memAfter.queues - memBefore.queues) / sent.length;
  const usedPerPhoto = (memAfter.used - memBefore.used) / sent.length;
  say(
    `${at()} S3 requests/photo ${fmt(s3PerPhoto, 1)} ${JSON.stringify(s3ByCommand)} (writes ${JSON.stringify(s3WritesByKind)}); Redis bytes/photo: state ${Math.round(statePerPhoto)}, job history ${Math.round(queuesPerPhoto)}, used_memory ${Math.round(usedPerPhoto)}`,
  );
  return {
    photos: sent.length,
    sent,
    throughput,
    steady,
    cpuPerPhoto,
    jobMs,
    pipelineCpu,
    pipelineCpuWithoutStore,
    s3PerPhoto,
    s3ByCommand,
    s3WritesByKind,
    memBefore,
    memAfter,
    statePerPhoto,
    queuesPerPhoto,
    usedPerPhoto,
    recordFields: await recordFieldBytes(
      redis,
      sent.map((f) => f.photoId),
    ),
  };
}
export type FullSpeed = Awaited<ReturnType<typeof fullSpeed>>;

/**
 * Waits until publish and index have nothing left to do: the feeds and index that follow the last
 * manifests at their refresh are written (and counted) too; 4 s at least, as before.
 */
async function settled(queues: PipelineQueues): Promise<void> {
  await sleep(4000);
  const deadline = Date.now() + 120_000;
  for (let calm = 0; calm < 2 && Date.now() < deadline; await sleep(500)) {
    const counts = await Promise.all(
      (['publish', 'index'] as const).map((q) =>
        queues.queue(q).getJobCounts('waiting', 'active', 'delayed'),
      ),
    );
    const busy = counts.some((c) => Object.values(c).some((n) => n > 0));
    calm = busy ? 0 : calm + 1;
  }
}

/** Fixed rate: N more photos at half the full-speed throughput; latency from upload to published. */
export async function fixedRate(
  stack: LocalStack,
  redis: Redis,
  queues: PipelineQueues,
  bases: Buffer[],
  throughput: number,
) {
  const rate = throughput / 2;
  say(`${at()} fixed rate: ${PHOTOS} photos at ${fmt(rate)}/s (50% of max) …`);
  const sent: Sent[] = await pushAll(stack, bases, planPhotos(PHOTOS, PHOTOS), {
    inFlight: UPLOADS_IN_FLIGHT,
    intervalMs: 1000 / rate,
  });
  const published = await waitPublished(redis, sent, 15 * 60_000);
  const sorted = (from: (s: Sent) => number) =>
    sent.map((s) => (published.get(s.photoId) as number) - from(s)).sort((a, b) => a - b);
  const latencies = sorted((s) => s.sentAt);
  const server = sorted((s) => s.acceptedAt);
  const [p50, p95, p99] = [50, 95, 99].map((q) => percentile(latencies, q)) as [number, number, number];
  say(`${at()} latency at 50% load: p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms`);
  const breakdown = await latencyBreakdown(queues, sent, published);
  say(
    `${at()} where the time went (p50/p95 ms): ${Object.entries(breakdown)
      .map(([k, v]) => `${k} ${v.p50}/${v.p95}`)
      .join(', ')}`,
  );
  return {
    rate,
    sent,
    published,
    p50,
    p95,
    p99,
    serverP50: percentile(server, 50),
    serverP95: percentile(server, 95),
    breakdown,
  };
}
export type FixedRate = Awaited<ReturnType<typeof fixedRate>>;

/** Render scaling across processes, in alternating rounds (1, 2, 1, 2 …): drift hits both sides alike. */
export async function scalingRounds(stack: LocalStack, queues: PipelineQueues, bases: Buffer[]) {
  const rounds: Awaited<ReturnType<typeof renderScaling>>[] = [];
  if (!values['skip-scaling'] && CORES >= 2) {
    // Only render-only processes may render now: the general workers stop serving render.
    Object.assign(peakRss, await processRss(stack));
    for (const w of [...stack.workers]) await stack.removeWorker(w);
    await stack.addWorker({ QUEUES: STAGES.filter((s) => s !== 'render').join(',') });
    let offset = 2 * PHOTOS;
    for (const n of Array.from({ length: SCALING_ROUNDS }, () => [1, 2]).flat()) {
      say(`${at()} scaling: ${SCALING_PHOTOS} photos through ${n} render process(es) …`);
      const warmUp = planPhotos(2 * n, offset);
      offset += warmUp.length;
      const r = await renderScaling(stack, queues, bases, warmUp, planPhotos(SCALING_PHOTOS, offset), n);
      offset += SCALING_PHOTOS;
      rounds.push(r);
      say(`${at()} scaling: ${n} → ${fmt(r.pps)} photos/s`);
    }
  }
  // Photos per second over all rounds of each side.
  const side = (n: number) => {
    const runs = rounds.filter((r) => r.processes === n);
    return runs.reduce((a, r) => a + r.photos, 0) / runs.reduce((a, r) => a + r.seconds, 0);
  };
  const photos = rounds.reduce((a, r) => a + r.photos, 0);
  return {
    rounds,
    ratio: rounds.length >= 2 ? side(2) / side(1) : null,
    // The render stage's own CPU per photo: render-only processes, every round.
    renderCpu: rounds.length > 0 ? rounds.reduce((a, r) => a + r.cpuMsPerPhoto * r.photos, 0) / photos : null,
  };
}
export type Scaling = Awaited<ReturnType<typeof scalingRounds>>;

/**
 * `npm run bench [-- --photos N --workers W]`: the whole pipeline on this machine, as production
 * runs it (redis-server, s3rver, API, hot-folder service and W worker processes, each its own
 * process), against the render floor measured in the same run. See docs/operations.md.
 *
 * 1. floor: bench/render's minimal sharp script on the same 24 MP inputs, on all cores.
 * 2. full speed: N photos for 10 stories over HTTP, 4 uploads in flight, as fast as the API takes
 *    them; throughput from the first upload to the last gallery publish.
 * 3. fixed rate: N more photos at 50% of that throughput; latency from upload to published.
 * 4. scaling: photos queued for render, then 1 and 2 render-only processes (one job each) drain them;
 *    their CPU per photo is the render stage's own, compared with the floor's.
 *
 * CPU time per photo is read for every process (/proc) and set against the floor's in the same run,
 * so the gap shows by process. Writes bench/results/e2e.json and bench/results/e2e.svg (throughput
 * and latency over time).
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { activityKeys } from '@lightbox/activity';
import { STAGES } from '@lightbox/contracts';
import { spliceJpegMetadata } from '@lightbox/imaging';
import { PipelineQueues } from '@lightbox/queue';
import { REPO_ROOT } from '@lightbox/test-infra';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { E2E_INPUT_DIR, ensureE2eInputs } from '../render/inputs.js';
import { runWay } from '../render/run-way.js';
import { type LocalStack, peakRssMb, type Service, startLocalStack } from '../support/local-stack.js';
import { renderChart } from './chart.js';
import { BENCH_STORIES, type PlannedPhoto, percentile, planPhotos, wireXmp } from './wire-photos.js';

const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '200' },
    workers: { type: 'string', default: String(availableParallelism()) },
    'scaling-photos': { type: 'string', default: '32' },
    'scaling-rounds': { type: 'string', default: '2' },
    'skip-scaling': { type: 'boolean', default: false },
  },
});
const PHOTOS = Math.max(10, Number(values.photos));
const WORKERS = Math.max(1, Number(values.workers));
const SCALING_PHOTOS = Math.max(4, Number(values['scaling-photos']));
const SCALING_ROUNDS = Math.max(1, Number(values['scaling-rounds']));
const CORES = availableParallelism();
const PREFIX = 'lightbox';
const UPLOADS_IN_FLIGHT = 4;
/** The issue's targets (docs/operations.md). */
const TARGETS = {
  throughputVsFloor: 0.8,
  p95Ms: 1000,
  s3RequestsPerPhoto: 8,
  redisStateBytesPerPhoto: 4096,
  peakRssMb: 400,
  renderScaling: 1.8,
  renderCpuVsFloor: 1.1,
};

const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
const at = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s`;

interface Sent {
  photo: PlannedPhoto;
  photoId: string;
  sentAt: number;
  acceptedAt: number;
}

/** One photo's bytes: a 24 MP base frame with its own wire XMP (so its own sha256 and identity). */
function photoBytes(base: Buffer, p: PlannedPhoto): Buffer {
  return spliceJpegMetadata(base, { xmp: wireXmp(p) });
}

/** Uploads sent again after the connection broke (counted in e2e.json). */
let uploadRetries = 0;

/**
 * Pushes like a wire feed: a connection that breaks (the API closing a kept-alive connection just
 * as an upload starts on it) is tried again, as feeds do; the same bytes are the same photo.
 */
async function push(stack: LocalStack, bytes: Buffer, filename: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let res: Response;
    try {
      res = await stack.pushPhoto(bytes, filename, 120_000);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof TypeError)) throw err;
      uploadRetries++;
      continue;
    }
    if (res.status !== 202 && res.status !== 200)
      throw new Error(`upload ${filename}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { photoId: string }).photoId;
  }
}

/** Publish times (ms) by photo id, from the latency samples the publish stage records. */
async function publishedAt(redis: Redis): Promise<Map<string, number>> {
  const raw = await redis.zrange(activityKeys(PREFIX).latency, 0, -1, 'WITHSCORES');
  const out = new Map<string, number>();
  for (let i = 0; i < raw.length; i += 2) {
    const member = raw[i] as string;
    out.set(member.slice(0, member.lastIndexOf(':')), Number(raw[i + 1]));
  }
  return out;
}

async function waitPublished(redis: Redis, sent: Sent[], timeoutMs: number): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const published = await publishedAt(redis);
    const missing = sent.filter((s) => !published.has(s.photoId));
    if (missing.length === 0) return published;
    if (Date.now() > deadline) {
      throw new Error(
        `${missing.length} photos not published within ${timeoutMs / 1000} s (e.g. ${missing[0]?.photoId})`,
      );
    }
    await sleep(100);
  }
}

/** S3 requests by command, summed over every process's /metrics. */
async function s3Requests(services: Service[]): Promise<Record<string, number>> {
  const byCommand: Record<string, number> = {};
  for (const svc of services) {
    const text = await (await fetch(svc.metricsUrl)).text();
    for (const line of text.split('\n')) {
      const m = line.match(/^lightbox_s3_requests_total\{.*command="(\w+)".*\} ([\d.e+-]+)$/);
      if (m) byCommand[m[1] as string] = (byCommand[m[1] as string] ?? 0) + Number(m[2]);
    }
  }
  return byCommand;
}

const total = (byCommand: Record<string, number>) => Object.values(byCommand).reduce((a, b) => a + b, 0);

/** Completed jobs of a stage by photo id (the last one for each photo). */
async function jobsByPhoto(queues: PipelineQueues, stage: 'render' | 'match') {
  const jobs = await queues.queue(stage).getJobs(['completed'], 0, -1);
  const out = new Map<string, (typeof jobs)[number]>();
  for (const job of jobs) {
    const id = (job.data as { photoId?: string }).photoId;
    if (id && job.processedOn && job.finishedOn) out.set(id, job);
  }
  return out;
}

/** Where each photo's time went: upload (intake included), then wait and run per stage (BullMQ's job timestamps), then publish. */
async function latencyBreakdown(
  queues: PipelineQueues,
  sent: Sent[],
  published: Map<string, number>,
): Promise<Record<string, { p50: number; p95: number }>> {
  const segments: Record<string, number[]> = {};
  const add = (name: string, ms: number | undefined) => {
    if (ms === undefined || !Number.isFinite(ms)) return;
    const list = segments[name] ?? [];
    list.push(ms);
    segments[name] = list;
  };
  const stages = { render: await jobsByPhoto(queues, 'render'), match: await jobsByPhoto(queues, 'match') };
  for (const s of sent) {
    add('upload', s.acceptedAt - s.sentAt);
    let previousEnd: number | undefined;
    for (const stage of ['render', 'match'] as const) {
      const job = stages[stage].get(s.photoId);
      if (!job?.processedOn || !job.finishedOn) continue;
      add(`${stage}_wait`, job.processedOn - Math.max(job.timestamp + (job.delay ?? 0), previousEnd ?? 0));
      add(`${stage}_run`, job.finishedOn - job.processedOn);
      previousEnd = job.finishedOn;
    }
    const at = published.get(s.photoId);
    if (at !== undefined && previousEnd !== undefined) add('publish', at - previousEnd);
  }
  return Object.fromEntries(
    Object.entries(segments).map(([k, v]) => {
      const sorted = [...v].sort((a, b) => a - b);
      return [k, { p50: percentile(sorted, 50), p95: percentile(sorted, 95) }];
    }),
  );
}

/** Bytes Redis holds for Lightbox's own state (photos, stories, indexes), apart from BullMQ's job history. */
async function redisBreakdown(redis: Redis): Promise<{
  state: number;
  queues: number;
  bounded: number;
  used: number;
  families: Record<string, number>;
}> {
  const queuePrefixes = STAGES.map((s) => `${PREFIX}:${s}:`);
  let state = 0;
  let queues = 0;
  /** Dashboard activity: capped lists and time-windowed samples, whatever the photo count. */
  let bounded = 0;
  const families: Record<string, number> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    const sizes = await Promise.all(keys.map((k) => redis.memory('USAGE', k, 'SAMPLES', 0)));
    keys.forEach((k, i) => {
      const bytes = Number(sizes[i] ?? 0);
      if (queuePrefixes.some((p) => k.startsWith(p))) queues += bytes;
      else if (k.startsWith(`${PREFIX}:activity:`)) bounded += bytes;
      else {
        state += bytes;
        // One family per kind of key: `state:photo:*`, `state:search-word:*`, `state:photos-by-received`…
        const name = k.slice(PREFIX.length + 1);
        const family = name.startsWith('state:')
          ? name.replace(/^(state:[a-z-]+):.+$/, '$1:*')
          : name.replace(/^([a-z-]+):.+$/, '$1:*');
        families[family] = (families[family] ?? 0) + bytes;
      }
    });
  } while (cursor !== '0');
  const info = await redis.info('memory');
  const used = Number(info.match(/used_memory:(\d+)/)?.[1] ?? 0);
  return { state, queues, bounded, used, families };
}

/** Mean bytes of each field of the photo records (field name + value), to see what is largest. */
async function recordFieldBytes(redis: Redis, photoIds: string[]): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const id of photoIds) {
    const hash = await redis.hgetall(`${PREFIX}:state:photo:${id}`);
    for (const [field, value] of Object.entries(hash))
      sums[field] = (sums[field] ?? 0) + Buffer.byteLength(field) + Buffer.byteLength(value);
  }
  return Object.fromEntries(
    Object.entries(sums)
      .map(([k, v]) => [k, Math.round(v / Math.max(1, photoIds.length))] as const)
      .sort((a, b) => b[1] - a[1]),
  );
}

/** CPU seconds (user + system) a process has used so far. */
async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** One reading per process of the stack (services, redis-server, s3rver), by name. */
async function perProcess(
  stack: LocalStack,
  read: (pid: number | undefined) => Promise<number>,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const svc of [stack.api, stack.ingest, ...stack.workers]) out[svc.name] = await read(svc.child?.pid);
  out['redis-server'] = await read(stack.redis.process.pid);
  out.s3rver = await read(stack.s3.process.pid);
  return out;
}

const cpuByProcess = (stack: LocalStack) => perProcess(stack, cpuSeconds);
const processRss = (stack: LocalStack) => perProcess(stack, peakRssMb);

/** Mean job time per stage (ms), from the workers' job-duration histograms. */
async function meanJobMs(services: Service[]): Promise<Record<string, number>> {
  const sum: Record<string, number> = {};
  const count: Record<string, number> = {};
  for (const svc of services) {
    const text = await (await fetch(svc.metricsUrl)).text();
    for (const line of text.split('\n')) {
      const m = line.match(
        /^lightbox_job_duration_seconds_(sum|count)\{.*stage="(\w+)".*outcome="completed".*\} ([\d.e+-]+)$/,
      );
      if (!m) continue;
      const target = m[1] === 'sum' ? sum : count;
      target[m[2] as string] = (target[m[2] as string] ?? 0) + Number(m[3]);
    }
  }
  return Object.fromEntries(
    Object.keys(count)
      .filter((k) => (count[k] ?? 0) > 0)
      .map((k) => [k, Math.round(((sum[k] ?? 0) / (count[k] as number)) * 1000)]),
  );
}

async function registerStories(stack: LocalStack): Promise<void> {
  for (const s of BENCH_STORIES) {
    const res = await stack.call('/v1/stories', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        slug: s.slug,
        headline: `${s.name} in ${s.city}`,
        keywords: s.keywords,
        event: {
          name: s.name,
          venue: s.venue,
          city: s.city,
          country: s.country,
          start: `${s.day}T08:00:00${s.offset}`,
          end: `${s.day}T23:30:00${s.offset}`,
        },
      }),
    });
    if (res.status !== 201) throw new Error(`story ${s.slug}: ${res.status} ${await res.text()}`);
  }
}

/** Pushes photos with `inFlight` uploads at once, each no earlier than its slot (`intervalMs` apart). */
async function pushAll(
  stack: LocalStack,
  bases: Buffer[],
  photos: PlannedPhoto[],
  options: { inFlight: number; intervalMs?: number },
): Promise<Sent[]> {
  const sent: Sent[] = [];
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.inFlight }, async () => {
      for (;;) {
        const i = next++;
        const p = photos[i];
        if (!p) return;
        if (options.intervalMs) await sleep(Math.max(0, t0 + i * options.intervalMs - Date.now()));
        const bytes = photoBytes(bases[p.index % bases.length] as Buffer, p);
        const sentAt = Date.now();
        const photoId = await push(stack, bytes, `${p.guid.split(':').pop()}.jpg`);
        sent.push({ photo: p, photoId, sentAt, acceptedAt: Date.now() });
      }
    }),
  );
  return sent.sort((a, b) => a.sentAt - b.sentAt);
}

/** Waits until `count` more render jobs than `before` have completed. */
async function rendered(queues: PipelineQueues, before: number, count: number): Promise<void> {
  while ((await queues.queue('render').getCompletedCount()) - before < count) await sleep(200);
}

/** Waits until `count` render jobs wait in the (paused) render queue. */
async function queuedForRender(queues: PipelineQueues, count: number): Promise<void> {
  for (;;) {
    const c = await queues.queue('render').getJobCounts('waiting', 'prioritized');
    if ((c.waiting ?? 0) + (c.prioritized ?? 0) >= count) return;
    await sleep(200);
  }
}

/**
 * Render throughput of `processes` render-only workers (one job each, one core each) over photos
 * queued before they start, and their CPU per photo: the render stage's own. Each process first
 * renders warm-up photos (libvips, fonts and JIT warm), as the floor renders every input once
 * before it is timed.
 */
async function renderScaling(
  stack: LocalStack,
  queues: PipelineQueues,
  bases: Buffer[],
  warmUp: PlannedPhoto[],
  photos: PlannedPhoto[],
  processes: number,
): Promise<{ processes: number; photos: number; seconds: number; pps: number; cpuMsPerPhoto: number }> {
  // Everything after render waits, so the render processes have the cores to themselves.
  await queues.queue('match').pause();
  await queues.queue('render').pause();
  const renderers: Service[] = [];
  for (let i = 0; i < processes; i++)
    renderers.push(
      await stack.addWorker({
        QUEUES: 'render',
        LIGHTBOX_RENDER_CONCURRENCY: '1',
        LIGHTBOX_SHARP_THREADS: '1',
      }),
    );
  for (const r of renderers)
    for (let tries = 0; ; tries++) {
      const up = await fetch(r.metricsUrl).then(
        (res) => res.ok,
        () => false,
      );
      if (up) break;
      if (tries > 300) throw new Error(`${r.name} did not start:\n${r.log}`);
      await sleep(100);
    }
  // One core per render process (taskset on every thread), as a render pod or a pinned process gets.
  renderers.forEach((r, core) => {
    execFileSync('taskset', ['-a', '-c', '-p', String(core % CORES), String(r.child?.pid)], {
      stdio: 'ignore',
    });
  });
  let before = await queues.queue('render').getCompletedCount();
  await pushAll(stack, bases, warmUp, { inFlight: UPLOADS_IN_FLIGHT });
  await queuedForRender(queues, warmUp.length);
  await queues.queue('render').resume();
  await rendered(queues, before, warmUp.length);
  // The measured photos: all queued before any is taken, so no process starts late.
  await queues.queue('render').pause();
  before = await queues.queue('render').getCompletedCount();
  const sent = await pushAll(stack, bases, photos, { inFlight: UPLOADS_IN_FLIGHT });
  await queuedForRender(queues, photos.length);
  const cpuStart = await Promise.all(renderers.map((r) => cpuSeconds(r.child?.pid)));
  await queues.queue('render').resume();
  await rendered(queues, before, photos.length);
  const cpuEnd = await Promise.all(renderers.map((r) => cpuSeconds(r.child?.pid)));
  const cpu = cpuEnd.reduce((a, v, i) => a + v - (cpuStart[i] ?? 0), 0);
  // From the first render job's start to the last one's end, by BullMQ's own timestamps.
  const jobsOf = await jobsByPhoto(queues, 'render');
  const jobs = sent.map((s) => jobsOf.get(s.photoId)).filter((j) => j?.processedOn && j.finishedOn);
  const first = Math.min(...jobs.map((j) => j?.processedOn as number));
  const last = Math.max(...jobs.map((j) => j?.finishedOn as number));
  for (const r of renderers)
    peakRss[`render-${processes}-${renderers.indexOf(r) + 1}`] = await peakRssMb(r.child?.pid);
  for (const r of renderers) await stack.removeWorker(r);
  await queues.queue('match').resume();
  const seconds = (last - first) / 1000;
  return {
    processes,
    photos: jobs.length,
    seconds,
    pps: jobs.length / seconds,
    cpuMsPerPhoto: (cpu / jobs.length) * 1000,
  };
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** Peak RSS of processes the run stops before its end (general workers, render-only workers). */
const peakRss: Record<string, number> = {};

async function main(): Promise<void> {
  const loadAtStart = loadavg();
  say(`${at()} load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} (the machine must be quiet)`);
  const inputs = await ensureE2eInputs(say);
  const bases = await Promise.all(inputs.map((p) => readFile(p)));
  const meta = await sharp(bases[0]).metadata();
  say(
    `${at()} inputs: ${inputs.length} frames ${meta.width}x${meta.height} (${(((meta.width ?? 0) * (meta.height ?? 0)) / 1e6).toFixed(1)} MP, ~${Math.round(bases[0]?.length ?? 0) / 1e6} MB)`,
  );

  // 1. The floor on the same frames and all cores, two photos in flight per core.
  const inputsFile = join(E2E_INPUT_DIR, 'inputs.json');
  await writeFile(
    inputsFile,
    JSON.stringify({ inputs, srgbFile: join(REPO_ROOT, 'bench/.cache/render-inputs/camera-sRGB.icc') }),
  );
  const floorPhotos = Math.min(PHOTOS, 48);
  say(`${at()} floor: ${floorPhotos} photos on ${CORES} cores …`);
  const floor = await runWay('floor', CORES, floorPhotos, inputsFile, undefined);
  say(`${at()} floor: ${fmt(floor.pps)} photos/s, ${Math.round(floor.cpuMsPerPhoto)} CPU ms/photo`);

  // 2. + 3. The stack: full speed, then 50% of it.
  const stack = await startLocalStack({
    workers: WORKERS,
    env: { LIGHTBOX_REDIS_PREFIX: PREFIX, LOG_LEVEL: 'warn' },
  });
  const redis = new Redis(stack.redis.url);
  const queues = new PipelineQueues({ redisUrl: stack.redis.url, prefix: PREFIX });
  try {
    await registerStories(stack);
    const memBefore = await redisBreakdown(redis);
    const s3Before = await s3Requests([stack.api, stack.ingest, ...stack.workers]);
    const cpuBefore = await cpuByProcess(stack);

    say(
      `${at()} full speed: ${PHOTOS} photos for ${BENCH_STORIES.length} stories, ${WORKERS} worker processes …`,
    );
    const fast = await pushAll(stack, bases, planPhotos(PHOTOS, 0), { inFlight: UPLOADS_IN_FLIGHT });
    say(
      `${at()} uploaded ${fast.length} (${fmt(fast.length / (((fast.at(-1)?.acceptedAt ?? 0) - (fast[0]?.sentAt ?? 0)) / 1000))}/s accepted)`,
    );
    let published = await waitPublished(redis, fast, 15 * 60_000);
    const t0 = fast[0]?.sentAt as number;
    const tEnd = Math.max(...fast.map((s) => published.get(s.photoId) as number));
    const throughput = fast.length / ((tEnd - t0) / 1000);
    // Steady state: the middle 80% of publishes, without the first photo's latency and the tail.
    const fastTimes = fast.map((s) => published.get(s.photoId) as number).sort((a, b) => a - b);
    const p10 = fastTimes[Math.floor(fastTimes.length * 0.1)] as number;
    const p90 = fastTimes[Math.floor(fastTimes.length * 0.9)] as number;
    const steady =
      (Math.floor(fastTimes.length * 0.9) - Math.floor(fastTimes.length * 0.1)) / ((p90 - p10) / 1000);
    say(
      `${at()} full speed: ${fmt(throughput)} photos/s end to end (steady ${fmt(steady)}), ${fmt(throughput / floor.pps)}× floor`,
    );

    const cpuAfter = await cpuByProcess(stack);
    const cpuPerPhoto = Object.fromEntries(
      Object.entries(cpuAfter).map(([k, v]) => [
        k,
        Math.round(((v - (cpuBefore[k] ?? 0)) / fast.length) * 1000),
      ]),
    );
    const jobMs = await meanJobMs(stack.workers);
    const pipelineCpu = Object.values(cpuPerPhoto).reduce((a, b) => a + b, 0);
    const pipelineCpuWithoutStore = pipelineCpu - (cpuPerPhoto.s3rver ?? 0);
    say(
      `${at()} CPU ms/photo by process: ${JSON.stringify(cpuPerPhoto)} = ${pipelineCpu} (${pipelineCpuWithoutStore} without s3rver) against the floor's ${Math.round(floor.cpuMsPerPhoto)}; mean job ms: ${JSON.stringify(jobMs)}`,
    );
    // Let the last publishes and indexes settle, then count S3 requests and Redis bytes per photo.
    await sleep(4000);
    const s3After = await s3Requests([stack.api, stack.ingest, ...stack.workers]);
    const memAfter = await redisBreakdown(redis);
    const s3PerPhoto = (total(s3After) - total(s3Before)) / fast.length;
    const s3ByCommand = Object.fromEntries(
      Object.entries(s3After).map(([k, v]) => [
        k,
        Math.round(((v - (s3Before[k] ?? 0)) / fast.length) * 100) / 100,
      ]),
    );
    const statePerPhoto = (memAfter.state - memBefore.state) / fast.length;
    const recordFields = await recordFieldBytes(
      redis,
      fast.map((f) => f.photoId),
    );
    const queuesPerPhoto = (memAfter.queues - memBefore.queues) / fast.length;
    const usedPerPhoto = (memAfter.used - memBefore.used) / fast.length;
    say(
      `${at()} S3 requests/photo ${fmt(s3PerPhoto, 1)} ${JSON.stringify(s3ByCommand)}; Redis bytes/photo: state ${Math.round(statePerPhoto)}, job history ${Math.round(queuesPerPhoto)}, used_memory ${Math.round(usedPerPhoto)}`,
    );

    const rate = throughput / 2;
    say(`${at()} fixed rate: ${PHOTOS} photos at ${fmt(rate)}/s (50% of max) …`);
    const paced = await pushAll(stack, bases, planPhotos(PHOTOS, PHOTOS), {
      inFlight: UPLOADS_IN_FLIGHT,
      intervalMs: 1000 / rate,
    });
    published = await waitPublished(redis, paced, 15 * 60_000);
    const latencies = paced.map((s) => (published.get(s.photoId) as number) - s.sentAt).sort((a, b) => a - b);
    const serverLatencies = paced
      .map((s) => (published.get(s.photoId) as number) - s.acceptedAt)
      .sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((q) => percentile(latencies, q)) as [number, number, number];
    say(`${at()} latency at 50% load: p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms`);
    const breakdown = await latencyBreakdown(queues, paced, published);
    say(
      `${at()} where the time went (p50/p95 ms): ${Object.entries(breakdown)
        .map(([k, v]) => `${k} ${v.p50}/${v.p95}`)
        .join(', ')}`,
    );

    // 4. Render scaling across processes.
    const scaling: Awaited<ReturnType<typeof renderScaling>>[] = [];
    if (!values['skip-scaling'] && CORES >= 2) {
      // Only render-only processes may render now: the general workers stop serving render.
      Object.assign(peakRss, await processRss(stack));
      for (const w of [...stack.workers]) await stack.removeWorker(w);
      await stack.addWorker({ QUEUES: STAGES.filter((s) => s !== 'render').join(',') });
      let offset = 2 * PHOTOS;
      // Alternating rounds (1, 2, 1, 2 …): drift in the machine's speed hits both sides alike.
      for (const n of Array.from({ length: SCALING_ROUNDS }, () => [1, 2]).flat()) {
        say(`${at()} scaling: ${SCALING_PHOTOS} photos through ${n} render process(es) …`);
        const warmUp = planPhotos(2 * n, offset);
        offset += warmUp.length;
        const r = await renderScaling(stack, queues, bases, warmUp, planPhotos(SCALING_PHOTOS, offset), n);
        offset += SCALING_PHOTOS;
        scaling.push(r);
        say(`${at()} scaling: ${n} → ${fmt(r.pps)} photos/s`);
      }
    }
    // Photos per second over all rounds of each side.
    const side = (n: number) => {
      const runs = scaling.filter((r) => r.processes === n);
      return runs.reduce((a, r) => a + r.photos, 0) / runs.reduce((a, r) => a + r.seconds, 0);
    };
    const scalingRatio = scaling.length >= 2 ? side(2) / side(1) : null;
    // The render stage's own CPU per photo: render-only processes, every round.
    const renderCpu =
      scaling.length > 0
        ? scaling.reduce((a, r) => a + r.cpuMsPerPhoto * r.photos, 0) /
          scaling.reduce((a, r) => a + r.photos, 0)
        : null;
    const renderCpuVsFloor = renderCpu === null ? null : renderCpu / floor.cpuMsPerPhoto;

    const rss = { ...peakRss, ...(await processRss(stack)) };
    const peak = Math.max(...Object.values(rss));
    const loadAtEnd = loadavg();
    const targets = {
      throughput_vs_floor: {
        value: throughput / floor.pps,
        target: TARGETS.throughputVsFloor,
        met: throughput / floor.pps >= TARGETS.throughputVsFloor,
      },
      p95_ms_at_half_load: { value: p95, target: TARGETS.p95Ms, met: p95 <= TARGETS.p95Ms },
      s3_requests_per_photo: {
        value: s3PerPhoto,
        target: TARGETS.s3RequestsPerPhoto,
        met: s3PerPhoto <= TARGETS.s3RequestsPerPhoto,
      },
      redis_state_bytes_per_photo: {
        value: statePerPhoto,
        target: TARGETS.redisStateBytesPerPhoto,
        met: statePerPhoto <= TARGETS.redisStateBytesPerPhoto,
      },
      peak_rss_mb_every_process: { value: peak, target: TARGETS.peakRssMb, met: peak <= TARGETS.peakRssMb },
      render_scaling_2_vs_1: {
        value: scalingRatio,
        target: TARGETS.renderScaling,
        met: scalingRatio !== null && scalingRatio >= TARGETS.renderScaling,
      },
      render_stage_cpu_vs_floor: {
        value: renderCpuVsFloor,
        target: TARGETS.renderCpuVsFloor,
        met: renderCpuVsFloor !== null && renderCpuVsFloor <= TARGETS.renderCpuVsFloor,
      },
    };
    const result = {
      photos: PHOTOS,
      stories: BENCH_STORIES.length,
      cores: CORES,
      worker_processes: WORKERS,
      input: { width: meta.width, height: meta.height, frames: inputs.length },
      throughput_pps: throughput,
      steady_throughput_pps: steady,
      floor_pps: floor.pps,
      throughput_vs_floor: throughput / floor.pps,
      fixed_rate_pps: rate,
      p50_ms: p50,
      p95_ms: p95,
      p99_ms: p99,
      server_p50_ms: percentile(serverLatencies, 50),
      server_p95_ms: percentile(serverLatencies, 95),
      peak_rss_mb: peak,
      peak_rss_mb_by_process: rss,
      floor_peak_rss_mb: floor.peakRssMb,
      floor_cpu_ms_per_photo: Math.round(floor.cpuMsPerPhoto),
      s3_requests_per_photo: s3PerPhoto,
      s3_requests_per_photo_by_command: s3ByCommand,
      latency_breakdown_ms: breakdown,
      redis_bytes_per_photo: statePerPhoto,
      redis_job_history_bytes_per_photo: queuesPerPhoto,
      redis_activity_bytes_total: memAfter.bounded,
      redis_used_memory_per_photo: usedPerPhoto,
      redis_photo_record_bytes_by_field: recordFields,
      redis_state_bytes_per_photo_by_key: Object.fromEntries(
        Object.entries(memAfter.families)
          .map(([k, v]) => [k, Math.round((v - (memBefore.families[k] ?? 0)) / fast.length)] as const)
          .filter(([, v]) => v !== 0)
          .sort((a, b) => b[1] - a[1]),
      ),
      cpu_ms_per_photo_by_process: cpuPerPhoto,
      cpu_vs_floor_by_process: Object.fromEntries(
        Object.entries(cpuPerPhoto).map(([k, v]) => [k, Math.round((v / floor.cpuMsPerPhoto) * 100) / 100]),
      ),
      pipeline_cpu_ms_per_photo: pipelineCpu,
      pipeline_cpu_ms_per_photo_without_object_store: pipelineCpuWithoutStore,
      pipeline_cpu_vs_floor: pipelineCpu / floor.cpuMsPerPhoto,
      pipeline_cpu_vs_floor_without_object_store: pipelineCpuWithoutStore / floor.cpuMsPerPhoto,
      render_stage_cpu_ms_per_photo: renderCpu === null ? null : Math.round(renderCpu),
      render_stage_cpu_vs_floor: renderCpuVsFloor,
      mean_job_ms_full_speed: jobMs,
      render_scaling: scaling,
      render_scaling_ratio: scalingRatio,
      targets,
      versions: { node: process.version, sharp: sharp.versions.sharp, vips: sharp.versions.vips },
      upload_retries: uploadRetries,
      load_average: { start: loadAtStart, end: loadAtEnd },
      measured_at: new Date().toISOString(),
    };
    const outDir = join(REPO_ROOT, 'bench', 'results');
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, 'e2e.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(
      join(outDir, 'e2e.svg'),
      renderChart({
        floorPps: floor.pps,
        latencyTargetMs: TARGETS.p95Ms,
        phases: [
          { name: 'full speed', sent: fast, published },
          { name: `fixed rate ${fmt(rate)}/s`, sent: paced, published },
        ],
      }),
    );
    say('');
    for (const [name, t] of Object.entries(targets)) {
      const v = t.value === null ? '–' : fmt(t.value);
      const op = name.startsWith('throughput') || name === 'render_scaling_2_vs_1' ? '≥' : '≤';
      say(`${t.met ? 'MET   ' : 'MISSED'} ${name}: ${v} (target ${op} ${t.target})`);
    }
    say(
      `peak RSS MB: ${Object.entries(rss)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    say('wrote bench/results/e2e.json and bench/results/e2e.svg');
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

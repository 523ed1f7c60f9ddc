/** Render scaling: 1 against 2 render-only processes, each pinned to a core, over queued photos. */
import { execFileSync } from 'node:child_process';
import type { PipelineQueues } from '@lightbox/queue';
import { type LocalStack, peakRssMb, type Service } from '../support/local-stack.js';
import { cpuSeconds, jobsByPhoto } from './readings.js';
import { CORES, sleep, UPLOADS_IN_FLIGHT } from './settings.js';
import { pushAll } from './uploads.js';
import type { PlannedPhoto } from './wire-photos.js';

/** Peak RSS of processes the run stops before its end (general workers, render-only workers). */
export const peakRss: Record<string, number> = {};

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
export async function renderScaling(
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

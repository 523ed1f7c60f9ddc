/** What the bench reads from the running stack: publish times, S3 requests, CPU, RSS, job times. */
import { readFile } from 'node:fs/promises';
import { activityKeys, parseLatencySample } from '@lightbox/activity';
import type { PipelineQueues } from '@lightbox/queue';
import type { Redis } from 'ioredis';
import { type LocalStack, peakRssMb, type Service } from '../support/local-stack.js';
import { PREFIX, sleep } from './settings.js';
import type { Sent } from './uploads.js';
import { percentile } from './wire-photos.js';

/** Publish times (ms) by photo id, from the latency samples the publish stage records. */
export async function publishedAt(redis: Redis): Promise<Map<string, number>> {
  const raw = await redis.zrange(activityKeys(PREFIX).latency, 0, -1, 'WITHSCORES');
  const out = new Map<string, number>();
  for (let i = 0; i < raw.length; i += 2) {
    // The sample's format is the activity package's (it grew a field with issue 16).
    out.set(parseLatencySample(raw[i] as string).photoId, Number(raw[i + 1]));
  }
  return out;
}

export async function waitPublished(
  redis: Redis,
  sent: Sent[],
  timeoutMs: number,
): Promise<Map<string, number>> {
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
export async function s3Requests(services: Service[]): Promise<Record<string, number>> {
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

export const total = (byCommand: Record<string, number>) =>
  Object.values(byCommand).reduce((a, b) => a + b, 0);

/** Completed jobs of a stage by photo id (the last one for each photo). */
export async function jobsByPhoto(queues: PipelineQueues, stage: 'render' | 'match') {
  const jobs = await queues.queue(stage).getJobs(['completed'], 0, -1);
  const out = new Map<string, (typeof jobs)[number]>();
  for (const job of jobs) {
    const id = (job.data as { photoId?: string }).photoId;
    if (id && job.processedOn && job.finishedOn) out.set(id, job);
  }
  return out;
}

/** Where each photo's time went: upload (intake included), then wait and run per stage (BullMQ's job timestamps), then publish. */
export async function latencyBreakdown(
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

/** CPU seconds (user + system) a process has used so far. */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (!pid) return 0;
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

/** One reading per process of the stack (services, redis-server, s3rver), by name. */
export async function perProcess(
  stack: LocalStack,
  read: (pid: number | undefined) => Promise<number>,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const svc of [stack.api, stack.ingest, ...stack.workers]) out[svc.name] = await read(svc.child?.pid);
  out['redis-server'] = await read(stack.redis.process.pid);
  out.s3rver = await read(stack.s3.process.pid);
  return out;
}

export const cpuByProcess = (stack: LocalStack) => perProcess(stack, cpuSeconds);
export const processRss = (stack: LocalStack) => perProcess(stack, peakRssMb);

/** Mean job time per stage (ms), from the workers' job-duration histograms. */
export async function meanJobMs(services: Service[]): Promise<Record<string, number>> {
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

import { jobPayloadSchemas, STAGES, type StageName } from './queues.js';

/**
 * THE PIPELINE, in one table: every stage (one BullMQ queue each) with what its jobs carry, what
 * it may queue next, its default job options and how many jobs a worker runs at once. Queues
 * (`PipelineQueues`), workers (`startStageWorkers`, services/worker's stage bindings), per-stage
 * concurrency (config) and "what comes next" (`LifecycleWork`) are all read from here.
 *
 * A photo's way: intake ─▶ render ─▶ match ─▶ publish ─▶ index (+ webhook). A status change (an
 * editor, a kill, an embargo's end) enters it through the lifecycle (`LifecycleWork`), which queues
 * the stage it names; a stage that finishes a photo's step queues the table's `next` through the
 * same class (`LifecycleWork.advance`).
 */

const SECOND = 1000;
const HOUR = 3600;
const DAY = 24 * HOUR;

/** The default BullMQ job options of a stage (plain data: retries and retention). */
export interface StageJobDefaults {
  attempts: number;
  backoff: { type: 'exponential'; delay: number; jitter: number };
  /** Finished jobs Redis keeps: up to `age` seconds and `count` jobs. */
  removeOnComplete: { age: number; count: number };
  removeOnFail: { age: number; count: number };
}

/**
 * How many jobs of a stage one worker process runs at once: `cpu` (LIGHTBOX_RENDER_CONCURRENCY),
 * `io` (waits on Redis and S3: LIGHTBOX_IO_CONCURRENCY), or `one` (story-wide work, one at a time).
 * `LIGHTBOX_STAGE_CONCURRENCY=match=16` overrides single stages.
 */
export type ConcurrencyClass = 'cpu' | 'io' | 'one';

export interface StageSpec<S extends StageName> {
  /** What the stage does, in a line. */
  does: string;
  /** What a job carries (ids, never bytes); validated on add and on run. */
  payload: (typeof jobPayloadSchemas)[S];
  /**
   * What comes next in the flow when a job of this stage has done its step: for a photo's stages,
   * queued by `LifecycleWork.advance`; for the others, by the stage through the class named.
   */
  next: readonly StageName[];
  /** Other stages its jobs may queue: work a status change sets off through the lifecycle, schedulers. */
  alsoQueues?: readonly StageName[];
  /** Default job options; a job adds its own (id, delay, priority) over them. */
  options: StageJobDefaults;
  concurrency: ConcurrencyClass;
  /** Delayed jobs here are timers (a story's close, an embargo), not work waiting to be done. */
  timer?: boolean;
}

/** Exponential backoff with jitter; `completedAge` seconds of finished jobs kept (failed: 7 days). */
function retry(
  attempts: number,
  delayMs: number,
  completedAge: number,
  { jitter = 0.5, completed = 1000, failed = 10_000 } = {},
): StageJobDefaults {
  return {
    attempts,
    backoff: { type: 'exponential', delay: delayMs, jitter },
    removeOnComplete: { age: completedAge, count: completed },
    removeOnFail: { age: 7 * DAY, count: failed },
  };
}

/**
 * Retry budgets ride out an outage of Redis or object storage of several minutes: ingest, match and
 * publish retry for about 8 minutes, render for about 4; then the job is a dead letter.
 */
export const PIPELINE: { readonly [S in StageName]: StageSpec<S> } = {
  ingest: {
    does: 'drains jobs queued by releases before render became the first step; hands each photo to render',
    payload: jobPayloadSchemas.ingest,
    next: ['render'],
    options: retry(10, SECOND, HOUR),
    concurrency: 'io',
  },
  render: {
    does: 'reads the original once: header check, every rendition, placeholder, perceptual hash',
    payload: jobPayloadSchemas.render,
    next: ['match'],
    /** A photo the header check rejects leaves public view (a withdrawal, through the lifecycle). */
    alsoQueues: ['takedown'],
    options: retry(8, 2 * SECOND, HOUR),
    concurrency: 'cpu',
  },
  match: {
    does: "decides the photo's story (matched / review / unmatched) and republishes through the lifecycle",
    payload: jobPayloadSchemas.match,
    next: ['publish'],
    options: retry(10, SECOND, HOUR),
    concurrency: 'io',
  },
  publish: {
    does: "rebuilds a story's gallery from state and writes it; files it in the index; tells subscribers",
    payload: jobPayloadSchemas.publish,
    next: ['index', 'webhook'],
    options: retry(10, SECOND, HOUR),
    concurrency: 'io',
  },
  takedown: {
    does: 'takes a photo out of public view: renditions deleted, galleries and index republished, then told',
    payload: jobPayloadSchemas.takedown,
    next: ['publish', 'index', 'webhook'],
    /** A kill is a legal order: its take-down keeps trying through long outages (~9 h). */
    options: retry(15, SECOND, DAY),
    concurrency: 'io',
  },
  release: {
    does: "timers: an embargo's end (back into the pipeline), the licence-expiry sweep, the feed health check",
    payload: jobPayloadSchemas.release,
    next: [],
    /** An embargo's end resumes the photo where it stopped; an expiry takes it down; a feed incident is told. */
    alsoQueues: ['render', 'match', 'publish', 'takedown', 'webhook'],
    options: retry(10, SECOND, DAY),
    concurrency: 'io',
    timer: true,
  },
  backfill: {
    does: 'a story was added or edited: photos waiting in its window are matched again',
    payload: jobPayloadSchemas.backfill,
    next: ['match'],
    options: retry(6, SECOND, HOUR),
    concurrency: 'one',
  },
  index: {
    does: 'rewrites galleries/index.json and the all-galleries feeds',
    payload: jobPayloadSchemas.index,
    next: [],
    options: retry(10, 500, HOUR, { completed: 100, failed: 1000 }),
    concurrency: 'one',
  },
  close: {
    does: "a story's end + grace passed: it closes, its gallery final",
    payload: jobPayloadSchemas.close,
    next: ['publish'],
    /** Closing is a story change: its waiting photos are matched again; its archive timer is set. */
    alsoQueues: ['backfill', 'archive'],
    options: retry(6, 5 * SECOND, DAY),
    concurrency: 'one',
    timer: true,
  },
  webhook: {
    does: 'one signed POST to one subscriber',
    payload: jobPayloadSchemas.webhook,
    next: [],
    /** A subscriber may be down for hours: 12 attempts from 5 s apart to about 3 h apart (~6 h in all). */
    options: retry(12, 5 * SECOND, DAY, { jitter: 0.3 }),
    concurrency: 'io',
  },
  archive: {
    does: 'closed stories and unclaimed photos to S3 and out of Redis; the reconcile of Redis with S3',
    payload: jobPayloadSchemas.archive,
    next: [],
    /** The reconcile queues again whatever lost its job (packages/recovery). */
    alsoQueues: ['render', 'match', 'release', 'takedown', 'publish', 'index'],
    /** Moving state to S3 (archive, retention sweep): S3 may be away for a while. */
    options: retry(10, 10 * SECOND, DAY),
    concurrency: 'one',
    timer: true,
  },
};

/** The table's stages in flow order (the order of `STAGES`). */
export const PIPELINE_STAGES: readonly StageName[] = STAGES;

/** What comes next after a job of `stage` has done its step. */
export function nextStages(stage: StageName): readonly StageName[] {
  return PIPELINE[stage].next;
}

/** Every stage a job of `stage` may queue (its next steps and the rest). */
export function stagesQueuedBy(stage: StageName): readonly StageName[] {
  return [...PIPELINE[stage].next, ...(PIPELINE[stage].alsoQueues ?? [])];
}

/** Jobs per worker process for each stage, from each stage's class and the numbers for them. */
export function concurrencyByClass(per: Record<ConcurrencyClass, number>): Record<StageName, number> {
  return Object.fromEntries(STAGES.map((s) => [s, per[PIPELINE[s].concurrency]])) as Record<
    StageName,
    number
  >;
}

/** Stages whose delayed jobs are timers (a story's auto-close and archive, an embargo), not work waiting. */
export const TIMER_STAGES: readonly StageName[] = STAGES.filter((s) => PIPELINE[s].timer === true);

/** True when a stage's counts show no pending work (waiting, active, or delayed unless a timer). */
export function stageIsIdle(q: { name: string; waiting: number; active: number; delayed: number }): boolean {
  const timer = (TIMER_STAGES as readonly string[]).includes(q.name);
  return q.waiting === 0 && q.active === 0 && (timer || q.delayed === 0);
}

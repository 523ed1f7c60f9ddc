import { type IntakePriority, PIPELINE, STAGES, type StageName } from '@lightbox/contracts';
import type { JobsOptions } from 'bullmq';

/**
 * Default job options per stage, from the pipeline table (contracts' `PIPELINE`): bounded attempts
 * with exponential backoff and jitter, and retention limits so Redis holds a bounded history.
 */
export const STAGE_JOB_OPTIONS: Readonly<Record<StageName, JobsOptions>> = Object.fromEntries(
  STAGES.map((stage) => [stage, PIPELINE[stage].options]),
) as Record<StageName, JobsOptions>;

/** A job's options: the stage's defaults from the table, then the job's own (id, delay, priority…). */
export function jobOptions(stage: StageName, own: JobsOptions = {}): JobsOptions {
  return { ...STAGE_JOB_OPTIONS[stage], ...own };
}

/**
 * Fresh first: the BullMQ priority of bulk work (imports, re-matches, restores). A job without a
 * priority sits in the queue's wait list, which BullMQ always empties before it takes a job from
 * the prioritized set, so a live wire photo's job runs as soon as a worker slot frees, however
 * much bulk work waits. One queue per stage (not a bulk queue beside it) keeps one worker pool,
 * one set of KEDA scalers (`lightbox_queue_jobs{state="waiting"}` counts prioritized jobs too) and
 * lets bulk work use every slot live work leaves free. docs/operations.md, Fresh first.
 */
export const BULK_PRIORITY = 100;

/** The job options a photo's priority asks for: bulk work waits behind live work; live has none. */
export function priorityOptions(priority: IntakePriority | undefined): JobsOptions {
  return priority === 'bulk' ? { priority: BULK_PRIORITY } : {};
}

import type { IntakePriority, StageName } from '@lightbox/contracts';
import type { JobsOptions } from 'bullmq';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Default job options per stage: bounded attempts with exponential backoff and jitter, and
 * retention limits so Redis holds a bounded history (completed: 1 h / 1,000 jobs; failed: 7 days).
 * Budgets are sized to ride out an outage of Redis or object storage of several minutes: ingest,
 * match and publish retry for about 8 minutes, render for about 4; then the job is a dead letter.
 */
/** Exponential backoff with jitter. */
const retry = (attempts: number, delay: number, jitter = 0.5): JobsOptions => ({
  attempts,
  backoff: { type: 'exponential', delay, jitter },
});

/** How long and how many finished jobs Redis keeps (seconds, counts). */
const keep = (completedAge: number, completed = 1000, failed = 10_000): JobsOptions => ({
  removeOnComplete: { age: completedAge, count: completed },
  removeOnFail: { age: 7 * DAY, count: failed },
});

export const STAGE_JOB_OPTIONS: Record<StageName, JobsOptions> = {
  ingest: { ...retry(10, 1000), ...keep(HOUR) },
  render: { ...retry(8, 2000), ...keep(HOUR) },
  match: { ...retry(10, 1000), ...keep(HOUR) },
  publish: { ...retry(10, 1000), ...keep(HOUR) },
  /** A kill is a legal order: its take-down keeps trying through long outages (~9 h). */
  takedown: { ...retry(15, 1000), ...keep(DAY) },
  release: { ...retry(10, 1000), ...keep(DAY) },
  backfill: { ...retry(6, 1000), ...keep(HOUR) },
  index: { ...retry(10, 500), ...keep(HOUR, 100, 1000) },
  close: { ...retry(6, 5000), ...keep(DAY) },
  /** Moving state to S3 (archive, retention sweep): S3 may be away for a while. */
  archive: { ...retry(10, 10_000), ...keep(DAY) },
  /** A subscriber may be down for hours: 12 attempts from 5 s apart to about 3 h apart (~6 h in all). */
  webhook: { ...retry(12, 5000, 0.3), ...keep(DAY) },
};

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

import type { StageName } from '@lightbox/contracts';
import type { JobsOptions } from 'bullmq';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Default job options per stage: bounded attempts with exponential backoff and jitter, and
 * retention limits so Redis holds a bounded history (completed: 1 h / 1,000 jobs; failed: 7 days).
 * Budgets are sized to ride out an outage of Redis or object storage of several minutes: ingest,
 * match and publish retry for about 8 minutes, render for about 4; then the job is a dead letter.
 */
export const STAGE_JOB_OPTIONS: Record<StageName, JobsOptions> = {
  ingest: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: { age: HOUR, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
  render: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
    removeOnComplete: { age: HOUR, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
  match: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: { age: HOUR, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
  publish: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: { age: HOUR, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
  backfill: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: { age: HOUR, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
  index: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    removeOnComplete: { age: HOUR, count: 100 },
    removeOnFail: { age: 7 * DAY, count: 1000 },
  },
  close: {
    attempts: 6,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
    removeOnComplete: { age: DAY, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
  /** Moving a closed story's state to S3 (StoryArchive): S3 may be away for a while. */
  archive: {
    attempts: 10,
    backoff: { type: 'exponential', delay: 10_000, jitter: 0.5 },
    removeOnComplete: { age: DAY, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
  /** A subscriber may be down for hours: 12 attempts from 5 s apart to about 3 h apart (~6 h in all). */
  webhook: {
    attempts: 12,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.3 },
    removeOnComplete: { age: DAY, count: 1000 },
    removeOnFail: { age: 7 * DAY, count: 10_000 },
  },
};

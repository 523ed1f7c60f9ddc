import { PIPELINE, STAGES, type StageName } from '@lightbox/contracts';
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

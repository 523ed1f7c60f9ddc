/**
 * The pipeline's stages: concurrency per stage, publishing pace, story closing and archiving,
 * gallery near-duplicates, matching thresholds, the expiry sweep.
 */
import { concurrencyByClass, STAGES, type StageName } from '@lightbox/contracts';
import { z } from 'zod';
import { ConfigError, intFrom, numberFrom, optionalString, parsePairs } from './env-values.js';

/** Stages, publishing, stories, galleries and matching. */
export const pipelineEnv = z.object({
  LIGHTBOX_IO_CONCURRENCY: intFrom(8, 1),
  LIGHTBOX_STAGE_CONCURRENCY: optionalString,
  LIGHTBOX_PUBLISH_DELAY_MS: intFrom(100),
  LIGHTBOX_PUBLISH_SPACING_MS: intFrom(2000),
  LIGHTBOX_FEED_REFRESH_MS: intFrom(30_000),
  LIGHTBOX_STORY_AUTO_CLOSE_HOURS: numberFrom(48),
  LIGHTBOX_ARCHIVE_AFTER_HOURS: numberFrom(168),
  LIGHTBOX_UNDECIDED_RETENTION_DAYS: numberFrom(30),
  LIGHTBOX_PREFERRED_AGENCIES: optionalString,
  LIGHTBOX_DUPLICATE_WINDOW_MS: intFrom(3000),
  LIGHTBOX_DUPLICATE_MAX_DISTANCE: intFrom(12),
  LIGHTBOX_MATCH_AUTO_THRESHOLD: numberFrom(0.6),
  LIGHTBOX_MATCH_REVIEW_THRESHOLD: numberFrom(0.3),
  LIGHTBOX_MATCH_SLACK_HOURS: numberFrom(6),
  LIGHTBOX_EXPIRY_SWEEP_SECONDS: intFrom(300, 1),
});

/**
 * Per-stage concurrency from each stage's class in the pipeline table (contracts' `PIPELINE`): `cpu`
 * stages (render) run `LIGHTBOX_RENDER_CONCURRENCY` jobs, `io` stages (waiting on Redis and S3)
 * `LIGHTBOX_IO_CONCURRENCY`, story-wide ones one at a time. `LIGHTBOX_STAGE_CONCURRENCY=match=16,publish=2`
 * overrides single stages.
 */
export function stageConcurrency(
  render: number,
  io: number,
  overrides: string | undefined,
): Record<StageName, number> {
  const result = concurrencyByClass({ cpu: render, io, one: 1 });
  for (const [stage, value] of parsePairs('LIGHTBOX_STAGE_CONCURRENCY', overrides)) {
    if (!(STAGES as readonly string[]).includes(stage))
      throw new ConfigError(
        `LIGHTBOX_STAGE_CONCURRENCY: unknown stage "${stage}" (stages: ${STAGES.join(', ')})`,
      );
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigError(`LIGHTBOX_STAGE_CONCURRENCY: ${stage}=${value} must be a whole number ≥ 1`);
    result[stage as StageName] = n;
  }
  return result;
}

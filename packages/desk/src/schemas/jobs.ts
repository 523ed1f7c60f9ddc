import { z } from 'zod';
import { stageSchema } from './common.js';

export const JOB_ACTIONS = ['retry', 'discard'] as const;
export type JobAction = (typeof JOB_ACTIONS)[number];

export const jobActionInput = z.object({
  stage: stageSchema,
  jobId: z.string().min(1).max(200),
  action: z.enum(JOB_ACTIONS),
});

/** 200 done; 404 no such job; 409 refused, with the reason (`judgeJobAction`). */
export const jobActionResultSchema = z
  .object({ status: z.union([z.literal(200), z.literal(404), z.literal(409)]), message: z.string() })
  .meta({ id: 'JobActionResult' });
export type JobActionResult = z.infer<typeof jobActionResultSchema>;

export const QUEUE_ACTIONS = ['pause', 'resume', 'retry-all'] as const;
export const queueActionInput = z.object({ stage: stageSchema, action: z.enum(QUEUE_ACTIONS) });

export const failedJobSchema = z.object({
  id: z.string(),
  stage: z.string(),
  photoId: z.string().optional(),
  storyId: z.string().optional(),
  reason: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  failedAt: z.number().optional(),
});
export type FailedJob = z.infer<typeof failedJobSchema>;

export const stageFailuresSchema = z.object({
  name: stageSchema,
  paused: z.boolean(),
  failed: z.number().int(),
  jobs: z.array(failedJobSchema),
});
export type StageFailures = z.infer<typeof stageFailuresSchema>;

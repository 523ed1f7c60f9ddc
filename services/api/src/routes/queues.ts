import { PipelineStats } from '@lightbox/activity';
import { type Desk, errorSchema, jobActionInput, pageInput, stageSchema } from '@lightbox/desk';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { errorBody } from '../errors.js';
import type { RouteRegistrar } from '../openapi/operation.js';
import { deskActor } from './actor.js';

const queueCountsSchema = z.object({
  name: stageSchema,
  waiting: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  delayed: z.number().int(),
  paused: z.boolean(),
});

const statsSchema = z.object({
  perMinute: z.array(
    z.object({ minute: z.number(), received: z.number(), published: z.number(), failed: z.number() }),
  ),
  latency: z.object({
    p50: z.number().nullable().describe('ms, without time embargoed or waiting for an editor'),
    p95: z.number().nullable(),
    samples: z.number(),
    withWaits: z
      .object({ p50: z.number().nullable(), p95: z.number().nullable() })
      .describe('ms, the whole time from arrival, embargo and editor waits included'),
  }),
});

const deadLettersSchema = z.object({
  total: z.number().int(),
  letters: z.array(
    z.object({
      stage: stageSchema,
      jobId: z.string(),
      photoId: z.string().optional(),
      storyId: z.string().optional(),
      error: z.string(),
      attempts: z.number().int(),
      failedAt: z.string(),
      badInput: z.boolean(),
    }),
  ),
});

/** Queue counts, pipeline stats, dead letters, and retry/discard of one job (the desk's job rules). */
export function queueRoutes(route: RouteRegistrar, deps: ApiDeps, desk: Desk, redisPrefix: string): void {
  route(
    {
      method: 'GET',
      path: '/v1/queues',
      operationId: 'queueCounts',
      tag: 'queues',
      summary: 'Jobs waiting, active, completed, failed and delayed per stage',
      caller: 'editor',
      responses: { 200: { description: 'One entry per stage', schema: z.array(queueCountsSchema) } },
    },
    async () => deps.queues.counts(),
  );

  const stats = new PipelineStats(deps.redis, redisPrefix);
  route(
    {
      method: 'GET',
      path: '/v1/stats',
      operationId: 'pipelineStats',
      tag: 'queues',
      summary: 'Photos per minute (last 60 min) and arrival → published latency (last 15 min)',
      caller: 'editor',
      responses: { 200: { description: 'What `lightbox status` prints', schema: statsSchema } },
    },
    async () => {
      const snapshot = await stats.snapshot();
      return {
        perMinute: snapshot.perMinute,
        latency: {
          p50: snapshot.latency.p50,
          p95: snapshot.latency.p95,
          samples: snapshot.latency.samples,
          withWaits: snapshot.latency.withWaits,
        },
      };
    },
  );

  route(
    {
      method: 'GET',
      path: '/v1/dead-letters',
      operationId: 'deadLetters',
      tag: 'queues',
      summary: 'Jobs that failed for good (after their last attempt, or at once for bad input), newest first',
      caller: 'editor',
      query: pageInput(50),
      responses: { 200: { description: 'A page of dead letters', schema: deadLettersSchema } },
    },
    async (request) => {
      const { offset, limit } = pageInput(50).parse(request.query);
      return deps.queues.deadLetters.list(offset, limit);
    },
  );

  for (const action of ['retry', 'discard'] as const)
    route(
      {
        method: 'POST',
        path: `/v1/jobs/:stage/:jobId/${action}`,
        operationId: action === 'retry' ? 'retryJob' : 'discardJob',
        tag: 'queues',
        summary:
          action === 'retry'
            ? 'Run a failed job again (admins: a completed one too); audited'
            : 'Discard a failed job or dead letter (admins: any job not running); audited',
        caller: 'editor',
        params: jobActionInput.omit({ action: true }),
        responses: {
          200: { description: 'Done', schema: z.object({ message: z.string() }) },
          404: { description: 'No such job', schema: errorSchema },
          409: {
            description: 'Refused: the reason says why (the job has not failed, is running…)',
            schema: errorSchema,
          },
        },
      },
      async (request, reply: FastifyReply) => {
        const params = request.params as { stage: string; jobId: string };
        const result = await desk.jobAction({ ...params, action } as never, deskActor(request));
        if (result.status === 200) return { message: result.message };
        return reply
          .code(result.status)
          .send(errorBody(result.status === 404 ? 'not_found' : 'conflict', result.message));
      },
    );
}

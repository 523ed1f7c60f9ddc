import type { Access as Authenticator } from '@lightbox/access';
import { PipelineStats } from '@lightbox/activity';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';

export function queueRoutes(
  app: FastifyInstance,
  deps: ApiDeps,
  auth: Authenticator,
  redisPrefix: string,
): void {
  app.get('/v1/queues', { preHandler: auth.requireEditor }, async () => deps.queues.counts());

  /**
   * Photos received, published and failed per minute (last 60 minutes, oldest first) and latency
   * from arrival to published (p50/p95 over the last 15 minutes): what `lightbox status` prints.
   */
  const stats = new PipelineStats(deps.redis, redisPrefix);
  app.get('/v1/stats', { preHandler: auth.requireEditor }, async () => {
    const snapshot = await stats.snapshot();
    return {
      perMinute: snapshot.perMinute,
      latency: { p50: snapshot.latency.p50, p95: snapshot.latency.p95, samples: snapshot.latency.samples },
    };
  });

  /** Jobs that failed for good (after their last attempt, or at once for bad input), newest first. */
  app.get<{ Querystring: { offset?: string; limit?: string } }>(
    '/v1/dead-letters',
    { preHandler: auth.requireEditor },
    async (request) => {
      const offset = Math.max(0, Number(request.query.offset) || 0);
      const limit = Math.min(500, Math.max(1, Number(request.query.limit) || 50));
      return deps.queues.deadLetters.list(offset, limit);
    },
  );
}

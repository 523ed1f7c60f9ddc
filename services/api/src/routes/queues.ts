import type { Access as Authenticator } from '@lightbox/access';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';

export function queueRoutes(app: FastifyInstance, deps: ApiDeps, auth: Authenticator): void {
  app.get('/v1/queues', { preHandler: auth.requireEditor }, async () => deps.queues.counts());

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

import type { Access as Authenticator } from '@lightbox/access';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';

export function queueRoutes(app: FastifyInstance, deps: ApiDeps, auth: Authenticator): void {
  app.get('/v1/queues', { preHandler: auth.requireEditor }, async () => deps.queues.counts());
}

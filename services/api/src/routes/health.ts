import { pingRedis } from '@lightbox/redis';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';

/** `GET /healthz`: 200 only when Redis and S3 both answer. */
export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/healthz', async (_request, reply) => {
    const [redis, s3] = await Promise.all([pingRedis(deps.redis), deps.store.ping()]);
    return reply
      .code(redis && s3 ? 200 : 503)
      .send({ status: redis && s3 ? 'ok' : 'unavailable', redis, s3 });
  });
}

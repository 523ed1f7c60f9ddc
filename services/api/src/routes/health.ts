import { checkHealth, LIVE } from '@lightbox/metrics';
import { pingRedis } from '@lightbox/redis';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';

/**
 * `GET /healthz`: 200 only when Redis and S3 both answer (readiness). `GET /livez`: 200 while the
 * process serves HTTP (liveness and startup probes; never `/metrics`, which may need a token).
 */
export function healthRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/livez', async () => LIVE);
  app.get('/healthz', async (_request, reply) => {
    const { ok, body } = await checkHealth({
      redis: () => pingRedis(deps.redis),
      s3: () => deps.store.ping(),
    });
    return reply.code(ok ? 200 : 503).send(body);
  });
}

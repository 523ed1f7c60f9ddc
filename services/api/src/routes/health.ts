import { checkHealth, LIVE } from '@lightbox/metrics';
import { pingRedis } from '@lightbox/redis';
import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import type { RouteRegistrar } from '../openapi/operation.js';

const healthSchema = z.object({ status: z.string(), redis: z.boolean(), s3: z.boolean() });

/**
 * `GET /healthz`: 200 only when Redis and S3 both answer (readiness). `GET /livez`: 200 while the
 * process serves HTTP (liveness and startup probes; never `/metrics`, which may need a token).
 */
export function healthRoutes(route: RouteRegistrar, deps: ApiDeps): void {
  route(
    {
      method: 'GET',
      path: '/livez',
      operationId: 'livez',
      tag: 'health',
      summary: 'Liveness: 200 while the process serves HTTP',
      caller: 'public',
      responses: { 200: { description: 'Alive', schema: z.object({ status: z.string() }) } },
    },
    async () => LIVE,
  );
  route(
    {
      method: 'GET',
      path: '/healthz',
      operationId: 'healthz',
      tag: 'health',
      summary: 'Readiness: 200 only when Redis and S3 answer; 503 names the failing part',
      caller: 'public',
      responses: {
        200: { description: 'Redis and S3 answer', schema: healthSchema },
        503: { description: 'A back end is down', schema: healthSchema },
      },
    },
    async (_request, reply) => {
      const { ok, body } = await checkHealth({
        redis: () => pingRedis(deps.redis),
        s3: () => deps.store.ping(),
      });
      return reply.code(ok ? 200 : 503).send(body);
    },
  );
}

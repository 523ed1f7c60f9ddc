import { PHOTO_STATUSES } from '@lightbox/contracts';
import { bearerMatches, LightboxMetrics } from '@lightbox/metrics';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';

/** `GET /metrics`: Prometheus text. Open unless `LIGHTBOX_METRICS_TOKEN` is set. */
export function metricsRoutes(app: FastifyInstance, deps: ApiDeps, token: string | undefined): void {
  const metrics = new LightboxMetrics('api', {
    queueCounts: () => deps.queues.counts(),
    photosByStatus: () => deps.photos.countByStatus(PHOTO_STATUSES),
    deadLetters: () => deps.queues.deadLetters.count(),
    s3: () => deps.store.stats,
  });
  app.get('/metrics', async (request, reply) => {
    if (token && !bearerMatches(request.headers.authorization, token))
      throw new ApiError(401, 'unauthorized', 'Metrics need Authorization: Bearer <LIGHTBOX_METRICS_TOKEN>');
    return reply.type(metrics.contentType).send(await metrics.text());
  });
}
